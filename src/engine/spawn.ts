// Starts one command and collects its output: what exec.ts used execa for, on Node's own
// child_process. A no-op run starts its checks all at once, and each spawn blocks the event
// loop while it happens; execa's per-call set-up (streams, transforms, option handling) made
// that block about twice as long (measured: 8 concurrent `sleep 0.2` checks spent 117–237 ms
// in execa's spawn loop against 88–104 ms with child_process, on a loaded 2-core machine).
import { spawn } from 'node:child_process'

export interface Finished {
  /** Undefined when the process did not start or was ended by a signal. */
  exitCode: number | undefined
  signal: NodeJS.Signals | undefined
  /** Why it could not start (ENOENT: no such command). */
  startError: NodeJS.ErrnoException | undefined
  stdout: string
  stderr: string
  /** stdout and stderr interleaved in arrival order. */
  all: string
}

export interface Started {
  pid: number | undefined
  done: Promise<Finished>
  /** Ends a held stdin: the command reads end-of-file from then on. */
  endInput: () => void
}

/**
 * A string runs through the shell, an array runs its file directly. The child leads its own
 * process group (detached) so that a stop reaches its children too. The env is used as given.
 */
export function startProcess(
  command: string | readonly string[],
  options: {
    cwd: string
    env: Record<string, string>
    input?: string
    /** stdin a pipe kept open and never written (ExecOptions.holdStdin); `input` wins. */
    holdStdin?: boolean
    onData?: (chunk: Buffer) => void
    /** A file of ours the child gets as its fd 3 (a script's trace file, script-trace.ts). */
    fd3?: number
  },
): Started {
  const shell = typeof command === 'string'
  const child = spawn(shell ? command : command[0]!, shell ? [] : command.slice(1), {
    cwd: options.cwd,
    env: options.env,
    shell,
    detached: true,
    stdio: [
      options.input === undefined && !options.holdStdin ? 'ignore' : 'pipe',
      'pipe',
      'pipe',
      ...(options.fd3 === undefined ? [] : [options.fd3]),
    ],
  })
  const out: Buffer[] = []
  const err: Buffer[] = []
  const all: Buffer[] = []
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    into.push(chunk)
    all.push(chunk)
    options.onData?.(chunk)
  }
  child.stdout?.on('data', collect(out))
  child.stderr?.on('data', collect(err))
  // A command that exits without reading its input must not fail the write (EPIPE).
  child.stdin?.on('error', () => {})
  if (options.input !== undefined) child.stdin?.end(options.input)
  const done = new Promise<Finished>((resolve) => {
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, startError?: Error) => {
      resolve({
        exitCode: exitCode ?? undefined,
        signal: signal ?? undefined,
        startError: startError as NodeJS.ErrnoException | undefined,
        stdout: text(out),
        stderr: text(err),
        all: text(all),
      })
    }
    child.once('error', (error) => {
      if (child.pid === undefined) finish(null, null, error)
    })
    // 'close', not 'exit': the output is complete only once both pipes have ended.
    child.once('close', finish)
  })
  return { pid: child.pid, done, endInput: () => child.stdin?.end() }
}

/** The output as text without its final newline, as a shell's $(...) gives it. */
function text(chunks: Buffer[]): string {
  return Buffer.concat(chunks)
    .toString()
    .replace(/\r?\n$/, '')
}
