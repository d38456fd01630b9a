// Signatures of servers and databases: a busy port, a refused connection, a missing role,
// database or table, a refused password. Each names the recipe step that fixes it.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describeOwner, portOwner } from './port-owner.js'
import { comesAfter, configField, engineOf, findStep, named } from './recipe-terms.js'
import type { FailureFacts, Signature } from './types.js'

const enginesByPort: Record<number, { engine: string; label: string }> = {
  5432: { engine: 'postgres', label: 'PostgreSQL' },
  3306: { engine: 'mysql', label: 'MySQL/MariaDB' },
  6379: { engine: 'redis', label: 'Redis' },
}

const sameEngine = (engine: string) => (step: { type: string } & Parameters<typeof engineOf>[0]) =>
  engineOf(step) === engine || (engine === 'postgres' && engineOf(step) === 'postgresql')

function databaseStepFix(facts: FailureFacts, what: string): string {
  const database = findStep(facts, 'database')
  if (!database) return `add a \`database:\` step (engine, url) before this step: it ${what}`
  return `${named(database, facts)} ${what}; check that this command uses the same URL (DATABASE_URL)`
}

export const serverSignatures: Signature[] = [
  {
    id: 'port-in-use',
    patterns: [
      /EADDRINUSE[^\n]*?(?:address already in use\s+)?\S*?:(\d{2,5})\b/,
      /Address already in use - bind\(2\) for "[^"]*" port (\d+)/,
      /listening socket \S*:(\d+): bind: Address already in use/,
      /Address already in use[^\n]*\n[^\n]*another postmaster already running on port (\d+)/,
      /Address already in use/,
    ],
    async explain(match, facts) {
      const port = Number(match[1])
      if (!port) {
        return {
          cause: 'a port this command listens on is already in use',
          fix: 'stop what holds it (`ss -ltnp` names it), or give this step another port',
        }
      }
      return describeOwner(port, await portOwner(port, facts.root))
    },
  },
  {
    id: 'database-refused',
    patterns: [
      /ECONNREFUSED\s+\S*?:(5432|3306|6379)\b/,
      /port (5432|3306|6379) failed: Connection refused/,
      /Could not connect to Redis at \S+?:(6379): Connection refused/,
      /Can't connect to (?:MySQL )?server on '[^']+'()(?::3306)? \((?:111|115)\)/,
    ],
    explain(match, facts) {
      const { engine, label } = enginesByPort[Number(match[1] || 3306)]!
      const service = findStep(facts, 'service', sameEngine(engine))
      const cause = `nothing accepts connections on ${label}'s port ${match[1] || 3306}`
      if (!service)
        return {
          cause,
          fix: `add \`- service: ${engine}\` before this step: devsetup then runs the repository's own ${label} there`,
        }
      if (comesAfter(service, facts)) return { cause, fix: `${named(service, facts)} starts it` }
      return {
        cause,
        fix: `${named(service, facts)} serves its own URL (\`${String(configField(service, 'url_var') ?? 'DATABASE_URL')}\`): this command must connect to that one, not to the default port`,
      }
    },
  },
  {
    id: 'role-missing',
    patterns: [/role "([^"]+)" does not exist/],
    explain: (match, facts) => ({
      cause: `the PostgreSQL role "${match[1]}" does not exist`,
      fix: databaseStepFix(facts, `creates the role its url names (postgres://${match[1]}:…@…)`),
    }),
  },
  {
    id: 'database-missing',
    patterns: [
      /database "([^"]+)" does not exist/,
      /Unknown database '([^']+)'/,
      /ActiveRecord::NoDatabaseError[^\n]*?(?:database "?([\w-]+)"?)?/,
    ],
    explain: (match, facts) => ({
      cause: `the database ${match[1] ? `"${match[1]}" ` : ''}does not exist`,
      fix: databaseStepFix(facts, 'creates the database its url names'),
    }),
  },
  {
    id: 'authentication-failed',
    patterns: [
      /password authentication failed for user "([^"]+)"/,
      /Access denied for user '([^']+)'@'[^']*' \(using password: (?:YES|NO)\)/,
    ],
    explain: (match, facts) => ({
      cause: `the server refused user "${match[1]}": wrong password, or (PostgreSQL over TCP says the same) no such role`,
      fix: `${databaseStepFix(facts, 'creates a missing role with the password of its url, and never changes an existing one')}; the password in .env must be the server's`,
    }),
  },
  {
    id: 'table-missing',
    patterns: [
      /relation "([^"]+)" does not exist/,
      /no such table: ([\w.]+)/,
      /Table '([^']+)' doesn't exist/,
      /Migrations are pending|ActiveRecord::PendingMigrationError()/,
    ],
    explain(match, facts) {
      const table = match[1] ? `table "${match[1]}"` : 'a table'
      const database = findStep(facts, 'database')
      const cause = `${table} does not exist: the migrations have not run against this database`
      // The app's server with no database step: it makes its own schema at boot (uptime-kuma), so a
      // table it lacks was either never made or lost since (dropped by hand): not "add migrate".
      if (!database && facts.step.type === 'restart')
        return {
          cause: `${table} does not exist in the database the app made itself`,
          fix: "if the app had it before, it was lost since: restore the database from a backup (the app's own migrations will not re-create a table their record says exists); if the app needs a migrate command run first, add a `database:` step with `migrate:` before this step",
        }
      if (!database)
        return {
          cause,
          fix: "add a `database:` step with `migrate:` (the app's migrate command) before this step",
        }
      if (!configField(database, 'migrate'))
        return { cause, fix: `give ${named(database, facts)} a \`migrate:\` command (the app's own migrate)` }
      if (database === facts.step)
        return {
          cause,
          fix: "this step's `migrate:` did not create it: check that the migrate command reads the database and migrations folder this step names",
        }
      // Migrated, and still missing: not migrated where the app looks, or lost (dropped) since.
      return {
        cause: `${table} does not exist in the database the app uses: migrations have not made it there, or it was lost since they ran`,
        fix: `${named(database, facts)} migrates: this command must use the database that step names (same DATABASE_URL / file); if the table was dropped, restore the database from a backup (migrate will not re-create a table its record says exists)`,
      }
    },
  },
  {
    id: 'mysql-variable-unknown',
    patterns: [/Unknown system variable '(\w+)'/],
    explain(match, facts) {
      const name = match[1]!
      const where = settingLine(facts, name)
      const place = where ?? 'where the app sets it (Rails: `variables:` in config/database.yml)'
      // MySQL 8 dropped tx_isolation for transaction_isolation; MariaDB took the new name only in 11.1.
      const renamed: Record<string, string> = {
        transaction_isolation: 'tx_isolation',
        tx_isolation: 'transaction_isolation',
      }
      const other = renamed[name]
      if (!other)
        return {
          cause: `the database server has no system variable \`${name}\`: the app's configuration was written for another server or version`,
          fix: `remove or rename \`${name}\` ${where ? `at ${where}` : place}`,
        }
      return {
        cause: `the server calls this variable \`${other}\`, not \`${name}\`: MySQL 8 renamed tx_isolation to transaction_isolation, and MariaDB knows the new name only from 11.1 (devsetup's \`service: mysql\` is the machine's MariaDB)`,
        fix: `write \`${other}\` instead of \`${name}\` ${where ? `at ${where}` : place}, or run a server that knows \`${name}\``,
      }
    },
  },
]

/** `config/database.yml:14` where a Rails app sets the variable the server refused, if it does. */
function settingLine(facts: FailureFacts, name: string): string | undefined {
  for (const dir of new Set([facts.cwd, facts.root])) {
    const file = path.join(dir, 'config', 'database.yml')
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    const line = text.split('\n').findIndex((l) => new RegExp(`^\\s*${name}\\s*:`).test(l))
    if (line >= 0) return `${path.relative(facts.root, file)}:${line + 1}`
  }
  return undefined
}
