// A traced multi-line `run: |` runs under bash (engine/script-trace.ts), an untraced one under
// `sh` (dash on Debian). The traced run must pass and fail as dash would, and print what dash
// prints: bash in POSIX mode, with dash's echo. Each case runs the same script under the
// machine's real `sh -c` and through the built CLI.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'

/** A repository whose one step runs `script` (its lines). */
function scriptRepo(script: string[]): string {
  const run = script.map((line) => `      ${line}\n`).join('')
  return tempRepo({ 'devsetup.yml': `version: 1\nsteps:\n  - name: Script\n    run: |\n${run}` })
}

/** `script` under the machine's `sh`, in a folder of its own: its exit code and that folder. */
function underSh(script: string[]): { code: number | null; dir: string; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'devsetup-dash-'))
  const result = spawnSync('sh', ['-c', script.join('\n')], { cwd: dir, encoding: 'utf8' })
  return { code: result.status, dir, output: result.stdout + result.stderr }
}

const endOf = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:end') as { reason: string; failure: { tail: string[] } }

describe('a traced script fails where sh fails', () => {
  it('set -e stops at a failing command substitution, and the line is named', async () => {
    const script = ['set -e', 'V=$(false; echo fromsubst)', 'echo "after $V"']
    const dash = underSh(script)
    expect(dash.code).not.toBe(0)
    expect(dash.output).not.toContain('after')

    const result = await runCli(['up', '--json'], { cwd: scriptRepo(script) })
    expect(result.code).toBe(1)
    expect(endOf(result.stdout).reason).toBe(
      '`V=$(false; echo fromsubst)` (line 2 of the script) exited with code 1',
    )
    // The script's output (the command itself, in the event, holds the word).
    expect(endOf(result.stdout).failure.tail.join('\n')).not.toContain('after')
  })

  it('sourcing a missing file stops the script', async () => {
    const script = ['. ./missing.sh', 'echo after']
    const dash = underSh(script)
    expect(dash.code).not.toBe(0)
    expect(dash.output).not.toContain('after')

    const result = await runCli(['up', '--json'], { cwd: scriptRepo(script) })
    expect(result.code).toBe(1)
    expect(endOf(result.stdout).reason).toMatch(/^`\. \.\/missing\.sh` \(line 1 of the script\) exited/)
    // The script's output (the command itself, in the event, holds the word).
    expect(endOf(result.stdout).failure.tail.join('\n')).not.toContain('after')
  })
})

describe("a traced script's echo and printf print what sh's do", () => {
  const idioms = [
    'set -eu',
    'exec > out.txt',
    'echo -n x',
    "echo '|'",
    'echo "a\\nb"',
    "echo -e 'c\\td'",
    "echo -E 'e\\nf'",
    'echo -n',
    'echo -n "ends in a backslash\\\\"',
    'echo',
    "echo -n 'one' 'two'",
    "echo '-n'",
    'echo - dash',
    'echo "stop\\chere"',
    "IFS=:; echo -n a b; IFS=' '",
    'echo',
    "printf '%s-%d\\n' p 5",
    'greet() { echo -n "hi $1"; echo "!"; }',
    'greet you',
  ]

  it('byte for byte, and a failure after them still names its line', async () => {
    const dash = underSh(idioms)
    expect(dash.code, dash.output).toBe(0)
    const expected = readFileSync(path.join(dash.dir, 'out.txt'), 'utf8')
    // What the cases are about: sh's echo takes `-n`, expands `\n` and prints `-e`.
    expect(expected).toContain('x|\na\nb\n-e c\td\n')

    const repo = scriptRepo([...idioms, 'cp missing.txt copy.txt'])
    const result = await runCli(['up', '--json'], { cwd: repo })
    expect(readFileSync(path.join(repo, 'out.txt'), 'utf8')).toBe(expected)
    expect(endOf(result.stdout).reason).toBe(
      `\`cp missing.txt copy.txt\` (line ${idioms.length + 1} of the script) exited with code 1`,
    )
  })
})
