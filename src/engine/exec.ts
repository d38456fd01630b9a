// Runs a step's commands. Each runs in its own process group (detached), so that Ctrl-C,
// a timeout or devsetup's own exit can kill the whole tree (npm → sh → node), not just
// the direct child. While `up` runs, each group is also recorded (orphans.ts), so that the
// next run can stop what a SIGKILLed devsetup left behind. Output goes line by line to the run's log and, for run(), to the task.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { CommandError } from '../errors.js'
import type { Exec, ExecOptions, ExecResult } from '../steps/define.js'
import { assertInsideRepository } from './confine.js'
import { killGroup, trackGroup, untrackGroup } from './groups.js'
import { maskSecrets } from './mask.js'
import { forgetGroup, groupMarkerEnv, recordGroup } from './orphans.js'
import { isTraceable, isTraceLine, ScriptTrace, withoutTraceLines } from './script-trace.js'
import { startProcess } from './spawn.js'

export interface ExecSetup {
  /** The repository: no command runs in a folder that resolves outside it. */
  root?: string
  cwd: string
  env: () => Record<string, string>
  signal: AbortSignal
  onLine?: (line: string) => void
  log?: (text: string) => void
}

const tailLength = 20
/** How much of a failed command's output the diagnosis reads: a gem's build log runs long. */
const diagnosedChars = 64 * 1024
const graceMs = 3000

