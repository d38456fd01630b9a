// `new Sequelize(dbConfig.DB, dbConfig.USER, dbConfig.PASSWORD, { host: dbConfig.HOST, dialect:
// dbConfig.dialect })` with `const dbConfig = require('../config/db.config.js')` (the shape of the
// most copied Sequelize tutorials): the values are a config module's, so THAT module is loaded the
// way load-config.ts loads one (a child node, the example env's values, no network, no writes) —
// never the file that builds the instance, which defines the models and opens the connection.
// The call itself is still read statically: which argument is which is Sequelize's signature
// (database, username, password, options), or (url, options), or (options).
import path from 'node:path'
import { nonEmpty, TakenValues } from '../config-values.js'
import { engineOf } from '../database-env.js'
import { type LoadedConfig, loadConfig, repoPath } from '../load-config.js'
import type { DatabaseSource, InitContext } from '../provider.js'
import type { RepoProbe } from '../repo.js'

/** A name bound to a relative module (or one of its properties): `dbConfig` → config/db.config.js. */
interface Binding {
  request: string
  /** The property path taken from the module (`const { DB } = require(…)` → ['DB']). */
  keys: string[]
}

export interface ModuleRead {
  source?: DatabaseSource
  note?: string
}

const request = String.raw`(['"])(\.{1,2}\/[^'"]+)\2`
const props = String.raw`((?:\.\w+)*)`

/** Names bound by `require('./x')` / `import x from './x'` in the file, plain or destructured. */
function bindingsOf(text: string): Map<string, Binding> {
  const found = new Map<string, Binding>()
  const keysOf = (chain: string | undefined) => (chain ? chain.split('.').filter(Boolean) : [])
  const patterns: [RegExp, boolean][] = [
    [
      new RegExp(String.raw`\b(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*${request}\s*\)${props}`, 'g'),
      false,
    ],
    [new RegExp(String.raw`\bimport\s+(?:\*\s+as\s+)?(\w+)\s+from\s+${request}`, 'g'), false],
    [
      new RegExp(
        String.raw`\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*${request}\s*\)${props}`,
        'g',
      ),
      true,
    ],
    [new RegExp(String.raw`\bimport\s*\{([^}]*)\}\s*from\s+${request}`, 'g'), true],
  ]
  for (const [pattern, destructured] of patterns)
    for (const m of text.matchAll(pattern)) {
      const base = { request: m[3]!, keys: keysOf(m[4]) }
      if (!destructured) {
        found.set(m[1]!, base)
        continue
      }
      // `{ DB, USER: user, HOST = 'localhost' }` / `{ DB as name }`
      for (const entry of m[1]!.split(',')) {
        const e = /^\s*(\w+)\s*(?:(?::|\bas\b)\s*(\w+))?/.exec(entry)
        if (e) found.set(e[2] ?? e[1]!, { ...base, keys: [...base.keys, e[1]!] })
      }
    }
  return found
}

/** The call's arguments split at top-level commas (brackets and strings kept whole). */
function splitTopLevel(args: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote = ''
  let start = 0
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = ''
    } else if ('\'"`'.includes(c)) quote = c
    else if ('([{'.includes(c)) depth++
    else if (')]}'.includes(c)) depth--
    else if (c === ',' && depth === 0) {
      parts.push(args.slice(start, i))
      start = i + 1
    }
  }
  parts.push(args.slice(start))
  return parts.map((p) => p.trim()).filter((p) => p !== '')
}

/** `{ host: dbConfig.HOST, dialect }` → { host: 'dbConfig.HOST', dialect: 'dialect' } (top level only). */
function objectFields(literal: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const part of splitTopLevel(literal.slice(1, -1))) {
    const m = /^['"]?(\w+)['"]?\s*(?::\s*([\s\S]+))?$/.exec(part)
    if (m) fields[m[1]!] = (m[2] ?? m[1]!).trim()
  }
  return fields
}

/**
 * The database Sequelize opens with values from a config module the file requires; undefined
 * when no argument reads such a module (the caller reads the call statically).
 */
