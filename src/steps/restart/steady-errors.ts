// A server that answers its health URL with 5xx, steadily, while its own log reports an error:
// broken, not booting. clone-tabnews with `POSTGRES_DB=` emptied answered 500 from its first
// second (`database "…" does not exist` in its log at each request) and `up` waited the whole
// health_timeout (2 min) to say so. A server that warms up answers 503 for a while, and an app
// that waits for its database logs its retries: so the rule needs 10 s of nothing but 5xx
// answers of this server (a refused connection or a 2xx/4xx resets it), an error report in
// the output since the start, and no retry wording in its last lines. Limit: an app that takes
// more than 10 s to warm up AND logs an error report meanwhile without the word retry is failed
// early (its log tail is in the report).
import { ansi, readTail } from './crash.js'
import { errorReport, reportedError, retrying } from './group-report.js'
import type { Probe } from './health.js'

const steadyMs = 10_000
// Another server not answering yet (a sibling API still compiling under turbo, a page's fetch to
// it failing): what it waits on may come up, so that is no verdict here. Whether a refused
// address will come up is refused.ts's to tell: it asks the address itself.
const waitsOnAnother = /\bECONNREFUSED\b|\bfetch failed\b|\bENOTFOUND\b|\bEAI_AGAIN\b|\bsocket hang up\b/
const tailBytes = 64 * 1024

export class SteadyServerErrors {
  private since: number | undefined
  private status = ''

  constructor(
    private readonly log: string,
    private readonly offset: number,
  ) {}

  /** Each probe's result, in order: a run of 5xx answers starts, goes on, or ends. */
  note(seen: Probe): Probe {
    const answer = /^HTTP (5\d\d)\b/.exec(seen.detail)
    if (seen.ok || !answer) this.since = undefined
    else if (this.since === undefined) [this.since, this.status] = [Date.now(), answer[1]!]
    else this.status = answer[1]!
    return seen
  }

  /** Why waiting on is pointless, once 5xx answers lasted 10 s and the log reports an error. */
  verdict(): string | undefined {
    if (this.since === undefined || Date.now() - this.since < steadyMs) return undefined
    const lines = this.logSinceStart()
    if (lines.slice(-20).some((line) => retrying.test(line) || waitsOnAnother.test(line))) return undefined
    const error = errorLine(lines.filter((line) => line.trim() !== '').slice(-80))
    if (!error) return undefined
    const seconds = Math.round((Date.now() - this.since) / 1000)
    return `it answers HTTP ${this.status} for ${seconds}s while its log reports "${error}"`
  }

  private logSinceStart(): string[] {
    return readTail(this.log, tailBytes, this.offset).replace(ansi, '').split('\n')
  }
}

/**
 * The line that says what failed, in the last lines of the log:
 *   - the deepest `[cause]:` Node prints under a wrapped error (Next.js's 500: `[cause]: error:
 *     database "x" does not exist` under `Error [ServiceError]`, then node-postgres's fields);
 *   - node-postgres's `error: database "x" does not exist` over its stack (no Error headline):
 *     the line above the first frame, not the frame;
 *   - else an error report (group-report.ts), or a line with the word error.
 */
function errorLine(lines: string[]): string | undefined {
  const cause = lines.filter((line) => /\[cause\]:/.test(line) && /error/i.test(line)).at(-1)
  if (cause) return cause.trim()
  const frame = lines.findIndex((line) => /^\s+at \S/.test(line))
  if (frame > 0 && !errorReport.test(lines[frame - 1]!)) return lines[frame - 1]!.trim()
  return reportedError(lines) ?? lines.find((line) => /\berror\b/i.test(line))?.trim()
}
