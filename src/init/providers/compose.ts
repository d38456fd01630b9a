// A docker compose file's database service: its image says the engine, its environment the
// role, password and database, its ports the port. The least explicit source (rank 5), and a
// fallback only: its database name is taken when nothing of the app's own config names one (or
// the app reads the URL devsetup sets); a compose file is not what the app connects with. `docker compose up -d <service>` starts it,
// written only where a Docker engine runs: a start command that cannot run here is no help.
import { readCompose, serviceEngine, serviceEnv } from '../compose-app.js'
import { type Engine, serverUrl } from '../database-env.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

export const compose = defineProvider({
  name: 'compose',
  detect: ({ repo }) => composeService(repo) !== undefined,
  contribute({ repo, dockerRuns }) {
    const server = composeServer(repo)
    if (!server) return {}
    const database: DatabaseSource = {
      engine: server.engine,
      url: server.url(),
      why: `${server.file} (service ${server.service})`,
      rank: 5,
      fallbackOnly: true,
      ...(dockerRuns() ? { start: `docker compose up -d ${server.service}` } : {}),
    }
    return { database }
  },
})

/** The compose database service's server, and its URL for its own database or for `name`. */
export function composeServer(
  repo: RepoProbe,
): (Omit<ComposeService, 'env'> & { engine: 'postgres' | 'mysql'; url(name?: string): string }) | undefined {
  const service = composeService(repo)
  if (!service || service.engine === 'sqlite') return undefined
  const { engine, env, port } = service
  const user =
    env.POSTGRES_USER ?? (env.MYSQL_USER || (env.MYSQL_ROOT_PASSWORD !== undefined ? 'root' : undefined))
  const password = env.POSTGRES_PASSWORD ?? env.MYSQL_PASSWORD ?? env.MYSQL_ROOT_PASSWORD
  const own = env.POSTGRES_DB ?? env.MYSQL_DATABASE ?? (engine === 'postgres' ? (user ?? 'postgres') : 'app')
  return {
    ...service,
    engine,
    url: (name = own) => serverUrl(engine, name, { username: user, password, port }),
  }
}

interface ComposeService {
  file: string
  service: string
  engine: Engine
  env: Record<string, string>
  port?: string
}

function composeService(repo: RepoProbe): ComposeService | undefined {
  const compose = readCompose(repo)
  for (const [service, spec] of Object.entries(compose?.services ?? {})) {
    const engine = spec ? serviceEngine(spec) : undefined
    if (!engine || !compose) continue
    const { env } = serviceEnv(spec.environment)
    const inner = engine === 'postgres' ? '5432' : '3306'
    const ports = (spec.ports as unknown[] | undefined) ?? []
    const mapped = ports.map(String).find((p) => p.endsWith(`:${inner}`))
    const result: ComposeService = { file: compose.file, service, engine, env }
    const port = mapped?.split(':').at(-2)
    if (port) result.port = port
    return result
  }
  return undefined
}
