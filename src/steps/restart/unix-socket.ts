// A server that listens on a Unix socket where its health URL names a TCP port: Node's
// `server.listen(process.env.PORT)` with `PORT=-1` (or any value that is no number) binds a socket
// file named `-1` in the app's folder, and nothing ever answers on the port. No crash happens, so
// without this the wait for health ran out its whole `health_timeout` (flame, Express). The server's
// own sockets are the truth: a process of it holds a listening Unix socket (/proc/net/unix, mapped
// to its fds) whose file is inside the repository, that process listens on no TCP port, and it
// has used no CPU since that was first seen (a server still booting may listen on TCP later). A socket outside
// the repository is a tool's own (tsx's IPC pipe in /tmp) and proves nothing.
import { readFileSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { cpuTicks, serverMembers } from '../../engine/processes.js'
import { listenSockets, socketInodes } from './port.js'

const settleMs = 1000
/** Per started group: when the socket was first seen and the CPU its members had used then. */
const seen = new Map<number, { at: number; cpu: number }>()

// The socket's flag for "accepts connections" (__SO_ACCEPTCON) in /proc/net/unix.
const acceptingConnections = 0x10000

type Server = { record: { pgid: number; marker?: string }; files: { root: string } }

/**
 * For the wait for health: "the server listens on the Unix socket ./-1, not on port 3000: …", once
 * that has held, idle, for a second; undefined otherwise (or where /proc cannot tell).
 */
export function unixSocketInstead(server: Server, port: number | undefined): string | undefined {
  if (port === undefined) return undefined
  const { pgid } = server.record
  const found = unixSocketOnly(server)
  if (!found) return forget(pgid)
  const first = seen.get(pgid)
  if (!first || first.cpu !== found.cpu) {
    seen.set(pgid, { at: Date.now(), cpu: found.cpu })
    return undefined
  }
  if (Date.now() - first.at < settleMs) return undefined
  seen.delete(pgid)
  return `the server listens on the Unix socket ${found.shown}, not on port ${port}: ${found.fix}`
}

/**
 * The Unix socket inside the repository a process of the server listens on, while that process
 * listens on no TCP port: shown as `./-1`, with what to check, and the CPU that process has used
 * so far. Other processes of the server do not count: flame's React dev server listens on :3000
 * and compiles beside the Express process that took `PORT=-1` for a socket path.
 */
export function unixSocketOnly(server: Server): { shown: string; fix: string; cpu: number } | undefined {
  if (process.platform !== 'linux') return undefined
  const { pgid, marker } = server.record
  const tcp = listenSockets()
  const unix = listeningUnixSockets()
  for (const { pid, stat } of serverMembers(pgid, marker)) {
    const inodes = socketInodes(pid)
    if (inodes.some((inode) => tcp.has(inode))) continue
    for (const inode of inodes) {
      const bound = unix.get(inode)
      if (bound === undefined) continue
      const file = path.resolve(processCwd(pid) ?? server.files.root, bound)
      if (!inside(server.files.root, file)) continue
      const shown = `./${path.relative(server.files.root, file)}`
      return { shown, fix: whereFrom({ pid, bound }, server.files.root), cpu: cpuTicks(stat) }
    }
  }
  return undefined
}

function forget(pgid: number): undefined {
  seen.delete(pgid)
  return undefined
}

/**
 * Where the socket's name came from: a line of the app's .env (the dotenv package loads it inside
 * the process, so its environment at start does not show it), else a variable of the server's
 * environment (the recipe's `env:`, the shell).
 */
function whereFrom(found: { pid: number; bound: string }, root: string): string {
  const why = 'Node takes a value that is no number for a socket path'
  let dotenv = ''
  try {
    dotenv = readFileSync(path.join(root, '.env'), 'utf8')
  } catch {}
  const escaped = found.bound.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const line = new RegExp(
    `^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*["']?${escaped}["']?\\s*$`,
    'm',
  )
  const inDotenv = line.exec(dotenv)?.[1]
  if (inDotenv) return `check ${inDotenv} in .env (it says ${inDotenv}=${found.bound}; ${why})`
  let environ: string[] = []
  try {
    environ = readFileSync(`/proc/${found.pid}/environ`, 'utf8').split('\0')
  } catch {}
  const key = environ.find((entry) => entry.endsWith(`=${found.bound}`))?.split('=')[0]
  if (key) return `check ${key} in the recipe's \`env:\` or your shell (it is ${key}=${found.bound}; ${why})`
  return `check where the app takes its port (${why})`
}

/** Listening Unix sockets bound to a file (not abstract, not unnamed): inode → the path as bound. */
function listeningUnixSockets(): Map<string, string> {
  const sockets = new Map<string, string>()
  let text = ''
  try {
    text = readFileSync('/proc/net/unix', 'utf8')
  } catch {}
  // Num RefCount Protocol Flags Type St Inode Path
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    const bound = fields.slice(7).join(' ')
    if (fields.length < 8 || bound.startsWith('@')) continue
    if ((Number.parseInt(fields[3]!, 16) & acceptingConnections) === 0) continue
    sockets.set(fields[6]!, bound)
  }
  return sockets
}

function processCwd(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`)
  } catch {
    return undefined
  }
}

function inside(root: string, file: string): boolean {
  const relative = path.relative(root, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}
