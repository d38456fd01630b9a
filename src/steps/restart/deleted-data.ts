// A database file the running server holds open, deleted behind its back (`rm data/kuma.db`,
// `rm config/absdatabase.sqlite`): the app goes on answering from the deleted file until its next
// restart, then starts over empty, and no step may name that file (its path computed in the
// app's code). The server's own open files are the truth: a deleted SQLite database among them,
// read through /proc/<pid>/fd (its header, "SQLite format 3"), makes the server's check red.
import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs'
import path from 'node:path'
import { serverMembers } from '../../engine/processes.js'

const sqliteHeader = 'SQLite format 3\0'

/**
 * The first deleted SQLite database under `root` a process of the server holds open (its group, and
 * with `marker`, what its start spawned into groups of their own), or undefined.
 */
export function deletedDatabase(pgid: number, root: string, marker?: string): string | undefined {
  if (process.platform !== 'linux') return undefined
  for (const { pid } of serverMembers(pgid, marker)) {
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
      if (!target.endsWith(' (deleted)')) continue
      const file = target.slice(0, -' (deleted)'.length)
      const relative = path.relative(root, file)
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue
      if (isSqlite(`/proc/${pid}/fd/${fd}`)) return relative
    }
  }
  return undefined
}

function isSqlite(link: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(link, 'r')
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
