// The database a Rails or Django app configures for development: config/database.yml (with
// its ERB defaults, e.g. `<%= ENV.fetch("POSTGRES_DB") { "app_development" } %>`, read with the
// example env's values), or the DATABASES dict of a settings module.
import { engineOf, serverUrl } from './database-env.js'
import type { Found } from './detect-database.js'
import type { EnvExample } from './env-example.js'
import type { RepoProbe } from './repo.js'

export function fromRails(repo: RepoProbe, example?: EnvExample): Found | undefined {
  const config = repo.yaml('config/database.yml', example?.vars) as
    | Record<string, Record<string, unknown>>
    | undefined
  const dev = config?.development
  if (!dev || typeof dev !== 'object') return undefined
  // Rails 7.1+ nests several databases: take the primary one.
  const db = (typeof dev.primary === 'object' ? dev.primary : dev) as Record<string, unknown>
  const engine = engineOf(String(db.adapter ?? ''))
  if (!engine) return undefined
  const why = `config/database.yml (${db.adapter})`
  if (typeof db.url === 'string' && db.url) return { engine, url: db.url, why }
  if (typeof db.database !== 'string') return { engine, why }
  if (engine === 'sqlite') return { engine, url: `sqlite:${db.database}`, why }
  return { engine, url: serverUrl(engine, db.database, db), why }
}

export function fromDjango(repo: RepoProbe): Found | undefined {
  if (!repo.has('manage.py')) return undefined
  const candidates = repo
    .list()
    .flatMap((dir) => [
      `${dir}/settings.py`,
      ...repo.list(`${dir}/settings`).map((f) => `${dir}/settings/${f}`),
    ])
  for (const file of candidates) {
    const text = repo.read(file)
    if (!text?.includes('DATABASES')) continue
    const dbUrl = /dj_database_url\.\w+\([^)]*default\s*=\s*['"]([^'"]+)['"]/.exec(text)?.[1]
    if (dbUrl)
      return { engine: engineOf(dbUrl.split(':')[0]!) ?? 'postgres', url: dbUrl, why: file, viaEnv: true }
    const backend = /['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\.(\w+)['"]/.exec(text)?.[1]
    const engine = backend ? engineOf(backend) : undefined
    if (!engine) continue
    // Only the dict that holds this ENGINE: AUTH_PASSWORD_VALIDATORS has 'NAME' keys too.
    const at = text.search(/['"]ENGINE['"]\s*:\s*['"]django\.db\.backends\./)
    const region = text.slice(text.lastIndexOf('{', at), text.indexOf('}', at) + 1)
    // A value is a literal, os.environ.get("X", "default"), or os.path.join(BASE_DIR, ...): the
    // last string in it is the default, or the file name.
    const setting = (key: string) => {
      const expression = new RegExp(
        `['"]${key}['"]\\s*:\\s*([\\s\\S]*?)(?:,\\s*\\n\\s*['"]\\w+['"]\\s*:|\\}\\s*$)`,
      ).exec(region)?.[1]
      return [...(expression ?? '').matchAll(/['"]([^'"]*)['"]/g)].at(-1)?.[1]
    }
    const name = setting('NAME')
    const why = `${file} (DATABASES ${backend})`
    if (!name) return { engine, why }
    if (engine === 'sqlite') return { engine, url: `sqlite:${name.replace(/^.*BASE_DIR\W*/, '')}`, why }
    const db = {
      username: setting('USER'),
      password: setting('PASSWORD'),
      host: setting('HOST'),
      port: setting('PORT'),
    }
    return { engine, url: serverUrl(engine, name, db), why }
  }
  return undefined
}
