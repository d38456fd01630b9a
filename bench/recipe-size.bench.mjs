// A recipe's size must cost linear time: loading and a no-op `up` of 1,000 / 2,000 / 4,000
// steps against 10 steps and against starting Node, measured in the same run. A quadratic
// part (ids, suggestions, position lookups) shows as a per-step cost that grows with size.
// Two ways: a re-run of the same recipe (its parse comes from the recipe cache), and "edited":
// a comment appended before every run, so that each run parses the recipe from scratch.
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const title = 'Recipe size: load + no-op up, and 20,000 unknown keys, vs 10 steps'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'devsetup.js')

function recipe(steps, body) {
  let text = 'version: 1\nsteps:\n'
  for (let i = 0; i < steps; i++) text += body(i)
  return text
}

export default async function ({ timeIt }) {
  const work = mkdtempSync(path.join(tmpdir(), 'devsetup-bench-size-'))
  try {
    spawnSync('git', ['init', '-q'], { cwd: work })
    const write = (name, text) => {
      writeFileSync(path.join(work, name), text)
      return name
    }
    const sizes = [10, 1000, 2000, 4000]
    const files = sizes.map((n) =>
      write(
        `steps-${n}.yml`,
        recipe(n, (i) => `  - name: Step ${i}\n    run: "true"\n    creates: .git\n`),
      ),
    )
    const unnamed = write(
      'unnamed-4000.yml',
      recipe(4000, () => '  - run: "true"\n    creates: .git\n'),
    )
    const bad = write(
      'unknown-20000.yml',
      recipe(20_000, (i) => `  - run: "true"\n    unknownkey${i}: 1\n    creates: x\n`),
    )
    const runs = 5
    const up = (file) => timeIt(process.execPath, [cli, '--recipe', file], { cwd: work }, runs)
    const node = timeIt(process.execPath, ['-e', '0'], {}, runs)
    const times = files.map(up)
    // Every run of an edited recipe misses the recipe cache: the whole parse, each time.
    const edited = (file) => {
      const once = () => {
        appendFileSync(path.join(work, file), `# edit ${Math.random()}\n`)
        const start = process.hrtime.bigint()
        const result = spawnSync(process.execPath, [cli, '--recipe', file], { cwd: work, stdio: 'ignore' })
        if (result.status !== 0) throw new Error(`${file} exited ${result.status}`)
        return Number(process.hrtime.bigint() - start) / 1e6
      }
      once()
      const all = Array.from({ length: runs }, once).sort((a, b) => a - b)
      return all[Math.floor(runs / 2)]
    }
    const editedTimes = files.slice(0, 2).map(edited)
    const base = times[0]
    const row = (label, ms) =>
      `${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / node).toFixed(2)}x node -e 0  ${(ms / base).toFixed(2)}x 10 steps`
    const perStep = (i) => ((times[i] - base) / (sizes[i] - sizes[0])).toFixed(3)
    const unnamedMs = up(unnamed)
    const badMs = timeIt(
      process.execPath,
      [cli, 'validate', '--recipe', bad],
      { cwd: work, allowFailure: true },
      3,
    )
    return [
      row('node -e 0 (baseline)', node),
      ...sizes.map((n, i) => row(`up, no-op, ${n} steps`, times[i])),
      row('up, no-op, 10 steps, edited before each run', editedTimes[0]),
      row('up, no-op, 1000 steps, edited before each run', editedTimes[1]),
      row('up, no-op, 4000 unnamed steps (ids run-N)', unnamedMs),
      row('validate, 20,000 unknown keys (60,000 lines)', badMs),
      `ms per extra step over 10 steps: ${sizes
        .slice(1)
        .map((n, i) => `${n}: ${perStep(i + 1)}`)
        .join(', ')} (flat = linear)`,
      `1,000 steps, load + no-op: ${times[1].toFixed(0)} ms re-run, ${editedTimes[1].toFixed(0)} ms edited (target ≤ 500 ms) ${
        Math.max(times[1], editedTimes[1]) <= 500 ? 'PASS' : 'FAIL'
      }`,
      `(median of ${runs} runs each, 3 for validate, after a warm-up)`,
    ]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
