// Which line of a multi-line `run: |` script failed. The shell's xtrace writes each simple
// command, after expansion, just before running it: the last traced command before the exit
// is the one that failed (with `set -e`, or the script's last command or its `exit` without).
// That command is mapped back to the script's source line by its words, so the line is named
// as written (`cp "$SRC" …`), not expanded.
//
// The trace holds every expanded value (`curl --user "admin:$P"` traced with the password), so
// not one byte of it may reach the script's output: trace lines on the output's own stream
// could not be told apart from it (a trace glued to output without a final newline, a
// multi-line value traced over several lines). So the trace goes to a file descriptor of its
// own, which only bash can do (BASH_XTRACEFD, bash >= 4.1): a traced script runs under the
// machine's bash, in a file devsetup opened and unlinked at once (anonymous: a killed run
// leaves nothing behind, and a daemon the script starts may keep it open without holding up
// the step, as a pipe would). Where there is no such bash (Alpine, macOS's bash 3.2), the
// script runs untraced under `sh`: no line is named, and no trace exists that could leak.
//
// The file arrives as fd 3 and is moved at once to `traceFd`, far above the 3–9 scripts use
// (`exec 3>&1` would otherwise send the trace into the output, `exec 3>notes.txt` into the
// user's file); a script that names that fd or BASH_XTRACEFD is not traced. bash runs in POSIX
// mode, as dash does: `V=$(false)` under `set -e` and `. ./missing.sh` stop the script, where
// plain bash runs on and would report a script green that `sh` fails. With it, xpg_echo makes
// `echo` expand `\n` and print `-e` as dash's does, but then takes no `-n` either: a function
// `echo` gives `-n` dash's meaning (its own commands are left out of the mapping). $0 is `sh`
// (messages read `sh: line 3: …`), so that a script written for `sh` reads the same.
// A single-line command is not traced: it is its own name.
import { randomBytes } from 'node:crypto'
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, unlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { findOnPath } from './which.js'

/** Starts every trace record; unique per process, so a traced value cannot fake one. */
const marker = `__devsetup_trace_${randomBytes(4).toString('hex')}__`
/** The fd the trace is written to in the script's shell; it arrives as spawn.ts's `fd3`. */
const traceFd = 87
/** The function that gives `echo -n` dash's meaning; what runs inside it is not the script's. */
const echoHelper = 'echo'
/** The commands kept for the mapping: enough to follow a loop back to where it failed. */
const keptTraces = 50
/** How much of the trace's end is read: the last `keptTraces` commands, not a long loop's all. */
const readTail = 256 * 1024

/**
 * The script's own xtrace or PS4 stays the script's: then it is not traced by devsetup. Nor is
 * a script that redirects, closes or opens the trace's fd (`87>`, `>&87`, `/dev/fd/87`).
 */
const ownTrace = new RegExp(
  String.raw`\bset\s+(-[A-Za-z]*x|-o\s+xtrace)\b|\bPS4=|\bBASH_XTRACEFD\b|` +
    String.raw`(^|[^\w$])${traceFd}[<>]|[<>]&\s*${traceFd}\b|/fd/${traceFd}\b`,
)

export function isTraceable(command: string | readonly string[]): command is string {
  return typeof command === 'string' && command.trim().includes('\n') && !ownTrace.test(command)
}

/**
 * The script with xtrace switched on in front of its first line (on that same line, so that the
 * shell's own messages, `sh: line 3: foo: not found`, keep the script's line numbers), and only
 * when this bash writes the trace to `traceFd` (else not at all, and fd 3 is closed all the
 * same). Its stderr goes into stdout, as one pipe keeps the order the script wrote in. PS4 and
 * BASH_XTRACEFD are plain shell variables, not exported: a child shell's own `set -x` keeps its
 * usual `+ ` on its stderr. PS4 names the function a command runs in, after the marker.
 */
export function tracedScript(script: string): string {
  // dash's echo: a first `-n` drops the newline; all else as xpg_echo's (escapes, `-e` printed).
  const echo =
    `${echoHelper}() { if [ "\${1-}" != -n ]; then builtin echo "$@"; ` +
    `else shift; local IFS=' '; printf '%b' "$*"; fi; }`
  return (
    `exec 2>&1; set -o posix; shopt -s xpg_echo; ${echo}; ` +
    `if ((BASH_VERSINFO[0] > 4 || BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 1)); ` +
    `then exec ${traceFd}>&3 3>&-; BASH_XTRACEFD=${traceFd}; PS4='+${marker}\${FUNCNAME[0]-} '; set -x; ` +
    `else exec 3>&-; fi; ${script}`
  )
}

