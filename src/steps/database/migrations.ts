// Are the migrations applied? Asked of the migration tool's own record in the database
// (knex_migrations, schema_migrations, ...) against the files the step's `migrations:` names.
//
// Why the glob fingerprint is no fast path when a tool's table is there: it compares the files
// with themselves (as they were at the last migrate), so it cannot see the database side: a
// rollback, a database restored from a dump, a migrate that wrote to another database, or a
// glob that matches no file at all (0 files stay 0 files: green for ever, the bug this fixes).
// Reading the table is one query on the connection the check opens anyway (a `sqlite3` run
// for SQLite on Node 20), so there is nothing worth saving. The fingerprint stays only for
// tools whose table devsetup does not know, and the reason says so.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { matchFiles, mayBeGlob } from '../../engine/fingerprint.js'
import { type Applied, type MigrationTool, toolOf } from './migration-tools.js'
import type { DatabaseReader, Table } from './server.js'

export interface MigrationsCheck {
  current: boolean
  reason: string
  fix?: string
  /** Migration files the tool's table does not list: the app's migrate command is the fix. */
  pending?: true
}

interface Compared {
  tool: MigrationTool
  label: string
  applied: Applied
  /** The files that are this tool's migrations (paths relative to the step's cwd). */
  files: string[]
  pending: string[]
}

const shownPending = 3

/**
 * The tool's answer, or undefined when the database has no table of a tool devsetup knows
 * (the caller then falls back to the fingerprint, and says so).
 */
export async function checkByTool(
  reader: DatabaseReader,
  tables: Table[],
  step: { migrations: string[]; migrationsTable: string | undefined; cwd: string; database: string },
): Promise<MigrationsCheck | undefined> {
  const named = step.migrationsTable
  const candidates = named ? tables.filter((t) => isNamed(t, named)) : tables.filter((t) => toolOf(t, false))
  if (named && candidates.length === 0)
    return {
      current: false,
      reason: `table ${named} (the step's \`migrations_table\`) is not in ${step.database}`,
    }
  if (candidates.length === 0) return undefined
  const files = await matchFiles(step.migrations, step.cwd)
  const compared: Compared[] = []
  for (const table of candidates) {
    const tool = toolOf(table, named !== undefined)
    if (!tool)
      return {
        current: false,
        reason: `${labelOf(table)} (the step's \`migrations_table\`) has columns ${table.columns.join(', ')}: not a migration table devsetup knows`,
        fix: "name the migration tool's table in `migrations_table` (e.g. knex_migrations), or remove the key",
      }
    compared.push(await compare(reader, table, tool, files, step.cwd))
  }
  // Two tools' tables (an app moving from one to another): the one that knows these files.
  const rank = (c: Compared) => (c.files.length === 0 ? Number.POSITIVE_INFINITY : c.pending.length)
  const best = compared.sort((a, b) => rank(a) - rank(b))[0]!
  // None of the files is this tool's migration, but the step names a file by its plain path
  // (Medusa's lockfile: it decides the migrations its core modules ship under node_modules, which
  // the table lists): no folder is wrong, and the caller's fingerprint of those files is the check,
  // labelled as one. A wildcard that finds only a .gitkeep is still a wrong folder.
  const plainFiles = step.migrations.filter((m) => !mayBeGlob(m) && files.includes(m))
  if (best.files.length === 0 && plainFiles.length > 0 && !best.applied.problem) return undefined
  return verdict(best, step.migrations)
}

function isNamed(table: Table, named: string): boolean {
  return named === table.name || (table.schema !== undefined && named === `${table.schema}.${table.name}`)
}

function labelOf(table: Table): string {
  return table.schema && table.schema !== 'public' ? `${table.schema}.${table.name}` : table.name
}

async function compare(
  reader: DatabaseReader,
  table: Table,
  tool: MigrationTool,
  globbed: string[],
  cwd: string,
): Promise<Compared> {
  const label = labelOf(table)
  const applied = tool.applied(await reader.rows(table, tool.columns), label)
  const files: string[] = []
  const pending: string[] = []
  const nearby = new Map<string, string | undefined>()
  const near = (file: string) => {
    if (!nearby.has(file)) nearby.set(file, readText(path.join(cwd, file)))
    return nearby.get(file)
  }
  for (const file of globbed) {
    const key = tool.fileKey(file, () => readFileSync(path.join(cwd, file)), near)
    if (key === undefined) continue
    files.push(file)
    if (!applied.has(key)) pending.push(file)
  }
  return { tool, label, applied, files, pending }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function verdict(c: Compared, globs: string[]): MigrationsCheck {
  const { tool, label, applied, files, pending } = c
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  if (applied.problem) return { current: false, reason: applied.problem }
  if (files.length === 0 && applied.count > 0)
    return {
      current: false,
      reason: `\`migrations: ${globs.join(', ')}\` matches no ${tool.name} migration file, yet ${label} lists ${plural(applied.count, 'applied migration')}: the step points at a wrong folder`,
      fix: `set the database step's \`migrations:\` to the folder ${tool.name} reads its migrations from (its config's migrations directory)`,
    }
  if (pending.length > 0) {
    const names = pending.slice(0, shownPending).join(', ')
    const more = pending.length > shownPending ? ` and ${pending.length - shownPending} more` : ''
    // Not one applied entry is a file here: the folder is likely another one than the tool's.
    const foreign =
      applied.keys && applied.count > 0 && pending.length === files.length
        ? `; none of the ${plural(applied.count, 'migration')} in ${label} is one of these files: is \`migrations\` the folder ${tool.name} reads?`
        : ''
    return {
      current: false,
      reason: `${plural(pending.length, 'migration')} not applied (${label}): ${names}${more}${foreign}`,
      pending: true,
    }
  }
  return {
    current: true,
    reason: `migrations current (${plural(files.length, 'file')}, all applied in ${label})`,
  }
}
