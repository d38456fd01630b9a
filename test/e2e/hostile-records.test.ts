// Nothing a repository ships steers devsetup's records, and a record proves nothing by itself:
// a cloned `.devsetup/` (state, server pid, links out of the repository) is never read, a pid
// is signalled only when the process carries devsetup's token and start time, and a new clone
// at an old path does not inherit the old clone's state. Real processes, the built CLI.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isAlive, runCli, stateDirOf, tempRepo, waitFor, writeFiles } from '../helpers.js'
import { freePort, killServersAfterwards, serverSource } from './restart/servers.js'

const others: ChildProcess[] = []
afterEach(() => {
  for (const child of others.splice(0)) child.kill('SIGKILL')
})

/** A process devsetup did not start, leading its own group, outside any repository. */
async function bystander(): Promise<number> {
  const child = spawn('sleep', ['300'], { cwd: '/', detached: true, stdio: 'ignore' })
  others.push(child)
  await waitFor(() => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith('sleep'))
  return child.pid!
}

/** What /proc says of a process: anyone may copy these into a record. */
function procFacts(pid: number): { startTime: string; cmdline: string } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ')
  return { startTime, cmdline }
}

/** Everything under the state folder, as one text (to prove what was never copied there). */
function stateText(repo: string): string {
  const dir = stateDirOf(repo)
  if (!existsSync(dir)) return ''
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n')
}

const seedRecipe =
  'version: 1\nsteps:\n  - name: Seed\n    run: echo ran >> ran.txt\n    inputs: [seed.sql]\n'

function serverRepo(port: number): string {
  const repo = tempRepo({
    'server.js': serverSource,
    'devsetup.yml': `version: 1\nenv:\n  PORT: "${port}"\nsteps:\n  - restart:\n      start: node server.js\n      health: http://127.0.0.1:${port}/health\n`,
  })
  killServersAfterwards(repo)
  return repo
}

/** A server record naming `pid`, as an attacker (or a copy from another machine) writes it. */
function forgedServerRecord(dir: string, pid: number, withStartTime: boolean): void {
  const facts = procFacts(pid)
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'server.pid'), `${pid}\n`)
  const record = {
    pid,
    pgid: pid,
    ...(withStartTime ? { startTime: facts.startTime } : {}),
    cmdline: facts.cmdline,
    command: 'node server.js',
    log: path.join(dir, 'server.log'),
    startedAt: new Date().toISOString(),
  }
  writeFileSync(path.join(dir, 'server.json'), JSON.stringify(record))
}

