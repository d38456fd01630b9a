// Django: the DATABASES dict of a settings module (or dj_database_url's default),
// `manage.py migrate` and `manage.py runserver`, through the project's Python (uv, poetry, .venv).
import { engineOf, serverUrl } from '../database-env.js'
import { type DatabaseSource, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

export const django = defineProvider({
  name: 'django',
  detect: ({ repo }) => repo.has('manage.py'),
  contribute: ({ repo }) => {
    const database = djangoDatabase(repo)
    const python = pythonOf(repo)
    return {
      ...(database ? { database } : {}),
      databaseCommands: { migrate: `${python} manage.py migrate`, migrations: '*/migrations/*.py' },
      devServer: [
        {
          slot: 'restart',
          type: 'restart',
          config: { start: `${python} manage.py runserver 127.0.0.1:8000`, health: 'http://127.0.0.1:8000/' },
          why: 'Django (manage.py runserver, port 8000)',
        },
      ],
    }
  },
})

function pythonOf(repo: RepoProbe): string {
  if (repo.has('uv.lock')) return 'uv run python'
  return repo.has('poetry.lock') ? 'poetry run python' : '.venv/bin/python'
}

function djangoDatabase(repo: RepoProbe): DatabaseSource | undefined {
  const rank = 3
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
      return {
        engine: engineOf(dbUrl.split(':')[0]!) ?? 'postgres',
        url: dbUrl,
        why: file,
        viaEnv: true,
        rank,
      }
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
    if (!name) return { engine, why, rank }
    if (engine === 'sqlite') return { engine, url: `sqlite:${name.replace(/^.*BASE_DIR\W*/, '')}`, why, rank }
    const db = {
      username: setting('USER'),
      password: setting('PASSWORD'),
      host: setting('HOST'),
      port: setting('PORT'),
    }
    return { engine, url: serverUrl(engine, name, db), why, rank }
  }
  return undefined
}
