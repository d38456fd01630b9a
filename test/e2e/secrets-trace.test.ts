// A multi-line `run: |` is traced to name its failing line (engine/script-trace.ts), and the
// trace holds every expanded value: a secret the script computes and never prints must not
// reach any output through it, whatever the script prints around it (a last line without its
// newline, a value over several lines). Real scripts under the machine's shells; the trace
// goes to a file descriptor of its own (bash's BASH_XTRACEFD), and without such a bash the
// script runs untraced.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs'
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

/** `everything` for a script that fails, after asserting the secret and the trace show nowhere. */
async function failsWithoutTrace(repo: string) {
  const result = await everything(repo)
  expect(result.plain.code).toBe(1)
  expect(result.all).not.toContain(secret)
  expect(result.all).not.toContain('__devsetup_trace_')
  return result
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
    const { json } = await failsWithoutTrace(repo)
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

describe('a script that uses file descriptors itself', () => {
  // fd 3 was once the trace's: the script's own `exec 3>…` took the trace with it.
  const fdScripts: Record<string, string[]> = {
    'exec 3>&1 (the output)': ['exec 3>&1'],
    'exec 3>&- (closed)': ['exec 3>&-'],
    'exec 3>notes.txt (a file of its own)': ['exec 3>notes.txt', 'echo "note" >&3'],
    '{ …; } 3>out3.txt (a group)': ['{ echo "in:$P" > /dev/null; echo grouped; } 3>out3.txt'],
  }
  for (const [name, lines] of Object.entries(fdScripts)) {
    it(`${name}: no trace in the output or its files, the failing line named`, async () => {
      const script = ['P=$(cat secret.txt)', ...lines, 'echo "user:$P" > /dev/null', 'echo hello', 'false']
      const repo = tracedRepo({ 'secret.txt': `${secret}\n` }, script)
      const { json } = await failsWithoutTrace(repo)
      expect(endOf(json.stdout).reason).toBe(
        `\`false\` (line ${script.length} of the script) exited with code 1`,
      )
      const written = ['notes.txt', 'out3.txt']
        .filter((file) => existsSync(path.join(repo, file)))
        .map((file) => readFileSync(path.join(repo, file), 'utf8'))
      // Each run writes its file anew: what the script wrote, once.
      expect(written.join('')).toBe(name.includes('notes') ? 'note\n' : '')
    })
  }

  it('a script that names the trace fd or BASH_XTRACEFD runs untraced', async () => {
    const repo = tracedRepo({ 'secret.txt': `${secret}\n` }, [
      'P=$(cat secret.txt)',
      'exec 87>&-',
      'echo "user:$P" > /dev/null',
      'false',
    ])
    const { json, all } = await everything(repo)
    expect(all).not.toContain(secret)
    // Untraced, it runs under sh (dash), where fd 87 is no fd at all: its code is dash's.
    expect(endOf(json.stdout).reason).toMatch(/^`P=\$\(cat secret\.txt\) …` exited with code \d+$/)
  })

  it('the trace fd closed where no text shows it: bash falls back to stderr, the marked lines are dropped', async () => {
    const repo = tracedRepo({ 'secret.txt': `${secret}\n` }, [
      'P=$(cat secret.txt)',
      'n=$((80 + 7))',
      'eval "exec $n>&-"',
      'echo "user:$P" > /dev/null',
      'echo hello',
      'false',
    ])
    const { json } = await failsWithoutTrace(repo)
    expect(endOf(json.stdout).failure.tail).toEqual(['hello'])
  })
})

describe('a process the script leaves running', () => {
  it('keeps the trace file open, but emptied: none of the traced values is left in it', async () => {
    const repo = tracedRepo({ 'secret.txt': `${secret}\n` }, [
      'P=$(cat secret.txt)',
      'echo "user:$P" > /dev/null',
      'sleep 60 > /dev/null 2>&1 &',
      'echo $! > daemon.pid',
      'false',
    ])
    const result = await runCli(['up'], { cwd: repo })
    expect(result.code).toBe(1)
    const pid = Number(readFileSync(path.join(repo, 'daemon.pid'), 'utf8'))
    try {
      // Every file the daemon holds open, read through /proc as any process of the user could.
      const fdDir = `/proc/${pid}/fd`
      const held = readdirSync(fdDir)
        .map((fd) => path.join(fdDir, fd))
        .filter((fd) => statSync(fd).isFile())
        .map((fd) => readFileSync(fd, 'utf8'))
      expect(held.length).toBeGreaterThan(0)
      expect(held.join('')).not.toContain(secret)
    } finally {
      process.kill(pid, 'SIGKILL')
    }
  })
})
