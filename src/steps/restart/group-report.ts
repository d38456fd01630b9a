// What the log's last lines say, for the process group's crash signals (group-watch.ts): an
// error report, a stack trace under a fatal headline, an unhandled-error line, an app saying it
// gives up, and the retry wording of a server that keeps booting. Colours are stripped before.

/** A line that says an error was reported: a V8 stack frame, an Error/Exception name, a Node error code. */
export const errorReport = /^\s+at \S|\b(?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b|\bERR_[A-Z_]{3,}\b/
const headline = /\b(?:[A-Z][A-Za-z]*)?(?:Error|Exception)\b/

const stackFrame = /^\s+at \S|^\s*⁃ \S/
export const retrying = /\bretr(?:y|ying|ies)\b|\breconnect|\battempt\b|\btrying again\b/i

/** Signal C's report: a handler's line for an error nothing caught (`UnhandledRejection, reason: …`). */
export const unhandledReport = /\bunhandled ?(?:promise ?)?rejection\b|\buncaught ?exception\b/i

export const nonBlank = (lines: string[], count: number) =>
  lines.filter((line) => line.trim() !== '').slice(-count)

/** The error report among the last lines of output, by its headline when it has one. */
export function reportedError(lines: string[]): string | undefined {
  const recent = nonBlank(lines, 20)
  if (!recent.some((line) => errorReport.test(line))) return undefined
  return (recent.find((line) => headline.test(line)) ?? recent.find((line) => errorReport.test(line)))!.trim()
}

/** Signal B's report: the output ends in a stack trace under an Error/Exception headline, with no retry. */
export function fatalReport(lines: string[]): string | undefined {
  const recent = nonBlank(lines, 40)
  if (!nonBlank(lines, 8).some((line) => stackFrame.test(line))) return undefined
  if (recent.some((line) => retrying.test(line))) return undefined
  const at = recent.findIndex((line) => headline.test(line))
  if (at < 0) return undefined
  const name = recent[at]!.trim()
  if (!name.endsWith(':')) return name
  // youch prints the name alone on its line ("EnvValidationException:") and the message below
  // it, a word a line when the output is no terminal: up to the first frame or code line.
  const message = recent.slice(at + 1, at + 13)
  const end = message.findIndex((line) => stackFrame.test(line) || /^\s*(?:❯\s*)?\d+\|/.test(line))
  return [name, ...message.slice(0, Math.max(0, end)).map((line) => line.trim())].join(' ')
}

// An app that validates its configuration and calls process.exit() says so in its own words,
// with no Error, stack or `Node.js v…` line: docmost's `The Environment variables has failed the
// following validations: … Please fix the environment variables and try again. Exiting
// program...`, and its `Failed to run database migration. Exiting program.`. Both a failure and
// an exit are asked for: a one-shot helper says it is done (`nothing to do, exiting`), a failed
// script says `Command failed with exit code 1` (pnpm, yarn; "exit code" is no exit wording).
const failing = /\bfail(?:ed|s|ure)?\b|\binvalid\b|\bfatal\b|\bcannot\b|\bcould not\b|\bunable to\b/i
const exiting = /\bexiting\b|\bshutting down\b|\bgiving up\b/i

/**
 * Signal A's report for an exit beside live siblings: among the last 8 lines, one says it is
 * exiting and it, or one before it, says what failed; no retry wording among the last 20.
 * Gives the failure line, and the exit line when it is another.
 */
export function givingUp(lines: string[]): string | undefined {
  const recent = nonBlank(lines, 8)
  const exit = recent.map((line) => exiting.test(line)).lastIndexOf(true)
  if (exit < 0 || nonBlank(lines, 20).some((line) => retrying.test(line))) return undefined
  const failed = recent.findIndex((line, i) => i <= exit && (failing.test(line) || errorReport.test(line)))
  if (failed < 0) return undefined
  const quote = (i: number) => recent[i]!.trim()
  return failed === exit ? quote(exit) : `${quote(failed)}" … "${quote(exit)}`
}

/**
 * Signal A's report for an exit beside live siblings in the app's own words, when it names no
 * exit: the last failure line (failing wording or an error report) among `fresh`, the lines the
 * log gained in the poll that saw the exit and the one before (the app said it as it exited),
 * with no retry wording among the last 20 of `lines`. Maintainerr's API under `nest start
 * --watch` under turbo: `Could not create or access (files in) the data directory. Please make
 * sure the necessary permissions are set`, then process.exit(1); the UI's vite lives on.
 */
export function failedOnExit(fresh: string[], lines: string[]): string | undefined {
  if (nonBlank(withoutGoDump(lines), 20).some((line) => retrying.test(line))) return undefined
  return nonBlank(withoutGoDump(fresh), 8)
    .filter((line) => failing.test(line) || errorReport.test(line))
    .at(-1)
    ?.trim()
}

// A Go program's crash dump: esbuild's service, a child of the app's bundler, dies when the app
// exits (its pipe closes: `fatal error: all goroutines are asleep - deadlock!`) and prints a
// goroutine trace of hundreds of lines after the app's own error (Medusa's `Error starting
// server … ERR_SOCKET_BAD_PORT`), which pushed that error out of the last lines read. The dump is
// a consequence, never the app's words: its lines are left out.
const goDump =
  /^(?:fatal error: all goroutines are asleep|goroutine \d+ \[|created by \S|\t\S.*\.go:\d+|[\w./*()-]+\(.*\)$|\[signal \S|(?:rax|rbx|rcx|rdx|rdi|rsi|rbp|rsp|r\d+|rip|rflags|cs|fs|gs|pc|lr|sp)\s+0x)/

/** `lines` without the lines of a Go crash dump. */
export function withoutGoDump(lines: string[]): string[] {
  return lines.filter((line) => !goDump.test(line))
}
