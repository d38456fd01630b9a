// What a provider takes from a loaded config (load-config.ts), each value said with where it came
// from — `filename db/data from DB_FILENAME in .example.env` — for the step's `why`.
import { type Engine, serverUrl } from './database-env.js'
import { fromEnv, type LoadedConfig } from './load-config.js'

/** A non-empty string, else undefined. */
export const nonEmpty = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined

export class TakenValues {
  readonly said: string[] = []
  constructor(readonly config: LoadedConfig) {}

  note(what: string, value: unknown): void {
    this.said.push(`${what} ${value}${fromEnv(this.config, value)}`)
  }

  /** A server database's URL from host/port/<user>/password/database, each value noted. */
  serverUrl(engine: Engine, db: Record<string, unknown>, userKey: 'user' | 'username'): string {
    const url = serverUrl(engine, nonEmpty(db.database)!, { ...db, username: db[userKey] })
    for (const key of ['host', 'port', userKey, 'database'])
      if (db[key] !== undefined && db[key] !== '' && db[key] !== null) this.note(key, db[key])
    return url
  }
}
