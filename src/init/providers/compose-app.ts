// The database an app without an example env file connects to, when its compose service's
// environment (compose-app.ts) and its own code say it: a connection object that reads the host
// from a key that environment sets, and its database from `process.env.X || 'literal'` (directly,
// or through a `const` one line names). Jellystat: POSTGRES_DB unset, so `jfstat`, not the
// compose server's default `postgres`. The server itself (role, password, port) is the compose
// database service's. Static reading of the app's code: it ranks with db-env-keys, above the
// compose file alone; the app reads split variables (the env pass writes them), not DATABASE_URL.
import { type ComposeApp, composeApp } from '../compose-app.js'
import { hostKey } from '../compose-hosts.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { composeServer } from './compose.js'

export const composeAppProvider = defineProvider({
  name: 'compose-app',
  detect: ({ repo, example }) => example === undefined && composeApp(repo) !== undefined,
  contribute: ({ repo }) => {
    const app = composeApp(repo)!
    const server = composeServer(repo)
    const found = server && app.database === server.service ? databaseInCode(repo, app) : undefined
    if (!server || !found) return {}
    const named = found.key in app.env
    const name = named ? app.env[found.key]! : found.literal
    const from = named
      ? `${found.key}=${name} in ${app.file}:${app.lineOf(found.key)}`
      : `${found.key} is not in service ${app.service}'s environment`
    const database: DatabaseSource = {
      engine: server.engine,
      url: server.url(encodeURIComponent(name)),
      why: `${found.file}:${found.line} reads its database as ${found.expression} (${from}); server from ${server.file} (service ${server.service})`,
      rank: 3,
      splitVars: 'always',
    }
    return { database }
  },
})

// `database: process.env.POSTGRES_DB || 'jfstat'`, or `database: _DB` beside `const _DB = process.env.X ?? "d"`.
const readsEnv = /process\.env\.(\w+)\s*(?:\|\||\?\?)\s*['"]([\w.-]+)['"]/
const databaseField = /\b(?:database|dbName)\s*:\s*([\w.]+(?:\s*(?:\|\||\?\?)\s*['"][\w.-]+['"])?)/

/** The first connection object whose host is a key the service sets and whose database is `process.env.X || 'literal'`. */
function databaseInCode(
  repo: RepoProbe,
  app: ComposeApp,
): { file: string; line: number; key: string; literal: string; expression: string } | undefined {
  const hostKeys = Object.keys(app.env).filter((k) => hostKey.test(k))
  for (const file of repo.sourceFiles()) {
    const text = repo.read(file) ?? ''
    if (!hostKeys.some((k) => text.includes(`process.env.${k}`))) continue
    const lines = text.split('\n')
    for (const [i, line] of lines.entries()) {
      const field = databaseField.exec(line)?.[1]
      if (!field) continue
      const direct = readsEnv.exec(field)
      // One step through a constant: `const _POSTGRES_DATABASE = process.env.POSTGRES_DB || "jfstat"`.
      const constant = direct
        ? undefined
        : new RegExp(`(?:const|let|var)\\s+${field.replace(/[.$]/g, '\\$&')}\\s*=\\s*(.+)`).exec(text)?.[1]
      const read = direct ?? (constant ? readsEnv.exec(constant) : undefined)
      if (read) return { file, line: i + 1, key: read[1]!, literal: read[2]!, expression: read[0] }
    }
  }
  return undefined
}
