// A server on the URL's port that is not this repository's own (the system's PostgreSQL, a
// Homebrew Redis, a MariaDB someone started): used as it is when it is the same engine and takes
// the URL's own credentials — asked of the server itself, every check, since a server that
// merely listens there could be anything and its passwords are not ours to assume.
// Nothing is created in it (no role, no user): what it lacks is said instead.
import type { ServiceEngine, Wanted } from './config.js'
import { ask } from './port.js'
import { redisAnswers } from './redis.js'

// PostgreSQL's SSLRequest (length 8, code 80877103): any PostgreSQL answers one byte, S or N.
const sslRequest = Uint8Array.from([0, 0, 0, 8, 4, 210, 22, 47])

/** Whether the server on `port` answers as `engine` does (its own protocol, not just an open port). */
export async function answersAs(engine: ServiceEngine, port: number): Promise<boolean> {
  if (engine === 'redis') return redisAnswers(port)
  if (engine === 'postgres') return /^[SN]/.test(await ask(port, sslRequest, 2000, (r) => r.length > 0))
  // MySQL and MariaDB greet first: a packet (3-byte length, sequence number), then protocol
  // version 10's handshake or an error packet (0xff, e.g. too many connections: still it answers).
  return /^[\s\S]{4}[\n\xff]/.test(await ask(port, '', 2000, (r) => r.length > 4))
}

const protocolNames: Record<ServiceEngine, string> = {
  postgres: 'PostgreSQL',
  redis: 'Redis',
  mysql: 'MySQL/MariaDB',
}

export interface Refusal {
  why: string
  /** It is the engine, only the credentials failed: the URL could name ones it takes. */
  sameEngine: boolean
}

/** undefined when the server takes the URL's credentials; else why it cannot be used. */
export async function refusal(
  engine: ServiceEngine,
  port: number,
  wanted: Wanted,
): Promise<Refusal | undefined> {
  if (!(await answersAs(engine, port)))
    return { why: `it does not answer as ${protocolNames[engine]}`, sameEngine: false }
  const why =
    engine === 'postgres'
      ? await postgresRefusal(port, wanted)
      : engine === 'mysql'
        ? await mysqlRefusal(port, wanted)
        : await redisRefusal(port, wanted)
  return why === undefined ? undefined : { why, sameEngine: true }
}

/** What the server accepted, for the reason: `app`, or Redis's password. */
export function accepted(engine: ServiceEngine, wanted: Wanted): string {
  if (engine !== 'redis') return userName(wanted)
  return wanted.password === undefined ? 'clients without a password' : "the URL's password"
}

/** The URL's user, as a refusal names it (the default one when the URL names none). */
export const userName = (wanted: Wanted) => wanted.user ?? 'root'

async function postgresRefusal(port: number, wanted: Wanted): Promise<string | undefined> {
  const pg = (await import('pg')).default
  const connect = async (database: string) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      ...(wanted.user ? { user: wanted.user } : {}),
      ...(wanted.password !== undefined ? { password: wanted.password } : {}),
      database,
      connectionTimeoutMillis: 3000,
      application_name: 'devsetup',
    })
    client.on('error', () => {})
    try {
      await client.connect()
    } finally {
      await client.end().catch(() => {})
    }
  }
  try {
    try {
      await connect(wanted.database ?? 'postgres')
    } catch (error) {
      // The URL's database not made yet (the `database` step creates it): the login is what counts.
      if ((error as { code?: string }).code !== '3D000') throw error
      await connect('postgres')
    }
    return undefined
  } catch (error) {
    return `refused user ${wanted.user}: ${postgresWhy(error as Error & { code?: string })}`
  }
}

// In our words, not the server's quoted `for user "app"`: failure diagnosis reads those as this
// repository's own server, whose database step would create the role (not so in a foreign one).
function postgresWhy(error: Error & { code?: string }): string {
  if (error.code === '28P01')
    return 'password authentication failed (a wrong password, or no such role: PostgreSQL says the same for both)'
  if (/role "[^"]*" does not exist/.test(error.message)) return 'no such role there'
  if (/password must be a string/.test(error.message)) return 'it asks for a password and the URL has none'
  return error.message
}

async function mysqlRefusal(port: number, wanted: Wanted): Promise<string | undefined> {
  const mysql = (await import('mysql2/promise')).default
  try {
    const c = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: userName(wanted),
      password: wanted.password ?? '',
      connectTimeout: 3000,
    })
    c.on('error', () => {})
    await c.end().catch(() => {})
    return undefined
  } catch (error) {
    const e = error as Error & { code?: string }
    const why =
      e.code === 'ER_ACCESS_DENIED_ERROR' ? 'access denied (a wrong password, or no such user)' : e.message
    return `refused user ${userName(wanted)}: ${why}`
  }
}

/** A command in RESP's own framing, so a password with spaces or quotes stays one argument. */
const resp = (args: string[]) =>
  `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`

async function redisRefusal(port: number, wanted: Wanted): Promise<string | undefined> {
  const auth =
    wanted.password === undefined ? [] : ['AUTH', ...(wanted.user ? [wanted.user] : []), wanted.password]
  const commands = [...(auth.length > 0 ? [auth] : []), ['PING']]
  const reply = await ask(
    port,
    commands.map(resp).join(''),
    2000,
    (r) => r.split('\r\n').length > commands.length,
  )
  const lines = reply.split('\r\n').slice(0, commands.length)
  const error = lines.find((l) => l.startsWith('-'))
  if (error)
    return `refused ${wanted.password === undefined ? 'a client without password' : "the URL's password"}: ${error.slice(1)}`
  return lines.at(-1) === '+PONG'
    ? undefined
    : `it did not answer PING (${JSON.stringify(reply.slice(0, 40))})`
}
