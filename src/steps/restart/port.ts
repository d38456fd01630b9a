// Who is listening on a TCP port: so a start that would fail with "address in use" can say
// which process holds the port. Linux: /proc/net/tcp{,6} gives the socket inode of the
// listener, /proc/*/fd tells whose socket it is. Elsewhere: `lsof`. Unknown → undefined.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import net from 'node:net'
import { promisify } from 'node:util'
import { maskCommandLine } from '../../engine/mask.js'
import { serverMembers } from '../../engine/processes.js'
import { shorten } from '../text.js'
import { localPort } from './health.js'
import { processInfo } from './processes.js'

const execFileAsync = promisify(execFile)

export interface PortHolder {
  /** Undefined when the socket belongs to a process we may not inspect (another user's). */
  pid: number | undefined
  command: string | undefined
}

const LISTEN = '0A'

/** Every TCP socket in LISTEN state on this machine: its inode → its local port. */
export function listenSockets(): Map<string, number> {
  const sockets = new Map<string, number>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields.length < 10 || fields[3] !== LISTEN) continue
      sockets.set(fields[9]!, Number.parseInt(fields[1]!.split(':')[1] ?? '', 16))
    }
  }
  return sockets
}

function listeningInodes(port: number): Set<string> {
  return new Set([...listenSockets()].filter(([, p]) => p === port).map(([inode]) => inode))
}

/** The inodes of the sockets a process holds open (`socket:[123]` in /proc/<pid>/fd). */
export function socketInodes(pid: number | string): string[] {
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return []
  }
  const inodes: string[] = []
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      if (target.startsWith('socket:[')) inodes.push(target.slice(8, -1))
    } catch {}
  }
  return inodes
}

/**
 * Every process holding a socket that listens on `port` (Linux): one per address family or
 * address (127.0.0.1 and ::1 may be two servers). `unseen` when a socket belongs to no process
 * we may inspect (another user's), so the list is not the whole truth.
 */
export function portHolderPids(port: number): { pids: number[]; unseen: boolean; listening: boolean } {
  const inodes = listeningInodes(port)
  const found = new Set<string>()
  const pids: number[] = []
  if (inodes.size > 0)
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      const held = socketInodes(entry).filter((inode) => inodes.has(inode))
      for (const inode of held) found.add(inode)
      if (held.length > 0) pids.push(Number(entry))
    }
  return { pids, unseen: found.size < inodes.size, listening: inodes.size > 0 }
}

/** Whether the kernel's sockets can be read here (Linux /proc): else no group's ports can be seen. */
export const canSeeListeners = () => process.platform === 'linux' && existsSync('/proc/net/tcp')

/**
 * The TCP ports a process of group `pgid` listens on, lowest first: the server's own sockets,
 * mapped through their inodes, so a foreign process on the same port does not count.
 */
export function groupListenPorts(pgid: number, marker?: string): number[] {
  const sockets = listenSockets()
  const ports = new Set<number>()
  if (sockets.size > 0)
    for (const { pid } of serverMembers(pgid, marker))
      for (const inode of socketInodes(pid)) {
        const port = sockets.get(inode)
        if (port !== undefined) ports.add(port)
      }
  return [...ports].sort((a, b) => a - b)
}

/** The process listening on `port`, or undefined when nothing is. */
export async function portHolder(port: number): Promise<PortHolder | undefined> {
  if (process.platform === 'linux') {
    const { pids, listening } = portHolderPids(port)
    if (!listening) return undefined
    const pid = pids[0]
    const info = pid === undefined ? undefined : await processInfo(pid)
    return { pid, command: info?.cmdline }
  }
  try {
    const { stdout } = await execFileAsync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fp'], {
      timeout: 5000,
    })
    const pid = Number(stdout.match(/^p(\d+)/m)?.[1])
    if (!pid) return undefined
    return { pid, command: (await processInfo(pid))?.cmdline }
  } catch {
    // No lsof, or nothing listening (lsof exits 1): fall back to trying to connect.
    return (await canConnect(port)) ? { pid: undefined, command: undefined } : undefined
  }
}

/**
 * Whether anything listens on `port`, on any address. Asked every 200 ms while a server
 * starts, so on Linux only /proc/net/tcp{,6} is read (no scan of every process's fds).
 */
export async function portListening(port: number): Promise<boolean> {
  if (canSeeListeners()) return listeningInodes(port).size > 0
  return canConnect(port)
}

// `next dev -p 4000`, `vite --port 5173`, `rails s -p 3001`, `--port=8080`; a value with a
// colon (`docker run -p 3000:3000`) or a name (`tsc -p tsconfig.json`) is no port.
const portFlag = /(?:^|\s)(?:-p|--port)(?:\s+|=)(\d{1,5})(?=\s|;|&|\||$)/

/**
 * The port the server will listen on, as far as the recipe says, and where that came from:
 * `port:`, the port of a local `health` URL, `-p N` / `--port N` in `start`, or PORT set by
 * the recipe's or the step's `env:`. A PORT only inherited from the shell is not used: it
 * is the machine's state, and an app that does not read it would never be seen listening.
 */
export function knownPort(
  cfg: { port?: number; health?: string; start?: string },
  env: Record<string, string>,
  inherited: NodeJS.ProcessEnv = process.env,
): { port: number; from: string } | undefined {
  if (cfg.port !== undefined) return { port: cfg.port, from: '`port:`' }
  const healthPort = localPort(cfg.health)
  if (healthPort !== undefined) return { port: healthPort, from: '`health:`' }
  const flag = cfg.start?.match(portFlag)?.[1]
  if (flag && validPort(Number(flag))) return { port: Number(flag), from: `\`${flag}\` in \`start\`` }
  const fromEnv = env.PORT
  if (
    fromEnv !== undefined &&
    fromEnv !== inherited.PORT &&
    /^\d+$/.test(fromEnv) &&
    validPort(Number(fromEnv))
  )
    return { port: Number(fromEnv), from: 'PORT in the recipe env' }
  return undefined
}

/**
 * For a check of a server whose port the recipe does not name: the ports its process group
 * listened on when it came up (its record) that it no longer listens on, as a reason; undefined
 * while it still does, or when nothing was recorded (a worker) or /proc cannot tell.
 */
export function stoppedListening(
  record: { pgid: number; listening?: number[]; marker?: string } | undefined,
): string | undefined {
  if (!record?.listening?.length || !canSeeListeners()) return undefined
  const now = groupListenPorts(record.pgid, record.marker)
  const gone = record.listening.filter((port) => !now.includes(port))
  if (gone.length === 0) return undefined
  return `nothing of its process group listens on port ${gone.join(', ')} any more (it did when started)`
}

const validPort = (port: number) => port >= 1 && port <= 65535

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', timeout: 1000 })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}

export function describeHolder(port: number, holder: PortHolder): string {
  if (holder.pid === undefined) return `port ${port} is taken by another process (not ours to inspect)`
  return `port ${port} is taken by ${processLabel(holder.pid, holder.command, 60)}`
}

/**
 * `pid 812 (\`postgres -D …\`)`: a process as messages name it, its command line masked (a
 * foreign one may hold `--password X`, `-pX`: maskCommandLine) and shortened to `width`.
 */
export function processLabel(pid: number, command: string | undefined, width = 80): string {
  return `pid ${pid}${command ? ` (\`${shorten(maskCommandLine(command), width)}\`)` : ''}`
}
