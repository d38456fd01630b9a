// A server whose log says its connection was refused at host:port (DB_PORT=5433 in .env, nothing
// listening there) waited the whole health_timeout (2 min): steady-errors.ts takes ECONNREFUSED for
// "waiting on another server" (a sibling API still compiling under turbo), and an app that
// retries, or stays up without listening, never crashes. So devsetup asks the address itself:
// refused at every ask for refusedMs, at a port no server of this recipe has (a `service` step's,
// another restart's, this server's own: recipe-servers.ts), with no process of the server's own
// group configured for it (PORT=4001 in its environment, `--port 4001` on its command line) nor
// busy (a sibling compiling uses CPU and writes nothing; the app logging its refusals and answering
// health probes writes, and is not counted): that is a
// verdict, named with the env-file key that holds the port or URL. Limit: a sibling that waits
// idle for longer than refusedMs before it listens on a port nothing names is called a wrong
// address (its log tail is in the report; `health_timeout` no longer helps it).
import { readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { hasEnvEntry, serverMembers } from '../../engine/processes.js'
import { envFilesOf } from '../../recipe/env-file-links.js'
import { recipeServersOf } from '../../recipe/recipe-servers.js'
import { parseDotenv } from '../dotenv/parse.js'
import { resolveWanted, type ServiceConfig } from '../service/config.js'
import { ansi, readTail } from './crash.js'
import type { Started } from './daemon.js'
import { type Member, snapshotMembers } from './group-members.js'
import { localPort } from './health.js'
import { knownPort } from './port.js'
import type { RestartConfig } from './schema.js'

const refusedMs = 3000
const askEveryMs = 500
/** CPU ticks (USER_HZ, 100 a second) the group may use per second and still be waiting idle: 10% of a core. */
const idleTicksPerSecond = 10
const tailBytes = 64 * 1024

const ip = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-fA-F]*:[0-9a-fA-F:]*\]?|localhost)`
// Each client's own wording, with the address: Node's (pg, mysql2, ioredis, fetch's [cause]) `connect
// ECONNREFUSED 127.0.0.1:5433` / `::1:3306`; libpq's (psycopg, Ruby pg) `connection to server at
// "127.0.0.1", port 5433 failed: Connection refused`; MySQL's C client `Can't connect to MySQL server
// on '127.0.0.1:3307' (111)`; Ruby's `Connection refused - connect(2) for 127.0.0.1:6380`; redis-py's
// `Error 111 connecting to 127.0.0.1:6380. Connection refused.`; Prisma's `Can't reach database
// server at \`127.0.0.1:5433\`` (asked like the rest: only a refusal counts).
const refusedLines: RegExp[] = [
  new RegExp(String.raw`\bECONNREFUSED (${ip}):(\d{1,5})\b`),
  new RegExp(
    String.raw`connection to server at "(${ip})"(?: \([^)]*\))?, port (\d{1,5}) failed: Connection refused`,
  ),
  new RegExp(String.raw`Can't connect to (?:MySQL|MariaDB) server on '(${ip}):(\d{1,5})' \(111`),
  new RegExp(String.raw`Connection refused - connect\(2\) for "?(${ip})"?(?::| port )(\d{1,5})\b`),
  new RegExp(String.raw`Error 111 connecting to (${ip}):(\d{1,5})\. Connection refused`),
  new RegExp(String.raw`Can't reach database server at \`(${ip}):(\d{1,5})\``),
]

export interface RefusedAt {
  host: string
  port: number
  line: string
}

/** The last refused address the log's lines name, with its line. */
export function refusedIn(lines: readonly string[]): RefusedAt | undefined {
  for (let i = lines.length - 1; i >= 0; i--)
    for (const pattern of refusedLines) {
      const m = pattern.exec(lines[i]!)
      if (m && Number(m[2]) >= 1 && Number(m[2]) <= 65535)
        // Next.js prints the cause as a frame (`at <unknown> (Error: connect ECONNREFUSED …) {`): its words only.
        return {
          host: m[1]!.replace(/^\[|\]$/g, ''),
          port: Number(m[2]),
          line: /^\s*at /.test(lines[i]!) ? m[0] : lines[i]!.trim(),
        }
    }
  return undefined
}

const isLocal = (host: string) => /^(?:localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0|::)$/.test(host)

/** Whether a connection to host:port is refused now (nothing listens); a timeout or any other error is no answer. */
export function refusedNow(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 })
    const done = (refused: boolean) => {
      socket.destroy()
      resolve(refused)
    }
    socket.once('connect', () => done(false))
    socket.once('timeout', () => done(false))
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'))
  })
}

/** The ports the recipe's servers serve on: its services' (`service`), its other restarts' and this one's own. */
export function recipePorts(cfg: RestartConfig, env: Record<string, string>) {
  const ports = { service: new Set<number>(), all: new Set<number>() }
  const add = (port: number | undefined, service = false) => {
    if (port === undefined) return
    ports.all.add(port)
    if (service) ports.service.add(port)
  }
  const serverPorts = (c: RestartConfig) => {
    add(knownPort(c, env)?.port)
    add(localPort(c.health))
  }
  serverPorts(cfg)
  for (const server of recipeServersOf(cfg)) {
    if (server.type === 'restart') serverPorts(server.config as RestartConfig)
    else if (server.type === 'service') {
      const service = server.config as ServiceConfig
      let port: number | undefined
      try {
        port = resolveWanted(service, env).port
      } catch {}
      // No URL yet (devsetup picks the port and hands it on): the engine's usual port is the guess.
      add(port ?? { postgres: 5432, redis: 6379, mysql: 3306 }[service.engine], true)
    }
  }
  return ports
}

