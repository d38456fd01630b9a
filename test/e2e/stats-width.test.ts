// `devsetup stats` fits the terminal: a wrapped line puts durations under another run's column.
// 15 real `up` runs (state keeps the last 10), then the table read through a pipe (80 columns)
// and through a real terminal of 120 columns (util-linux `script` gives the CLI a pty).
import { spawnSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliPath, runCli, tempRepo, testStateHome } from '../helpers.js'

let repo: string
beforeAll(async () => {
  repo = tempRepo({
    'devsetup.yml': `version: 1
steps:
  - name: Config
    run: touch config.txt
  - name: Notes
    run: echo notes > notes.txt
`,
  })
  for (let run = 0; run < 15; run++) expect((await runCli(['up'], { cwd: repo })).code).toBe(0)
}, 120_000)

/** The lines as a person sees them, escape codes and the pty's \r taken out. */
const screenLines = (text: string) =>
  text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/\r/g, '')
    .split('\n')
    .filter((line) => line !== '')

const widthOf = (line: string) => [...line].length

describe('devsetup stats fits the terminal', () => {
  it('in 80 columns when stdout is not a terminal: the newest runs, and how many were left out', async () => {
    const result = await runCli(['stats'], { cwd: repo })
    expect(result.code).toBe(0)
    const lines = screenLines(result.stdout)
    for (const line of lines) expect(widthOf(line), line).toBeLessThanOrEqual(80)
    const shown = Number(/^The last (\d+) of 10 `devsetup up` runs, oldest first:$/.exec(lines[0]!)?.[1])
    expect(shown).toBeGreaterThanOrEqual(3)
    expect(lines.at(-1)).toBe(
      `${10 - shown} older runs left out to fit 80 columns; the medians are over all 10.`,
    )
    // Every row has one cell per shown run: nothing wrapped onto a line of its own.
    const config = lines.find((l) => l.startsWith('config '))!
    expect(config.trim().split(/\s+/)).toHaveLength(2 + shown)
    // The newest run is the one kept: its start time heads the last column.
    const json = JSON.parse((await runCli(['stats', '--json'], { cwd: repo })).stdout)
    expect(json.runs).toHaveLength(10)
    const newest = new Date(json.runs.at(-1).startedAt)
    const two = (n: number) => String(n).padStart(2, '0')
    expect(lines[1]!.trimEnd().endsWith(`${two(newest.getHours())}:${two(newest.getMinutes())}`)).toBe(true)
  })

  it('in a 120-column terminal: more runs, still no line longer than 120', () => {
    const result = spawnSync(
      'script',
      [
        '-qec',
        `stty cols 120 rows 40; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} stats`,
        '/dev/null',
      ],
      {
        cwd: repo,
        env: { ...process.env, NO_COLOR: '1', DEVSETUP_STATE_DIR: testStateHome() },
        encoding: 'utf8',
      },
    )
    expect(result.status, result.stderr).toBe(0)
    const lines = screenLines(result.stdout)
    for (const line of lines) expect(widthOf(line), line).toBeLessThanOrEqual(120)
    const shown = Number(/^The last (\d+) of 10 `devsetup up` runs/.exec(lines[0]!)?.[1])
    const piped = screenLines(
      spawnSync(process.execPath, [cliPath, 'stats'], {
        cwd: repo,
        env: { ...process.env, NO_COLOR: '1', DEVSETUP_STATE_DIR: testStateHome() },
        encoding: 'utf8',
      }).stdout,
    )
    const shownIn80 = Number(/^The last (\d+) of 10/.exec(piped[0]!)?.[1])
    expect(shown).toBeGreaterThan(shownIn80)
    expect(shown).toBeLessThan(10)
    expect(lines.at(-1)).toBe(
      `${10 - shown} older runs left out to fit 120 columns; the medians are over all 10.`,
    )
  })

  it('shows every run when they fit: --last 3 leaves nothing out', async () => {
    const lines = screenLines((await runCli(['stats', '--last', '3'], { cwd: repo })).stdout)
    expect(lines[0]).toBe('The last 3 `devsetup up` runs, oldest first:')
    expect(lines.join('\n')).not.toContain('left out')
  })
})