describe('a repository that ships .devsetup/', () => {
  it('a state.json copied from another clone does not make a step that never ran here look done', async () => {
    const other = tempRepo({ 'devsetup.yml': seedRecipe, 'seed.sql': 'x' })
    expect((await runCli([], { cwd: other })).code).toBe(0)
    const repo = tempRepo({ 'devsetup.yml': seedRecipe, 'seed.sql': 'x' })
    mkdirSync(path.join(repo, '.devsetup'))
    cpSync(path.join(stateDirOf(other), 'state.json'), path.join(repo, '.devsetup', 'state.json'))

    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.stdout).toContain('✗ Seed — unmet: never run here')
    const up = await runCli([], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stdout).not.toContain('inputs unchanged')
    expect(readFileSync(path.join(repo, 'ran.txt'), 'utf8')).toBe('ran\n')
    expect(up.stderr).toContain('.devsetup/ in the repository is not used')
    expect(up.stderr).toContain('you can delete it')
    // Left as it was: devsetup neither moves nor deletes what the repository holds.
    expect(existsSync(path.join(repo, '.devsetup', 'state.json'))).toBe(true)
    // Said once, not on every run.
    expect((await runCli([], { cwd: repo })).stderr).toBe('')
  })

  for (const withStartTime of [false, true]) {
    it(`server.pid + server.json naming a foreign pid (${withStartTime ? 'with its real start time' : 'no start time'}): nothing is signalled`, async () => {
      const victim = await bystander()
      const port = await freePort()
      const repo = serverRepo(port)
      forgedServerRecord(path.join(repo, '.devsetup'), victim, withStartTime)
      writeFileSync(
        path.join(repo, '.devsetup', 'state.json'),
        '{"version":1,"changeSeq":0,"steps":{},"runs":[]}',
      )

      const up = await runCli([], { cwd: repo })
      expect(up.code, up.stdout + up.stderr).toBe(0)
      expect(isAlive(victim)).toBe(true)
      expect(up.stdout).not.toContain(`stopped pid ${victim}`)
    })
  }

  it('.devsetup linked to a folder outside the repository: nothing there is read, moved or deleted', async () => {
    const outside = tempRepo({}, { git: false })
    const victim = await bystander()
    forgedServerRecord(outside, victim, true)
    writeFileSync(path.join(outside, 'state.json'), '{"version":1,"changeSeq":0,"steps":{},"runs":[]}')
    const before = Object.fromEntries(
      ['state.json', 'server.pid', 'server.json'].map((f) => [
        f,
        readFileSync(path.join(outside, f), 'utf8'),
      ]),
    )
    const repo = tempRepo({ 'devsetup.yml': seedRecipe, 'seed.sql': 'x' })
    symlinkSync(outside, path.join(repo, '.devsetup'))

    const up = await runCli([], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    for (const [file, text] of Object.entries(before))
      expect(readFileSync(path.join(outside, file), 'utf8'), file).toBe(text)
    expect(isAlive(victim)).toBe(true)
  })

  it('.devsetup/state.json linked to a file outside: never read, copied or printed', async () => {
    const outside = tempRepo(
      { 'secret.env': 'GITHUB_TOKEN=ghp_leakedleakedleakedleakedleaked0001\n' },
      { git: false },
    )
    const repo = tempRepo({ 'devsetup.yml': seedRecipe, 'seed.sql': 'x' })
    mkdirSync(path.join(repo, '.devsetup'))
    symlinkSync(path.join(outside, 'secret.env'), path.join(repo, '.devsetup', 'state.json'))

    const doctor = await runCli(['doctor'], { cwd: repo })
    const up = await runCli([], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    for (const text of [doctor.stdout, doctor.stderr, up.stdout, up.stderr, stateText(repo)])
      expect(text).not.toMatch(/GITHUB_TOKEN|ghp_leaked/)
    expect(readFileSync(path.join(outside, 'secret.env'), 'utf8')).toContain('ghp_leaked')
  })
})

describe("records in the state folder are not proof: the process must carry devsetup's token", () => {
  it('a server record naming a foreign pid with its real start time and command line: not signalled', async () => {
    const victim = await bystander()
    const port = await freePort()
    const repo = serverRepo(port)
    forgedServerRecord(stateDirOf(repo), victim, true)

    const up = await runCli([], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(isAlive(victim)).toBe(true)
    expect(up.stdout).toContain(`pid ${victim} is \`sleep 300\`, not the server`)
  })

  it('a running/ record naming a foreign group with its real start time: left alone, and said', async () => {
    const victim = await bystander()
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: touch ok\n    creates: ok\n' })
    const running = path.join(stateDirOf(repo), 'running')
    mkdirSync(running, { recursive: true })
    const record = {
      pgid: victim,
      startTime: procFacts(victim).startTime,
      command: 'npm ci',
      token: 'not-in-its-environment',
      startedAt: 'yesterday',
    }
    writeFileSync(path.join(running, `${victim}.json`), JSON.stringify(record))

    const up = await runCli([], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stderr).toContain(`not stopping process group ${victim}: it is no longer \`npm ci\``)
    expect(isAlive(victim)).toBe(true)
  })
})

describe('a new clone at the path of an old one', () => {
  it("does not inherit the old clone's state: its steps are checked afresh, and it says why", async () => {
    const repo = tempRepo({ 'devsetup.yml': seedRecipe, 'seed.sql': 'x' })
    expect((await runCli([], { cwd: repo })).code).toBe(0)
    expect((await runCli([], { cwd: repo })).stdout).toContain('ok: inputs unchanged')
    // rm -rf app && git clone … app: the same path, the same files, a clone where nothing ran.
    rmSync(repo, { recursive: true })
    mkdirSync(repo)
    spawnSync('git', ['init', '-q'], { cwd: repo })
    writeFiles(repo, { 'devsetup.yml': seedRecipe, 'seed.sql': 'x' })

    const doctor = await runCli(['doctor'], { cwd: repo })
    expect(doctor.stdout).toContain('✗ Seed — unmet: never run here')
    const up = await runCli([], { cwd: repo })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(up.stderr).toMatch(/state\.json was written for an earlier clone at this path/)
    expect(readFileSync(path.join(repo, 'ran.txt'), 'utf8')).toBe('ran\n')
    expect(existsSync(path.join(stateDirOf(repo), 'state.json.earlier-clone'))).toBe(true)
    // The clone's own state from then on.
    const again = await runCli([], { cwd: repo })
    expect(again.stderr).toBe('')
    expect(again.stdout).toContain('ok: inputs unchanged')
  })
})
