// The app's own public URL (`URL=`, `APP_URL=`, `BASE_URL=`, `PUBLIC_URL=` left empty in the
// example: outline's .env.sample): a value the app builds its links, redirects and cookies from,
// and one its env validator refuses empty, so every fresh checkout fails at boot (and at a
// migrate that loads the same config). On a developer's machine that URL is the dev server's:
// init sets it, through the dotenv step's `set:` (a new .env only, a value a person wrote is
// kept), to http://127.0.0.1:<port> of the restart step's health URL, and names the line of
// the validator that requires it. A key no validator requires is left as the example has it:
// the app may read an empty one as "derive it from the request".
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { EnvExample } from './env-example.js'
import type { DetectedStep } from './provider.js'
import type { RepoProbe } from './repo.js'
import { requiredByValidators } from './secrets.js'

/** A name for the app's own URL (not a service's: REDIS_URL, DATABASE_URL, CDN_URL are not it). */
const ownUrl = /^(?:(?:APP|BASE|PUBLIC|SITE|SERVER|WEB|ROOT|ORIGIN)_)?URL$|^(?:APP|SITE|PUBLIC)_ORIGIN$/

// class-validator, as outline's server/env.ts writes it: decorators above the property
// (`@IsNotEmpty()`, `@IsUrl({...})`, `public URL = environment.URL ?? ''`). `@IsOptional()`
// accepts the key absent: not required.
const decorator = /^\s*@(\w+)\(/
const property = (key: string) => new RegExp(String.raw`^\s*(?:public\s+|readonly\s+)*${key}\s*[:=]`)

// Where an app keeps its env schema, read first: a big repository's source list (sourceFiles
// stops at a few hundred files) may end before outline's server/env.ts.
const envModule = /^(?:env|environment|config)\.(?:c|m)?[jt]s$/
const envFolders = [
  '',
  'src',
  'server',
  'app',
  'config',
  'lib',
  'api',
  'backend',
  'src/config',
  'server/config',
]

function envModules(repo: RepoProbe): string[] {
  const named = envFolders.flatMap((dir) =>
    repo
      .list(dir || undefined)
      .filter((name) => envModule.test(name))
      .map((name) => (dir ? `${dir}/${name}` : name)),
  )
  return [...new Set([...named, ...repo.sourceFiles()])]
}

/** `file:line` of a class-validator property that requires `key`, if any. */
function requiredByDecorators(repo: RepoProbe, key: string): string | undefined {
  for (const file of envModules(repo)) {
    const text = readFileSync(path.join(repo.root, file), 'utf8')
    if (!text.includes('class-validator')) continue
    const lines = text.split('\n')
    for (const [i, line] of lines.entries()) {
      if (!property(key).test(line)) continue
      // The decorators above it, up to the previous member (a blank line, `;` or a comment's end).
      const names: string[] = []
      for (let j = i - 1; j >= 0 && j >= i - 15; j--) {
        const above = lines[j]!.trim()
        if (above === '' || above.endsWith(';') || above.endsWith('*/')) break
        const name = decorator.exec(lines[j]!)?.[1]
        if (name) names.push(name)
      }
      if (names.includes('IsOptional')) continue
      if (names.some((n) => n === 'IsNotEmpty' || n === 'IsDefined' || n === 'IsUrl'))
        return `${file}:${i + 1}`
    }
  }
  return undefined
}

/** Sets each empty own-URL key a validator requires to the dev server's URL; notes say why, or what is missing. */
export function setOwnUrls(
  repo: RepoProbe,
  steps: DetectedStep[],
  example: EnvExample | undefined,
): string[] {
  const dotenv = steps.find((s) => s.type === 'dotenv')
  if (!example || !dotenv) return []
  const keys = Object.keys(example.vars).filter((key) => ownUrl.test(key) && example.vars[key] === '')
  if (keys.length === 0) return []
  const validators = requiredByValidators(repo, example)
  const restart = steps.find((s) => s.type === 'restart')
  const health = (restart?.config as { health?: unknown } | undefined)?.health
  const origin = typeof health === 'string' ? /^(https?:\/\/[^/]+)/.exec(health)?.[1] : undefined
  const notes: string[] = []
  for (const key of keys) {
    const by = validators.get(key) ?? requiredByDecorators(repo, key)
    if (!by) continue
    const where = `${example.file}:${example.lines[key]}`
    if (!origin) {
      notes.push(`${key} is empty in ${where} and ${by} requires it (the app's own URL): set it in .env`)
      continue
    }
    const config = dotenv.config as { set?: Record<string, string> }
    if (config.set?.[key] !== undefined) continue
    dotenv.config = { ...config, set: { ...config.set, [key]: origin } }
    notes.push(
      `${key}=${origin} in the new .env: ${where} leaves it empty, ${by} requires it, and the app's own URL here is the dev server's (the restart step's health URL)`,
    )
  }
  return notes
}
