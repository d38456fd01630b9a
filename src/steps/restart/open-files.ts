// The files under the repository a running server's processes hold open, read through
// /proc/<pid>/fd (Linux): what the server itself has, not what a recipe names. Shared by the
// check of its databases (deleted-data.ts) and by `up`'s note of which of them are SQLite
// (sqlite-seen.ts).
import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs'
import path from 'node:path'

const sqliteHeader = 'SQLite format 3\0'

/** The files under `root` the members hold open, by /proc/<pid>/fd (" (deleted)" kept on the name). */
export function* openFiles(
  members: { pid: number }[],
  root: string,
): Generator<{ pid: number; fd: string; file: string }> {
  for (const { pid } of members) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      let target: string
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      } catch {
        continue
      }
      if (!target.startsWith('/')) continue
      const relative = path.relative(root, target)
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue
      yield { pid, fd, file: target }
    }
  }
}

/** A file SQLite keeps beside a database (`<db>-wal`, `<db>-shm`, `<db>-journal`), not one itself. */
export const sqliteSideFile = (file: string) => /-(wal|shm|journal)$/.test(file)

/** Whether the file (an open descriptor's /proc link, too) starts with SQLite's header. */
export function isSqlite(file: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const buffer = Buffer.alloc(sqliteHeader.length)
    return (
      readSync(fd, buffer, 0, buffer.length, 0) === buffer.length &&
      buffer.toString('latin1') === sqliteHeader
    )
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