export function sequelizeFromModule(
  { repo, example }: InitContext,
  text: string,
  file: string,
  args: string,
  where: string,
): ModuleRead | undefined {
  const bindings = bindingsOf(text)
  const parts = splitTopLevel(args)
  const optionsAt = parts.findIndex((p) => p.startsWith('{'))
  const literal = optionsAt === -1 ? {} : objectFields(parts[optionsAt]!)
  const exprs = [...parts.filter((p) => !p.startsWith('{')), ...Object.values(literal)]
  const names = new Set(exprs.map((e) => /^(\w+)/.exec(e)?.[1]).filter((n) => n && bindings.has(n)))
  if (names.size === 0) return undefined
  const requests = new Set([...names].map((n) => bindings.get(n!)!.request))
  const call = `${where} (new Sequelize(${parts[0]}${parts.length > 1 ? '…' : ''}))`
  const target = resolveModule(repo, file, [...requests][0]!)
  if (requests.size > 1 || !target)
    return {
      note: `${call}: its values come from ${[...requests].join(' and ')}, not one module init can load`,
    }
  const loaded = loadConfig(repo, target, example)
  if (!loaded.ok) return { note: `${call}: ${loaded.reason}` }

  const evaluated = (expr: string): unknown => {
    const quoted = /^(['"`])([^'"`$]*)\1$/.exec(expr)?.[2]
    if (quoted !== undefined) return quoted
    if (/^\d+$/.test(expr)) return Number(expr)
    const m = /^(\w+)((?:\s*\.\s*\w+|\[\s*['"]\w+['"]\s*\])*)$/.exec(expr)
    const binding = m && bindings.get(m[1]!)
    if (!binding) return undefined
    const chain = [...binding.keys, ...(m[2]!.match(/\w+/g) ?? [])]
    return chain.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      moduleValue(loaded.config),
    )
  }
  // Sequelize's signatures: (database, username, password, options), (url, options), (options).
  const positional = parts.filter((p) => !p.startsWith('{')).map(evaluated)
  let options: Record<string, unknown> = Object.fromEntries(
    Object.entries(literal).map(([k, e]) => [k, evaluated(e)]),
  )
  const last = positional.at(-1)
  if (
    optionsAt === -1 &&
    last &&
    typeof last === 'object' &&
    (positional.length === 1 || positional.length === 4)
  ) {
    options = last as Record<string, unknown>
    positional.pop()
  }
  const [first, username, password] = positional
  const url = positional.length === 1 ? nonEmpty(first) : nonEmpty(options.url)
  const db = {
    database: positional.length >= 2 ? first : options.database,
    username: positional.length >= 2 ? username : options.username,
    password: positional.length >= 2 ? password : options.password,
    host: options.host,
    port: options.port,
  }
  return { source: databaseOf(repo.root, loaded.config, url, options, db, `${call}, values from ${target}`) }
}

function databaseOf(
  root: string,
  config: LoadedConfig,
  url: string | undefined,
  options: Record<string, unknown>,
  db: Record<string, unknown>,
  why: string,
): DatabaseSource | undefined {
  const dialect = nonEmpty(options.dialect) ?? (url && /^\w+:/.test(url) ? url.split(':')[0] : undefined)
  const engine = dialect ? engineOf(dialect) : undefined
  if (!engine) return undefined
  const taken = new TakenValues(config)
  taken.note('dialect', dialect)
  // Only the engine known (a database name the module does not give): the service, no database.
  const source: DatabaseSource = { engine, why: '', rank: 4 }
  const storage = nonEmpty(options.storage)
  if (engine === 'sqlite') {
    // Sequelize opens a relative storage path from the folder the app runs in, its root.
    const file = storage && storage !== ':memory:' ? repoPath(root, '.', storage) : undefined
    if (file) Object.assign(source, { url: `sqlite:${file}`, rank: 0 })
    if (file) taken.note('storage', file)
  } else if (url) {
    Object.assign(source, { url, urlRef: taken.refOf(url), rank: 0 })
    taken.note('url', url)
  } else if (nonEmpty(db.database)) {
    Object.assign(source, taken.serverUrl(engine, db, 'username'), { rank: 0 })
  }
  source.why = `${why} (${taken.said.join('; ')})`
  return source
}

/** The module's export as the importing file sees it: an ES module's default, else the whole. */
function moduleValue(config: LoadedConfig): unknown {
  const value = config.value as Record<string, unknown> | undefined
  return value && typeof value === 'object' && typeof value.default === 'object' ? value.default : value
}

/** `../config/db.config` from app/models/index.js → app/config/db.config.js (Node's extensions, index.js). */
function resolveModule(repo: RepoProbe, from: string, spec: string): string | undefined {
  const base = path.posix.join(path.posix.dirname(from), spec)
  if (base.startsWith('..')) return undefined
  const candidates = ['', '.js', '.cjs', '.mjs', '.json', '/index.js', '/index.cjs'].map((ext) => base + ext)
  return candidates.find((c) => repo.has(c) && !repo.isDir(c))
}
