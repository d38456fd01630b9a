// A no-op re-run must feel instant: `devsetup up` with nothing to do, against starting
// Node itself (`node -e 0`), measured in the same run on the same machine.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const title = 'No-op re-run vs starting Node'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'devsetup.js')

export default async function ({ timeIt }) {
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
    for (const dir of [app, wide]) {
      const first = spawnSync(process.execPath, [cli, '--cwd', dir], { encoding: 'utf8' })
      if (first.status !== 0) throw new Error(`setup run failed in ${dir}:\n${first.stdout}${first.stderr}`)
    }

    const runs = 15
    const node = timeIt(process.execPath, ['-e', '0'], {}, runs)
    const version = timeIt(process.execPath, [cli, '--version'], {}, runs)
    const noopApp = timeIt(process.execPath, [cli, '--cwd', app], {}, runs)
    const noopWide = timeIt(process.execPath, [cli, '--cwd', wide], {}, runs)
    const row = (label, ms) =>
      `${label.padEnd(46)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / node).toFixed(2)}x node -e 0`
    return [
      row('node -e 0 (baseline)', node),
      row('devsetup --version (load the bundle)', version),
      row('devsetup up, no-op, examples/app (8 steps)', noopApp),
      row('devsetup up, no-op, 20 creates steps', noopWide),
      `(median of ${runs} runs each, after a warm-up)`,
    ]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
