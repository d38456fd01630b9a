// A no-op re-run must feel instant: devsetup against starting Node itself (`node -e 0`), and
// against its peers doing the same steps' no-op: a hand-written shell bin/setup (the floor,
// bench/fixtures/bin-setup.sh) and Ansible (bench/fixtures/playbook.yml), when installed.
// Every case runs once per round, interleaved (bench/lib.mjs compare), on this shared machine.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { compare, formatComparison } from './lib.mjs'

export const title = 'No-op re-run vs starting Node, and vs the same steps by hand and by Ansible'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')
const cli = path.join(root, 'bin', 'devsetup.js')
const node = process.execPath

function ansibleAvailable() {
  const found = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' })
  return found.status === 0
}

export default async function () {
  const work = mkdtempSync(path.join(tmpdir(), 'devsetup-bench-noop-'))
  try {
    // 1. The example app (8 steps): its runtime check starts `node` to read its version.
    const app = path.join(work, 'app')
    cpSync(path.join(root, 'examples', 'app'), app, { recursive: true })
    spawnSync('git', ['init', '-q'], { cwd: app })
    // 2. Twenty steps whose checks spawn nothing: the engine's own overhead.
    const wide = path.join(work, 'wide')
    cpSync(path.join(root, 'examples', 'app'), wide, {
      recursive: true,
      filter: (src) => !src.endsWith('devsetup.yml'),
    })
    const steps = Array.from(
      { length: 20 },
      (_, i) => `  - run: mkdir -p out/${i}\n    creates: out/${i}\n`,
    ).join('')
    writeFileSync(path.join(wide, 'devsetup.yml'), `version: 1\nsteps:\n${steps}`)
    // 2b. The example app with a step that reads ${LOG_LEVEL} from the .env its dotenv step
    // manages: a no-op reads .env and .env.example again to put that value back from the cache
    // (src/recipe/cache.ts). Twice: kept as usual, and with the kept parse deleted before every
    // run (what not caching such a recipe would cost: a parse every time).
    const withEnvFile = (name) => {
      const dir = path.join(work, name)
      cpSync(path.join(root, 'examples', 'app'), dir, { recursive: true })
      const recipe = path.join(dir, 'devsetup.yml')
      const text = readFileSync(recipe, 'utf8')
      if (!text.includes('run: mkdir -p log tmp/cache'))
        throw new Error('examples/app changed: update this bench')
      writeFileSync(
        recipe,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's own ${NAME} syntax
        text.replace('run: mkdir -p log tmp/cache', 'run: mkdir -p log/${LOG_LEVEL} tmp/cache'),
      )
      spawnSync('git', ['init', '-q'], { cwd: dir })
      return dir
    }
    const envApp = withEnvFile('env-app')
    const envMiss = withEnvFile('env-miss')
    const missState = path.join(work, 'miss-state')
    const missEnv = { ...process.env, DEVSETUP_STATE_DIR: missState }
    // 3. The same app for the peers, converged once by each so that their runs are no-ops.
    const peers = path.join(work, 'peers')
    cpSync(path.join(root, 'examples', 'app'), peers, { recursive: true })
    const binSetup = path.join(here, 'fixtures', 'bin-setup.sh')
    const playbook = path.join(here, 'fixtures', 'playbook.yml')
    for (const [command, args, cwd, env] of [
      [node, [cli, '--cwd', app], app],
      [node, [cli, '--cwd', wide], wide],
      // Twice: the first run creates .env, which the parse it keeps had not seen yet.
      [node, [cli, '--cwd', envApp], envApp],
      [node, [cli, '--cwd', envApp], envApp],
      [node, [cli, '--cwd', envMiss], envMiss, missEnv],
      ['sh', [binSetup], peers],
    ]) {
      const first = spawnSync(command, args, { cwd, encoding: 'utf8', env: env ?? process.env })
      if (first.status !== 0) throw new Error(`setup run failed in ${cwd}:\n${first.stdout}${first.stderr}`)
    }
    const ansibleEnv = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' }
    const ansible = ansibleAvailable()
    const ansibleArgs = ['-i', 'localhost,', '-c', 'local', playbook, '-e', `app=${peers}`]
    if (ansible) {
      const first = spawnSync('ansible-playbook', ansibleArgs, {
        cwd: peers,
        encoding: 'utf8',
        env: ansibleEnv,
      })
      if (first.status !== 0) throw new Error(`ansible-playbook failed:\n${first.stdout}${first.stderr}`)
    }

    const cases = [
      { label: 'node -e 0 (baseline)', command: node, args: ['-e', '0'] },
      { label: 'devsetup --version', command: node, args: [cli, '--version'] },
      { label: 'devsetup up, no-op, examples/app (8 steps)', command: node, args: [cli, '--cwd', app] },
      { label: 'devsetup doctor, examples/app', command: node, args: [cli, 'doctor', '--cwd', app] },
      { label: 'devsetup up, no-op, 20 creates steps', command: node, args: [cli, '--cwd', wide] },
      {
        label: 'devsetup up, no-op, examples/app + a value from .env',
        command: node,
        args: [cli, '--cwd', envApp],
      },
      {
        label: 'devsetup up, examples/app + a value from .env, parsed every run',
        command: 'sh',
        args: ['-c', `rm -f "${missState}"/*/recipe.json && exec "${node}" "${cli}" --cwd "${envMiss}"`],
        options: { env: missEnv },
      },
      {
        label: 'peer: hand-written sh bin/setup, no-op',
        command: 'sh',
        args: [binSetup],
        options: { cwd: peers },
      },
    ]
    // DEVSETUP_BENCH_BEFORE=<another checkout>/bin/devsetup.js: that build too, in the same rounds.
    const before = process.env.DEVSETUP_BENCH_BEFORE
    if (before) {
      cases.push(
        { label: 'before: devsetup --version', command: node, args: [before, '--version'] },
        { label: 'before: devsetup up, no-op, examples/app', command: node, args: [before, '--cwd', app] },
        {
          label: 'before: devsetup doctor, examples/app',
          command: node,
          args: [before, 'doctor', '--cwd', app],
        },
      )
    }
    if (ansible) {
      cases.push({
        label: 'peer: ansible-playbook, no-op',
        command: 'ansible-playbook',
        args: ansibleArgs,
        options: { cwd: peers, env: ansibleEnv },
      })
    }
    const rounds = Number(process.env.NOOP_BENCH_ROUNDS ?? 15)
    const results = compare(cases, { rounds })
    const byLabel = Object.fromEntries(results.map((r) => [r.label, r]))
    const up = byLabel['devsetup up, no-op, examples/app (8 steps)']
    const shell = byLabel['peer: hand-written sh bin/setup, no-op']
    const peerRatio = (peer) =>
      `${(up.wall / peer.wall).toFixed(2)}x wall, ${(up.cpu / peer.cpu).toFixed(2)}x cpu`
    return [
      ...formatComparison(results, {
        'devsetup --version': 1.3,
        'devsetup up, no-op, examples/app (8 steps)': 2,
        'devsetup doctor, examples/app': 2,
      }),
      `devsetup up no-op vs the shell bin/setup (floor): ${peerRatio(shell)}`,
      ansible
        ? `devsetup up no-op vs ansible-playbook no-op: ${peerRatio(byLabel['peer: ansible-playbook, no-op'])}`
        : 'ansible: not installed (ansible-playbook not on PATH)',
      `(${rounds} interleaved rounds after a warm-up; wall: median; cpu: mean of children's user+sys; ratios paired per round)`,
    ]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
