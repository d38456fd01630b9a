// What a provider takes from a loaded config (load-config.ts), each value said with where it came
// from — `filename db/data from DB_FILENAME in .example.env` — for the step's `why`.
import { type Engine, serverUrl, type UrlField, urlFields } from './database-env.js'
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

  /**
   * A server database's URL from host/port/<user>/password/database, each value noted; and the
   * same URL with `${KEY}` for each value that is an example key's the config read.
   */
  serverUrl(
    engine: Engine,
    db: Record<string, unknown>,
    userKey: 'user' | 'username',
  ): { url: string; urlRef: string } {
    const values: Record<string, unknown> = { ...db, username: db[userKey] }
    const database = nonEmpty(db.database)!
    const fields: UrlField[] = ['host', 'port', 'username', 'password', 'database']
    const refs = urlFields(
      Object.fromEntries(
        fields.map((field) => {
          const key = this.keyOf(values[field], field)
          return [field, key && { key, value: this.config.envRead[key]! }]
        }),
      ),
    )
    for (const key of ['host', 'port', userKey, 'database'])
      if (db[key] !== undefined && db[key] !== '' && db[key] !== null) this.note(key, db[key])
    return { url: serverUrl(engine, database, values), urlRef: serverUrl(engine, database, values, refs) }
  }

  /** `${KEY}` for a whole value (a connection URL) that is an example key's the config read, else undefined. */
  refOf(value: unknown): string | undefined {
    const key = this.keyOf(value)
    return key && `\${${key}}`
  }

  /**
   * The example key the config read whose value is exactly `value` (`Number(env.DB_PORT)` is 5432
   * beside DB_PORT=5432). Two keys with one value (`root` for the user and the password): the one
   * whose name says the field, else none — a guess would point the step at the wrong key.
   */
  private keyOf(value: unknown, field?: UrlField): string | undefined {
    if (value === undefined || value === null || value === '') return undefined
    const text = String(value)
    const keys = Object.keys(this.config.envRead).filter((k) => this.config.envRead[k] === text)
    if (keys.length <= 1 || !field) return keys.length === 1 ? keys[0] : undefined
    const named = keys.filter((k) => fieldWords[field].test(k))
    return named.length === 1 ? named[0] : undefined
  }
}

const fieldWords: Record<UrlField, RegExp> = {
  host: /HOST/,
  port: /PORT/,
  username: /USER/,
  password: /PASS/,
  database: /NAME|DATABASE|_DB$/,
}
