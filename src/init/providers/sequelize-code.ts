// Sequelize set up in the app's own code, with no CLI config: `new Sequelize({ dialect:
// 'sqlite', storage: 'data/app.sqlite' })`, `new Sequelize('postgres://…')`,
// `new Sequelize(process.env.DB_URL)`. Read statically: the module that builds the instance
// also defines every model and usually opens the connection, so loading it (load-config.ts) would
// run the app rather than read a config. Values taken from a config module that file requires
// (`dbConfig.DB`) are that module's, loaded (sequelize-module.ts).

import { type Engine, engineOf } from '../database-env.js'
import { whereIn } from '../env-example.js'
import { repoPath } from '../load-config.js'
import type { DatabaseSource, InitContext } from '../provider.js'
import { withoutComments } from '../source-files.js'
import { sequelizeFromModule } from './sequelize-module.js'

const quoted = String.raw`(['"\`])([^'"\`$]+)\1`

/**
 * The database the first `new Sequelize(...)` in the app's code names, with its file:line; and
 * why its config module could not be read, when it could not.
 */
export function sequelizeInCode(ctx: InitContext): { database?: DatabaseSource; notes: string[] } {
  const notes: string[] = []
  const source = firstInCode(ctx, notes)
  // Only `new Sequelize(process.env.DATABASE_URL)` reads DATABASE_URL: a template's would be read by nothing.
  if (source && !source.viaEnv) source.splitVars = 'always'
  return { ...(source ? { database: source } : {}), notes }
}

function firstInCode(ctx: InitContext, notes: string[]): DatabaseSource | undefined {
  const { repo, example } = ctx
  for (const file of repo.sourceFiles()) {
    // Comments blanked, lines kept: `// const sequelize = new Sequelize(process.env.X)` is an aside.
    const text = withoutComments(repo.read(file) ?? '')
    const at = text.search(/\bnew\s+Sequelize\s*\(/)
    if (at === -1) continue
    const args = argumentsAt(text, text.indexOf('(', at))
    const where = `${file}:${text.slice(0, at).split('\n').length}`
    const fromModule = sequelizeFromModule(ctx, text, file, args, where)
    if (fromModule?.note) notes.push(fromModule.note)
    if (fromModule?.source) return fromModule.source
    const url = new RegExp(`^\\s*${quoted}`).exec(args)?.[2]
    const fromVar = /^\s*process\.env\.(\w+)/.exec(args)?.[1]
    if (url && /^\w+:/.test(url)) return urlSource(url, `${where} (new Sequelize('${url}'))`)
    if (fromVar) {
      const value = example?.vars[fromVar]
      const why = `${where} (new Sequelize(process.env.${fromVar}))${example && value ? `, ${whereIn(example, [fromVar])}` : ''}`
      const source = value && /^\w+:/.test(value) ? urlSource(value, why) : undefined
      if (source && fromVar === 'DATABASE_URL') source.viaEnv = true
      else if (source) source.setVar = fromVar
      return source
    }
    const dialect = new RegExp(`dialect\\s*:\\s*${quoted}`).exec(args)?.[2]
    const engine = dialect ? engineOf(dialect) : undefined
    if (!engine) return undefined
    const source: DatabaseSource = { engine, why: `${where} (dialect ${dialect})`, rank: 4 }
    const storage = storageOf(args, file)
    const computed = /storage\s*:\s*([^,\n}]+)/.exec(args)
    if (engine === 'sqlite' && !storage && computed) {
      const line = text.slice(0, text.indexOf('(', at) + 1 + computed.index).split('\n').length
      source.computedAt = `${file}:${line} (storage: ${computed[1]!.trim()})`
    }
    if (engine === 'sqlite' && storage) {
      const path = repoPath(repo.root, '.', storage)
      if (path)
        Object.assign(source, {
          url: `sqlite:${path}`,
          rank: 0,
          why: `${where} (dialect sqlite; storage ${path})`,
        })
    }
    return source
  }
  return undefined
}

function urlSource(url: string, why: string): DatabaseSource | undefined {
  const engine: Engine | undefined = engineOf(url.split(':')[0]!)
  if (!engine) return undefined
  const file = engine === 'sqlite' ? url.replace(/^sqlite3?:(\/\/)?/, '') : undefined
  return { engine, url: file ? `sqlite:${file}` : url, why, rank: 0 }
}

/**
 * `storage: 'db/app.sqlite'` (opened from the folder the app runs in, its root) or
 * `storage: path.join(__dirname, 'app.sqlite')` (from the file's own folder).
 */
function storageOf(args: string, file: string): string | undefined {
  const literal = new RegExp(`storage\\s*:\\s*${quoted}`).exec(args)?.[2]
  if (literal) return literal === ':memory:' ? undefined : literal
  const joined = /storage\s*:\s*(?:path\.)?(?:join|resolve)\(\s*__dirname\s*,([^)]*)\)/.exec(args)?.[1]
  const parts = joined?.match(/['"][^'"]+['"]/g)?.map((p) => p.slice(1, -1))
  if (!parts || parts.length === 0) return undefined
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.'
  return [dir, ...parts].join('/')
}

/** The text between the call's parentheses (nested ones kept). */
function argumentsAt(text: string, open: number): string {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i)
  }
  return text.slice(open + 1)
}
