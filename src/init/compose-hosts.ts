// Hosts in the example env that exist only inside docker compose (`DB_HOST=db`,
// `REDIS_URL=redis://redis:6379`, `MAIL_HOST=maildev`). Where devsetup runs that service here,
// the new .env gets 127.0.0.1 for it (the dotenv step's `set:`); otherwise init's output says the
// key points at a host that does not exist here. A person's own .env values are never changed.
import { isComposeHost } from './database-env.js'
import type { Detection } from './detect.js'
import type { EnvExample } from './env-example.js'

export type Kind = 'postgres' | 'mysql' | 'redis'

export const schemes: Record<string, Kind> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
  redis: 'redis',
  rediss: 'redis',
}

export function localiseHosts(detection: Detection, example: EnvExample | undefined): Detection {
  const dotenv = detection.steps.find((s) => s.type === 'dotenv')
  if (!example || !dotenv) return detection
  const runs = servicesHere(detection)
  const engine = (detection.steps.find((s) => s.type === 'database')?.config as { engine?: string })?.engine
  const database = engine ? schemes[engine] : undefined
  const config = { ...(dotenv.config as { set?: Record<string, string> }) }
  const set = { ...(config.set ?? {}) }
  const notes = [...detection.notes]
  for (const [key, value] of Object.entries(example.vars)) {
    if (key in set) continue
    const found = hostOf(key, value)
    if (!found || !isComposeHost(found.host)) continue
    const kind = kindOf(key, found, database)
    if (kind && runs.has(kind)) set[key] = found.local
    else
      notes.push(
        `${key}=${value} in ${example.file}:${example.lines[key]} points at \`${found.host}\`, a host that does not exist here (a docker compose service?): set it in .env`,
      )
  }
  if (Object.keys(set).length > 0) config.set = set
  const steps = detection.steps.map((s) => (s === dotenv ? { ...s, config } : s))
  return { ...detection, steps, notes }
}

/** The servers this recipe has here: its service steps, and a database on this machine. */
export function servicesHere(detection: Detection): Set<Kind> {
  const kinds = new Set<Kind>()
  for (const step of detection.steps) {
    const config = step.config as string | { engine?: string; url?: string } | undefined
    const engine = typeof config === 'string' ? config : config?.engine
    if (step.type === 'service' && engine && engine in schemes) kinds.add(schemes[engine]!)
    if (step.type === 'database' && engine && engine in schemes) kinds.add(schemes[engine]!)
  }
  return kinds
}

/** A key whose value is a host name (DB_HOST, POSTGRES_IP, SMTP_SERVER). */
export const hostKey = /(HOST|HOSTNAME|SERVER|_IP|_ADDR|_ADDRESS)$/

/** The host a value names: a URL's, or the whole value of a *_HOST (*_IP, *_ADDR) key; and the value with 127.0.0.1 there. */
export function hostOf(
  key: string,
  value: string,
): { host: string; scheme?: string; local: string } | undefined {
  if (/^[a-z][\w+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value)
      if (!url.hostname) return undefined
      const host = url.hostname
      url.hostname = '127.0.0.1'
      return { host, scheme: url.protocol.slice(0, -1), local: url.toString() }
    } catch {
      return undefined
    }
  }
  if (!hostKey.test(key)) return undefined
  const [host, port] = value.split(':')
  return host ? { host, local: port ? `127.0.0.1:${port}` : '127.0.0.1' } : undefined
}

/** Which server a key points at: the URL's scheme, else its name or the host's (DB_HOST: the app's database). */
export function kindOf(
  key: string,
  found: { host: string; scheme?: string },
  database: Kind | undefined,
): Kind | undefined {
  if (found.scheme) return schemes[found.scheme.toLowerCase()]
  if (/REDIS|CACHE|QUEUE|BULL|SIDEKIQ/.test(key) || /redis|valkey/.test(found.host)) return 'redis'
  if (/^(MYSQL|MARIADB)/.test(key) || /mysql|mariadb/.test(found.host)) return 'mysql'
  if (/^(POSTGRES|PG)/.test(key) || /postgres/.test(found.host)) return 'postgres'
  if (/^(DATABASE|DB|TYPEORM)/.test(key) || /^(db|database)$/.test(found.host)) return database
  return undefined
}