/**
 * Whether an output line carries a trace record. Only a last guard: the trace has its own fd
 * and bash writes it to stderr (so into the output) only when that fd is gone, which a script
 * can do only in ways `isTraceable` does not see (`eval "exec $n>&-"`). Dropping the marked line
 * keeps the common case out; a traced value over several lines would still show its later lines.
 */
export function isTraceLine(line: string): boolean {
  return line.includes(marker)
}

/** The output without trace lines (`isTraceLine`), as the script wrote it otherwise. */
export function withoutTraceLines(text: string): string {
  if (!text.includes(marker)) return text
  return text
    .split('\n')
    .filter((line) => !isTraceLine(line))
    .join('\n')
}

/** A script to trace: the shell that runs it and the anonymous file its trace goes to. */
export class ScriptTrace {
  private closed = false

  private constructor(
    private readonly script: string,
    readonly bash: string,
    readonly fd: number,
  ) {}

  /** The trace for `script`, or undefined where no bash can run it (then it runs untraced). */
  static async open(script: string, env: Record<string, string>): Promise<ScriptTrace | undefined> {
    const bash = await findOnPath('bash', env)
    if (!bash) return undefined
    const file = path.join(os.tmpdir(), `devsetup-trace-${randomBytes(8).toString('hex')}`)
    let fd: number
    try {
      fd = openSync(file, 'wx+', 0o600)
    } catch {
      return undefined
    }
    try {
      unlinkSync(file)
    } catch {
      // A trace under a name that stays would keep secrets on disk: rather none.
      closeSync(fd)
      return undefined
    }
    return new ScriptTrace(script, bash, fd)
  }

  /** The command that runs the script traced: bash, its $0 `sh`. */
  command(): string[] {
    return [this.bash, '-c', tracedScript(this.script), 'sh']
  }

  /** The failing command's source line (1-based) and text, when the trace names one; closes the file. */
  failedLine(): { line: number; text: string } | undefined {
    const traces = this.readTraces()
    const lines = this.script.split('\n')
    let cursor = 0
    let found: number | undefined
    for (const traced of traces) {
      found = sourceLine(lines, traced, cursor)
      if (found !== undefined) cursor = found
    }
    const last = traces.at(-1)
    // `set +x` in the script ends the trace: what ran after it is unknown.
    if (last === undefined || found === undefined || /^set \+x\b/.test(last)) return undefined
    return { line: found + 1, text: lines[found]!.trim() }
  }

  /**
   * Empties the file, then closes it. A process the script left running (a daemon, a loop in
   * the background) inherited the fd and keeps it after the step: emptied, it holds none of the
   * step's traced values, readable through /proc/PID/fd. bash gives no way to keep the fd from
   * the commands it starts (no close-on-exec for BASH_XTRACEFD), so emptying is what is left.
   */
  close(): void {
    // Once only: a closed fd's number is soon another file's, which must not be emptied.
    if (this.closed) return
    this.closed = true
    for (const step of [() => ftruncateSync(this.fd, 0), () => closeSync(this.fd)]) {
      try {
        step()
      } catch {
        // Nothing to be done about a file that will not empty or close: the step's result stands.
      }
    }
  }

  /** The last traced commands, each whole (a multi-line value stays inside its record). */
  private readTraces(): string[] {
    try {
      const size = fstatSync(this.fd).size
      const length = Math.min(size, readTail)
      const buffer = Buffer.alloc(length)
      readSync(this.fd, buffer, 0, length, size - length)
      // A record starts with PS4 at a line's start; its `+` repeats once per nesting level.
      // After the marker comes the function the command ran in (none at the top), then a space.
      const records = `\n${buffer.toString('utf8')}`.split(new RegExp(`\\n\\++${marker}`))
      // The first piece is what precedes the first whole record in the tail read.
      return records
        .slice(1)
        .filter((record) => !record.startsWith(`${echoHelper} `))
        .map((record) => record.slice(record.indexOf(' ') + 1))
        .slice(-keptTraces)
    } catch {
      return []
    } finally {
      this.close()
    }
  }
}

/** The index of the line the traced command came from, preferring the first at or after `from`. */
function sourceLine(lines: string[], traced: string, from: number): number | undefined {
  const words = traced.trim().split(/\s+/)
  const first = words[0] ?? ''
  // An assignment is traced as `x=value`: its name is what the source line surely holds.
  const key = first.includes('=') ? first.slice(0, first.indexOf('=') + 1) : first
  let best: number | undefined
  let bestScore = 0
  for (let step = 0; step < lines.length; step++) {
    const index = (from + step) % lines.length
    const line = lines[index]!
    if (!key || !line.includes(key) || /^\s*#/.test(line)) continue
    const score = line.includes(traced.trim())
      ? 2
      : words.filter((word) => line.includes(word)).length / words.length
    if (score > bestScore) {
      best = index
      bestScore = score
    }
  }
  return best
}