export function createExec(setup: ExecSetup): Exec {
  return async (command, options: ExecOptions = {}) => {
    const shown = maskSecrets(typeof command === 'string' ? command : command.join(' '))
    const cwd = options.cwd ? path.resolve(setup.cwd, options.cwd) : setup.cwd
    setup.signal.throwIfAborted()
    // Spawning in a missing folder fails with ENOENT, which would read as "command not found".
    if (!existsSync(cwd)) {
      throw new CommandError(shown, undefined, [], `working directory ${cwd} does not exist`)
    }
    // A folder from the recipe (the step's cwd, or a relative one a step type passes on) must
    // stay inside the repository; an absolute folder is a step type's own choice (a service's
    // data folder in devsetup's state folder), never the recipe's.
    if (setup.root !== undefined && !(options.cwd && path.isAbsolute(options.cwd)))
      assertInsideRepository(setup.root, cwd)
    setup.log?.(`$ ${shown}${cwd === setup.cwd ? '' : `   (in ${cwd})`}`)
    const started = Date.now()
    let pending = ''
    // For `watch`: when the command last printed, and its last line.
    let lastOutputAt = started
    let lastLine = ''
    // A multi-line script runs traced, so that a failure can name its line (script-trace.ts).
    // Its trace goes to a file of its own, never into the output; without a bash that can do
    // that, it runs untraced.
    const env = { ...setup.env(), ...options.env, ...groupMarkerEnv() }
    const trace =
      options.nameFailedLine && isTraceable(command) ? await ScriptTrace.open(command, env) : undefined
    // Only the last guard against a trace in the output (script-trace.ts's isTraceLine).
    const show = (line: string) => {
      if (!trace || !isTraceLine(line)) setup.onLine?.(maskSecrets(line))
    }
    let child: ReturnType<typeof startProcess>
    try {
      child = startProcess(trace ? trace.command() : command, {
        cwd,
        ...(trace ? { fd3: trace.fd } : {}),
        env,
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.holdStdin ? { holdStdin: true } : {}),
        onData: (chunk) => {
          const text = pending + chunk.toString()
          const lines = text.split(/\r?\n/)
          pending = lines.pop() ?? ''
          for (const line of lines) show(line)
          lastOutputAt = Date.now()
          lastLine = [...lines, pending].filter((line) => line.trim() !== '').at(-1) ?? lastLine
        },
      })
    } catch (error) {
      // spawn throws on what it cannot pass (a NUL byte in the script): the trace file is ours to close.
      trace?.close()
      throw error
    }

    const pid = child.pid
    if (pid !== undefined) {
      trackGroup(pid)
      recordGroup(pid, shown)
    }
    let killedBy: string | undefined
    const stop = (why: string) => {
      if (pid === undefined || killedBy) return
      killedBy = why
      killGroup(pid, 'SIGTERM')
      setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs).unref()
    }
    const onAbort = () =>
      stop(setup.signal.reason instanceof Error ? setup.signal.reason.message : 'interrupted')
    setup.signal.addEventListener('abort', onAbort, { once: true })
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => stop(`timed out after ${options.timeoutMs}ms`), options.timeoutMs)
    const watcher =
      options.watch && pid !== undefined
        ? setInterval(() => {
            const why = options.watch!(pid, {
              lastLine: maskSecrets(lastLine.trim()),
              silentMs: Date.now() - lastOutputAt,
              endInput: child.endInput,
            })
            if (why) stop(why)
          }, 1000)
        : undefined

    const finished = await child.done
    const result = trace
      ? {
          ...finished,
          all: withoutTraceLines(finished.all),
          stdout: withoutTraceLines(finished.stdout),
          stderr: withoutTraceLines(finished.stderr),
        }
      : finished
    if (pending) show(pending)
    if (timer) clearTimeout(timer)
    if (watcher) clearInterval(watcher)
    setup.signal.removeEventListener('abort', onAbort)
    if (pid !== undefined) {
      // The shell may be gone while its children still run: end the group either way.
      if (killedBy) killGroup(pid, 'SIGKILL')
      untrackGroup(pid)
      forgetGroup(pid)
    }

    // Captured output stays as it is for the step's own use; what is shown or logged is masked.
    const all = result.all
    const shownAll = maskSecrets(all)
    setup.log?.(
      `${all ? `${all}\n` : ''}→ exit ${result.exitCode ?? result.signal ?? '?'} after ${Date.now() - started}ms`,
    )
    const traced = result.exitCode === 0 ? undefined : trace?.failedLine()
    trace?.close()
    // The failing line as written in the script (masked like everything shown), else the
    // script by its first line.
    const failed = traced && { line: traced.line, text: maskSecrets(traced.text) }
    const named = failed ? `\`${failed.text}\` (line ${failed.line} of the script)` : `\`${oneLine(shown)}\``
    const execResult: ExecResult = {
      command: shown,
      ...(failed ? { failedLine: failed } : {}),
      exitCode: result.exitCode ?? 128,
      stdout: result.stdout,
      stderr: result.stderr,
      all,
    }
    if (killedBy) {
      throw new CommandError(
        shown,
        result.exitCode,
        lastLines(shownAll),
        `${named} was stopped: ${killedBy}`,
        shownAll.slice(-diagnosedChars),
      )
    }
    if (result.exitCode === undefined) {
      const { startError, signal } = result
      const reason =
        startError?.code === 'ENOENT'
          ? `command not found: ${typeof command === 'string' ? shown : (command[0] ?? shown)}`
          : startError
            ? `failed to start \`${oneLine(shown)}\`: ${startError.message}`
            : `${named} was killed by ${signal ?? 'a signal'}`
      throw new CommandError(shown, undefined, lastLines(shownAll), reason, shownAll.slice(-diagnosedChars))
    }
    if (result.exitCode !== 0 && options.reject !== false) {
      throw new CommandError(
        shown,
        result.exitCode,
        lastLines(shownAll),
        `${named} exited with code ${result.exitCode}`,
        shownAll.slice(-diagnosedChars),
      )
    }
    return execResult
  }
}

/** A multi-line script named in a one-line reason: its first line and an ellipsis. */
function oneLine(command: string): string {
  const lines = command.trim().split('\n')
  return lines.length > 1 ? `${lines[0]} …` : command
}

function lastLines(text: string): string[] {
  return text.split(/\r?\n/).slice(-tailLength)
}
