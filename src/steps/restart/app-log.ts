// The app's own log (`app_log:`). Some servers write their output to a file of their own rather
// than to the start's output: NodeBB's daemonized `./nodebb start` writes logs/output.log
// through a rotating stream, so the start's log (server.log) holds only the CLI's "Starting
// NodeBB" lines and a report quoting it alone says nothing of why the server died. A failure
// report quotes both: the start's last lines, then what the app wrote to its own log since this
// start (all of it when the app rotated the file meanwhile, which leaves it shorter than before).
import { statSync } from 'node:fs'
import { displayPath } from '../../engine/state-dir.js'
import { readFrom } from './crash.js'
import { logTail, type ServerRecord } from './server.js'

const tailBytes = 64 * 1024

/** The last lines the app wrote to `file` since it was `offset` bytes long. */
function appLogTail(file: string, offset: number, lines: number): string[] {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    return []
  }
  const from = size < offset ? 0 : offset
  const text = readFrom(file, Math.max(from, size - tailBytes), tailBytes).trimEnd()
  return text === '' ? [] : text.split('\n').slice(-lines)
}

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
