// A multi-line `run: |` is traced to name its failing line (engine/script-trace.ts), and the
// trace holds every expanded value: a secret the script computes and never prints must not
// reach any output through it, whatever the script prints around it (a last line without its
// newline, a value over several lines). Real scripts under the machine's shells; the trace
// goes to a file descriptor of its own (bash's BASH_XTRACEFD), and without such a bash the
// script runs untraced.
import { mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'
import { stateFolderText } from './state-folder-text.js'

const secret = 'hunter2LongSecretValue'
const keyLines = [
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
  'QyNTUxOQAAACDmZ2lhbnRzZWNyZXRrZXltYXRlcmlhbA',
]

/** `up` plain, verbose and --json, and the state folder after them: all the text there is. */
async function everything(repo: string, env: Record<string, string> = {}) {
  const plain = await runCli(['up'], { cwd: repo, env })
  const verbose = await runCli(['up', '--verbose'], { cwd: repo, env })
  const json = await runCli(['up', '--json'], { cwd: repo, env })
  const shown = [plain, verbose, json].flatMap((r) => [r.stdout, r.stderr]).join('\n')
  return { plain, json, shown, all: `${shown}\n${stateFolderText(repo)}` }
}

/** A repository whose recipe's one step, `Traced`, runs `script` (its lines), next to `files`. */
function tracedRepo(files: Record<string, string>, script: string[]): string {
  const run = script.map((line) => `      ${line}\n`).join('')
  return tempRepo({ ...files, 'devsetup.yml': `version: 1\nsteps:\n  - name: Traced\n    run: |\n${run}` })
}

const endOf = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:end') as { reason: string; failure: { tail: string[] } }

describe("a script's trace never reaches its output", () => {
  it('after output without a final newline: the secret nowhere, the failing line still named', async () => {
    const repo = tracedRepo({ 'secret.txt': `${secret}\n` }, [
      'P=$(cat secret.txt)',
      "printf 'partial line no newline'",
      'curl_like() { return 0; }',
      'curl_like --user "admin:$P" http://x',
      'false',
    ])
    const { plain, json, all } = await everything(repo)
    expect(plain.code).toBe(1)
    expect(all).not.toContain(secret)
    expect(all).not.toContain('__devsetup_trace_')
    expect(endOf(json.stdout).reason).toBe('`false` (line 5 of the script) exited with code 1')
    // The script's own output is all there, as it wrote it.
    expect(endOf(json.stdout).failure.tail).toEqual(['partial line no newline'])
  })

  it('a multi-line value: none of its lines shows', async () => {
    const repo = tempRepo({
      'key.pem': `-----BEGIN OPENSSH PRIVATE KEY-----\n${keyLines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
      'devsetup.yml': `version: 1
steps:
  - name: Key
    run: |
      K=$(cat key.pem)
      test -n "$K"
      echo "key read"
      false
`,
    })
    const { plain, json, all } = await everything(repo)
    expect(plain.code).toBe(1)
    for (const line of keyLines) expect(all).not.toContain(line)
    expect(all).not.toContain('PRIVATE KEY')
    expect(endOf(json.stdout).reason).toBe('`false` (line 4 of the script) exited with code 1')
    expect(endOf(json.stdout).failure.tail).toEqual(['key read'])
  })

  it('without bash on PATH the script runs untraced under sh: no line named, nothing leaked', async () => {
    const repo = tracedRepo({ 'secret.txt': `${secret}\n` }, [
      'P=$(cat secret.txt)',
      "printf 'partial line no newline'",
      'echo "admin:$P" > /dev/null',
      'false',
    ])
    // Only what the script calls: sh itself runs as /bin/sh.
    const bin = path.join(repo, '..', `${path.basename(repo)}-bin`)
    mkdirSync(bin)
    symlinkSync('/bin/cat', path.join(bin, 'cat'))
    const { json, all } = await everything(repo, { PATH: bin })
    expect(all).not.toContain(secret)
    expect(all).not.toContain('__devsetup_trace_')
    expect(all).not.toMatch(/^\+ /m)
    expect(endOf(json.stdout).reason).toBe('`P=$(cat secret.txt) …` exited with code 1')
    expect(endOf(json.stdout).failure.tail).toEqual(['partial line no newline'])
  })
})
