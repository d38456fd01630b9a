// The app's own log (`app_log:`). Some servers write their output to a file of their own rather
// than to the start's output: NodeBB's daemonized `./nodebb start` writes logs/output.log
// through a rotating stream, so the start's log (server.log) holds only the CLI's "Starting
// NodeBB" lines and a report quoting it alone says nothing of why the server died. A failure
// report quotes both: the start's last lines, then what the app wrote to its own log since this
// start (all of it when the app rotated the file meanwhile, which leaves it shorter than before).
import { statSync } from 'node:fs'
import { displayPath } from '../../engine/state-dir.js'
import { readFrom } from './crash.js'
import { errorReport } from './group-watch.js'
import { logTail, type ServerRecord } from './server.js'

const tailBytes = 64 * 1024

/**
 * The last lines the app wrote to `file` since it was `offset` bytes long, and before them its
 * first error since then when the tail has scrolled past it: a dying app often logs a second,
 * knock-on error (NodeBB: `ERR_IPC_CHANNEL_CLOSED` 28 lines after the `ERR_SOCKET_BAD_PORT`
 * that killed it), and the first is the cause.
 */
function appLogTail(file: string, offset: number, lines: number): string[] {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    return []
  }
  const from = size < offset ? 0 : offset
  const text = readFrom(file, Math.max(from, size - tailBytes), tailBytes).trimEnd()
  if (text === '') return []
  const all = text.split('\n')
  // An error the app logs at every boot (NodeBB's web-push plugin: "Vapid subject is not an
  // https: or mailto: URL", healthy starts included) is no cause: one its earlier starts also
  // logged, digits aside, is passed over when another error follows.
  const before = from > 0 ? readFrom(file, Math.max(0, from - tailBytes), Math.min(from, tailBytes)) : ''
  const usual = new Set(
    before
      .split('\n')
      .filter((line) => errorReport.test(line))
      .map(shape),
  )
  const errors = all.flatMap((line, i) => (errorReport.test(line) ? [i] : []))
  const first = errors.find((i) => !usual.has(shape(all[i]!))) ?? errors[0] ?? -1
  if (first < 0 || first >= all.length - lines) return all.slice(-lines)
  const cause = all.slice(first, first + causeLines)
  return [...cause, '…', ...all.slice(-(lines - cause.length - 1))]
}

/** A line as it recurs from one start to the next: timestamps, pids and ports aside. */
const shape = (line: string) => line.replace(/\d+/g, '#').trim()

/** The first error's lines kept before the tail: its headline and the frames that place it. */
const causeLines = 4

/** A failed start's last lines: the start's log, then the app's own log when the step names one. */
export function failureTail(record: ServerRecord, root: string, lines = 15): string[] {
  const own = logTail(record.log, lines)
  if (record.appLog === undefined) return own
  const shown = displayPath(record.appLog, root)
  const app = appLogTail(record.appLog, record.appLogOffset ?? 0, lines)
  if (app.length === 0) return [...own, `── ${shown} (app_log): nothing written since the start ──`]
  // The start's own lines are few ("Starting…"); the app's log is where the reason is.
  return [...own.slice(-5), `── ${shown} (app_log), since the start ──`, ...app]
}
