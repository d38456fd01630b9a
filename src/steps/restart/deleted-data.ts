// A database file the running server holds open, deleted behind its back (`rm data/kuma.db`,
// `rm config/absdatabase.sqlite`): the app goes on answering from the deleted file until its next
// restart, then starts over empty, and no step may name that file (its path computed in the
// app's code). The server's own open files are the truth: a deleted SQLite database among them,
// read through /proc/<pid>/fd (its header, "SQLite format 3"), or a deleted file it holds open
// for writing that is no log, pidfile or cache (etherpad's var/dirty.db), makes the check red.
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs'
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
      if (isSqlite(`/proc/${pid}/fd/${fd}`) || (writtenData(relative) && openForWriting(pid, fd)))
        return relative
    }
  }
  return undefined
}

// A file the server writes its data to (etherpad's var/dirty.db, a JSON store), as opposed to its
// logs, pidfiles, sockets, caches and build output, which are deleted and remade as a matter of course.
const notData =
  /\.(log|tmp|temp|pid|lock|sock|swp)$|(^|\/)(logs?|tmp|temp|cache|\.cache|node_modules|\.next|\.nuxt|dist|build|\.git)\//i

function writtenData(relative: string): boolean {
  return !notData.test(relative)
}

/** Whether the descriptor is open for writing (its flags in /proc/<pid>/fdinfo: O_WRONLY or O_RDWR). */
function openForWriting(pid: number, fd: string): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1]
    return flags !== undefined && (Number.parseInt(flags, 8) & 3) !== 0
  } catch {
    return false
  }
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
