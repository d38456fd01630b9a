// A docker compose file's database service: its image says the engine, its environment the
// role, password and database, its ports the port. The least explicit source (rank 5), and a
// fallback only: its database name is taken when nothing of the app's own config names one (or
// the app reads the URL devsetup sets); a compose file is not what the app connects with. `docker compose up -d <service>` starts it,
// written only where a Docker engine runs: a start command that cannot run here is no help.
import { type Engine, engineOf, serverUrl } from '../database-env.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

export const compose = defineProvider({
  name: 'compose',
  detect: ({ repo }) => composeService(repo) !== undefined,
  contribute({ repo, dockerRuns }) {
    const service = composeService(repo)
    if (!service || service.engine === 'sqlite') return {}
    const { engine, env, port } = service
    const user =
      env.POSTGRES_USER ?? (env.MYSQL_USER || (env.MYSQL_ROOT_PASSWORD !== undefined ? 'root' : undefined))
    const password = env.POSTGRES_PASSWORD ?? env.MYSQL_PASSWORD ?? env.MYSQL_ROOT_PASSWORD
    const name =
      env.POSTGRES_DB ?? env.MYSQL_DATABASE ?? (engine === 'postgres' ? (user ?? 'postgres') : 'app')
    const database: DatabaseSource = {
      engine,
      url: serverUrl(engine, name, { username: user, password, port }),
      why: `${service.file} (service ${service.service})`,
      rank: 5,
      fallbackOnly: true,
      ...(dockerRuns() ? { start: `docker compose up -d ${service.service}` } : {}),
    }
    return { database }
  },
})

interface ComposeService {
  file: string
  service: string
  engine: Engine
  env: Record<string, string>
  port?: string
}

function composeService(repo: RepoProbe): ComposeService | undefined {
  const file = repo.first(['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'])
  const services = file
    ? (repo.yaml(file) as { services?: Record<string, Record<string, unknown>> })?.services
    : undefined
  for (const [service, spec] of Object.entries(services ?? {})) {
    const engine = typeof spec?.image === 'string' ? engineOf(spec.image.split(':')[0]!) : undefined
    if (!engine || !file) continue
    const rawEnv = spec.environment ?? {}
    const env: Record<string, string> = Array.isArray(rawEnv)
      ? Object.fromEntries(rawEnv.map((e: string) => [e.split('=')[0], e.split('=').slice(1).join('=')]))
      : Object.fromEntries(Object.entries(rawEnv as object).map(([k, v]) => [k, String(v ?? '')]))
    const inner = engine === 'postgres' ? '5432' : '3306'
    const ports = (spec.ports as unknown[] | undefined) ?? []
    const mapped = ports.map(String).find((p) => p.endsWith(`:${inner}`))
    const result: ComposeService = { file, service, engine, env }
    const port = mapped?.split(':').at(-2)
    if (port) result.port = port
    return result
  }
  return undefined
}
