// Shared test helpers: throw-away repositories and the built CLI run as a real process.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'
import { repoStateDir } from '../src/engine/state-dir.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const cliPath = path.join(repoRoot, 'bin', 'devsetup.js')

let stateBase: string | undefined
/**
 * DEVSETUP_STATE_DIR for every CLI run of this test file: devsetup keeps each repository's
 * state outside it, and tests must neither read nor litter the real ~/.local/state.
 * World-writable (sticky, like /tmp) so runs as `nobody` can keep state there too.
 */
export function testStateHome(): string {
  if (!stateBase) {
    stateBase = mkdtempSync(path.join(tmpdir(), 'devsetup-state-'))
    chmodSync(stateBase, 0o1777)
    made.push(stateBase)
  }
  return stateBase
}

/** Where the CLI keeps `repo`'s state (state.json, logs/, server.log, run.lock) in these tests. */
export function stateDirOf(repo: string): string {
  return repoStateDir(repo, { DEVSETUP_STATE_DIR: testStateHome() })
}

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A temp folder (removed after the test file), optionally a git repository, holding `files`. */
export function tempRepo(files: Record<string, string> = {}, options: { git?: boolean } = {}): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'devsetup-test-')))
  made.push(dir)
  if (options.git !== false) spawnSync('git', ['init', '-q'], { cwd: dir })
  writeFiles(dir, files)
  return dir
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), content)
  }
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs the built CLI (bin/devsetup.js) as a real process, without a TTY (plain renderer). */
export interface CliOptions {
  cwd: string
  env?: Record<string, string | undefined>
  timeoutMs?: number
  /** Run as the unprivileged `nobody` when the tests run as root (root ignores file modes). */
  asNobody?: boolean
  /** Another Node binary to run the CLI with (the supported versions' smoke tests). */
  node?: string
}

export const nobody = 65534

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).done
}

/** Like runCli, but hands back the live process (to signal it) next to the promise of its end. */
export function startCli(
  args: string[],
  options: CliOptions,
): { child: ChildProcess; done: Promise<CliResult> } {
  let child!: ChildProcess
  const done = new Promise<CliResult>((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1', CI: '', DEVSETUP_STATE_DIR: testStateHome(), ...options.env }
    const asNobody = options.asNobody && process.getuid?.() === 0
    child = spawn(options.node ?? process.execPath, [asNobody ? cliForNobody() : cliPath, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // libuv drops root's supplementary groups along with the uid.
      ...(asNobody ? { uid: nobody, gid: nobody } : {}),
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d) => {
      stdout += d
    })
    child.stderr?.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { child, done }
}

let nobodysCli: string | undefined

/**
 * The built CLI where `nobody` can read it. A clone may sit in a folder only its owner can enter
 * (`mktemp -d` makes one with mode 0700), so `nobody` gets a copy in a world-readable folder.
 */
function cliForNobody(): string {
  if (nobodysCli) return nobodysCli
  const dir = mkdtempSync(path.join(tmpdir(), 'devsetup-cli-'))
  made.push(dir)
  chmodSync(dir, 0o755)
  mkdirSync(path.join(dir, 'bin'))
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
  copyFileSync(cliPath, path.join(dir, 'bin', 'devsetup.js'))
  // The whole of dist/: cli.js loads its chunks from dist/chunks/.
  cpSync(path.join(repoRoot, 'dist'), path.join(dir, 'dist'), { recursive: true })
  nobodysCli = path.join(dir, 'bin', 'devsetup.js')
  return nobodysCli
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A zombie has exited and only waits for its new parent to reap it, which under load (or under
  // a pid 1 that reaps slowly) can take longer than a test waits: it runs nothing.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return process.platform !== 'linux'
  }
}

/** The bytes a terminal receives: the CLI run in a pseudo-terminal by util-linux `script` (the listr2 tree). */
export function ptyOutput(repo: string, env: Record<string, string>, args = ''): string {
  // A pty made by `script` has no size until one is set; listr2 wraps to it.
  const command = `stty cols 120 rows 40; ${process.execPath} ${cliPath} ${args}`
  const result = spawnSync('script', ['-qfec', command, '/dev/null'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '', DEVSETUP_STATE_DIR: testStateHome(), ...env },
    timeout: 30_000,
  })
  return result.stdout
}

/** Parses --json output: one event per line. */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** A fake executable on PATH (for tools that cannot run here, e.g. brew): a shell script. */
export function fakeBin(dir: string, name: string, script: string): string {
  const bin = path.join(dir, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(bin, `#!/bin/sh\n${script}\n`, { mode: 0o755 })
  return bin
}

/** The ids of `dir`'s recipe in order, as `devsetup list --json` gives them. */
export async function listedIds(dir: string): Promise<string[]> {
  const list = await runCli(['list', '--json'], { cwd: dir })
  if (list.code !== 0) throw new Error(`devsetup list failed: ${list.stderr}`)
  return list.stdout
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { id: string }).id)
}

/** Whether something accepts a TCP connection at `host:port` within a second. */
export function answers(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.split(':').pop())]
  return new Promise((resolve) => {
    const socket = createConnection({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
