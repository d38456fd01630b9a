// Prisma: the engine from schema.prisma's datasource (the URL is always `env("DATABASE_URL")`),
// `prisma migrate deploy` on prisma/migrations, `prisma db seed` when package.json names a seed.
import { engineOf } from '../database-env.js'
import { defineProvider } from '../provider.js'
import { withPackageScripts } from './node.js'

export const prisma = defineProvider({
  name: 'prisma',
  detect: ({ repo }) => repo.has('prisma/schema.prisma'),
  contribute: ({ repo, example }) => {
    const schema = repo.read('prisma/schema.prisma') ?? ''
    const provider = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/.exec(schema)?.[1]
    const engine = provider ? engineOf(provider) : undefined
    const seeds = (repo.json('package.json')?.prisma as { seed?: string } | undefined)?.seed
    const tool = {
      migrate: 'npx prisma migrate deploy',
      migrations: 'prisma/migrations/**',
      ...(seeds ? { seed: 'npx prisma db seed' } : {}),
    }
    return {
      ...(engine
        ? { database: { engine, why: `prisma/schema.prisma (${provider})`, viaEnv: true, rank: 4 } }
        : {}),
      databaseCommands: withPackageScripts(repo, tool, example),
    }
  },
})