/** `DB_PORT in .env`, `DATABASE_URL in .env.local`: the env-file keys whose value is that port or holds it. */
export function envKeysFor(root: string, files: readonly string[], port: number): string[] {
  const holds = new RegExp(String.raw`^${port}$|[^\s/:@]:${port}(?!\d)`)
  return files.flatMap((file) => {
    let text: string
    try {
      text = readFileSync(path.resolve(root, file), 'utf8')
    } catch {
      return []
    }
    const keys = parseDotenv(text)
      .entries.filter((e) => holds.test(e.value.trim()))
      .map((e) => e.key)
    return [...new Set(keys)].map((key) => `${key} in ${file}`)
  })
}

/** Asked between probes: once the log names a refused address that stays refused, why waiting is pointless. */
export class RefusedConnection {
  private askedAt = 0
  private since: { key: string; at: number; busy: number } | undefined
  private members: Map<string, Member> | undefined

  constructor(
    private readonly cfg: RestartConfig,
    private readonly env: Record<string, string>,
    private readonly root: string,
    private readonly started: Started,
  ) {}

  async verdict(): Promise<string | undefined> {
    if (Date.now() - this.askedAt < askEveryMs) return undefined
    this.askedAt = Date.now()
    const found = await this.unserved()
    if (!found) return this.reset()
    const { at } = found
    const key = `${at.host}:${at.port}`
    const now = Date.now()
    const busy = this.busyTicks(now)
    if (this.since?.key !== key) this.since = { key, at: now, busy: 0 }
    this.since.busy += busy
    // Busy: compiling or booting, maybe the server that will listen there. The wait starts over.
    if (this.since.busy > Math.max(2, ((now - this.since.at) / 1000) * idleTicksPerSecond))
      this.since = { key, at: now, busy: 0 }
    if (now - this.since.at < refusedMs) return undefined
    return this.report(
      at,
      ` (nothing listens there, refused for ${Math.round((now - this.since.at) / 1000)}s)`,
    )
  }

  /**
   * A crash the group watch saw (its report a refusal, the group idle since: it waits on
   * nothing) is told by its address when no server of this recipe or of its group takes that
   * address and it is refused now; else `crash` as it is.
   */
  async explain(crash: string | undefined): Promise<string | undefined> {
    if (!crash) return crash
    const found = await this.unserved()
    if (!found || !crash.includes(`:${found.at.port}`)) return crash
    return this.report(found.at, ' (nothing listens there; the app then stayed idle and silent)')
  }

  /** The log's last refused address, if no server of the recipe or of the group takes it and it is refused now. */
  private async unserved() {
    const { log, pgid, marker } = this.started.record
    const lines = readTail(log, tailBytes, this.started.logOffset).replace(ansi, '').split('\n')
    const at = refusedIn(lines)
    if (!at || (isLocal(at.host) && recipePorts(this.cfg, this.env).all.has(at.port))) return undefined
    const members = serverMembers(pgid, marker)
    // A process of the server's own configured for that port: a sibling that will listen there.
    const portFlag = new RegExp(String.raw`(?:^|\s)(?:-p|--port)(?:\s+|=)${at.port}(?!\d)`)
    const sibling = members.some(
      ({ pid }) => hasEnvEntry(pid, `PORT=${at.port}`) || portFlag.test(cmdline(pid)),
    )
    if (sibling || !(await refusedNow(at.host, at.port))) return undefined
    return { at }
  }

  /**
   * CPU ticks the group's processes used since the last ask, but for those that wrote meanwhile:
   * the app logging its refusal and answering the health probes with 500 (next dev used 40% of
   * a core on them) is not at work on anything; a sibling compiling writes nothing.
   */
  private busyTicks(now: number): number {
    const before = this.members
    this.members = snapshotMembers(this.started.record.pgid, this.started.record.marker, before, now)
    let ticks = 0
    for (const [key, m] of this.members) {
      const was = before?.get(key)
      if (was && m.wrote === was.wrote) ticks += m.cpu - was.cpu
    }
    return ticks
  }

  /** Whether a refused address is being watched: the server may be waiting on it. */
  asking(): boolean {
    return this.since !== undefined
  }

  private reset(): undefined {
    this.since = undefined
    this.members = undefined
    return undefined
  }

  private report(at: RefusedAt, how: string): string {
    const address = at.host.includes(':') ? `[${at.host}]:${at.port}` : `${at.host}:${at.port}`
    const keys = envKeysFor(this.root, envFilesOf(this.cfg), at.port)
    const services = [...recipePorts(this.cfg, this.env).service]
    const where =
      keys.length > 0 ? `; ${keys.join(', ')} ${keys.length > 1 ? 'hold' : 'holds'} that port` : ''
    const names = keys.map((k) => k.split(' ')[0]).join(', ')
    const fix =
      keys.length > 0
        ? `start the server the app connects to on port ${at.port}, or correct ${names} to the port it listens on`
        : `start the server the app connects to on port ${at.port}, or correct that address in the app's configuration`
    const known = services.length > 0 ? ` (this recipe's services listen on port ${services.join(', ')})` : ''
    return `the app cannot connect to ${address}${how}: its log says "${at.line}"${where}: ${fix}${known}`
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}
