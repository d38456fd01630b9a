// Drizzle: the engine from drizzle.config's `dialect`, `drizzle-kit migrate` on its `out` folder.
import { engineOf } from '../database-env.js'
import { defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'
import { withPackageScripts } from './node.js'

const configFile = (repo: RepoProbe) =>
  repo.first(['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.json'])

export const drizzle = defineProvider({
  name: 'drizzle',
  detect: ({ repo }) => configFile(repo) !== undefined,
  contribute: ({ repo, example }) => {
    const file = configFile(repo)!
    const config = repo.read(file) ?? ''
    const dialect = /dialect\s*:\s*['"](\w+)['"]/.exec(config)?.[1]
    const engine = dialect ? engineOf(dialect) : undefined
    const out = /\bout\s*:\s*['"]\.?\/?([\w/-]+)['"]/.exec(config)?.[1] ?? 'drizzle'
    const tool = { migrate: 'npx drizzle-kit migrate', migrations: `${out}/**` }
    return {
      ...(engine ? { database: { engine, why: `${file} (${dialect})`, viaEnv: true, rank: 4 } } : {}),
      databaseCommands: withPackageScripts(repo, tool, example),
    }
  },
})
