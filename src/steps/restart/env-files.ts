// What the env files the server loads said when devsetup started it, and what changed since.
// The app reads .env once, at boot: a value changed afterwards (a key emptied, a port moved, a
// `dotenv` step's fill) is not what the running server uses, so the restart's check is red and
// `up` restarts it. Kept in the server record (the user's state folder) as a keyed hash of each
// value, salted with the record's own random token: the check names the keys that changed,
// never a value, and the record holds no secret. A server whose framework reloads .env itself
// (Next.js, Vite) is restarted all the same: the check cannot tell that it did reload.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseDotenv } from '../dotenv/parse.js'

/** Per file (relative to the repository root): each key → a hash of its value; null: no file. */
export type EnvPrint = Record<string, Record<string, string> | null>

function readValues(file: string): Record<string, string> | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return null
  }
  // A key defined twice: which one the app gets depends on its loader (Node's dotenv and Ruby's
  // take the last), so every definition counts: a change to either is a change.
  const values: Record<string, string> = {}
  for (const entry of parseDotenv(text).entries)
    values[entry.key] = entry.key in values ? `${values[entry.key]}\0${entry.value}` : entry.value
  return values
}

function hashed(values: Record<string, string>, salt: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(values))
    out[key] = createHmac('sha256', salt).update(key).update('\0').update(value).digest('hex').slice(0, 16)
  return out
}

/** The print of `files` (relative to `root`) as they are now. */
export function envPrint(root: string, files: readonly string[], salt: string): EnvPrint {
  const print: EnvPrint = {}
  for (const file of files) {
    const values = readValues(path.resolve(root, file))
    print[file] = values && hashed(values, salt)
  }
  return print
}

/**
 * Why the server runs on other env values than its files hold now: `.env changed since the
 * server started at 2026-12-07 16:40:02 UTC: MYSQL_DATABASE changed, DEBUG added`; undefined
 * when they agree (a comment or a blank line edited is no change the app sees).
 */
export function envChangedSince(
  root: string,
  record: { env?: EnvPrint; marker?: string; startedAt: string },
): string | undefined {
  if (!record.env || !record.marker) return undefined
  const now = envPrint(root, Object.keys(record.env), record.marker)
  const at = record.startedAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')
  const reasons: string[] = []
  for (const [file, then] of Object.entries(record.env)) {
    const current = now[file] ?? null
    if (then === null && current === null) continue
    if (current === null) {
      reasons.push(`${file} was deleted since the server started at ${at}`)
      continue
    }
    const before = then ?? {}
    const keys = [...new Set([...Object.keys(before), ...Object.keys(current)])]
    const changes = keys.flatMap((key) => {
      if (!(key in before)) return [`${key} added`]
      if (!(key in current)) return [`${key} removed`]
      return before[key] === current[key] ? [] : [`${key} changed`]
    })
    if (changes.length === 0) continue
    const listed = changes.length > 8 ? [...changes.slice(0, 8), `${changes.length - 8} more`] : changes
    reasons.push(
      `${file} ${then === null ? 'was created' : 'changed'} since the server started at ${at}: ${listed.join(', ')}`,
    )
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined
}
