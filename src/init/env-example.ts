// The example env file a repository ships, whatever it is called: `.env.example`, but also
// `env-example-relational`, `.env.local.example`, `.example.env`, `.env.development.sample`,
// `example.env`... When there are several, the one the README, package scripts, Procfile or
// Makefile name wins (`cp env-example-relational .env`); then the plainest name.
import type { RepoProbe } from './repo.js'

export interface EnvExample {
  file: string
  vars: Record<string, string>
  /** The 1-based line each key is defined on, so init can say `PORT in .env.example:2`. */
  lines: Record<string, number>
  /** Why this one: shown in init's output. */
  why: string
}

const exampleWord = /(example|sample|template|dist|defaults?)/i

/** A root file name that reads as an example env file. */
export function isEnvExampleName(name: string): boolean {
  const lower = name.toLowerCase()
  if (lower === '.env' || !lower.includes('env')) return false
  if (/\.(js|cjs|mjs|ts|json|md|py|rb|sh|ya?ml|lock)$/.test(lower)) return false
  // .env.example, .env.local.example, .env.development.sample, .env-example, env.example,
  // env-example-relational, .example.env, example.env, .env.dist
  return (
    (/^\.?env([._-][\w.-]*)?$/.test(lower) && exampleWord.test(lower.replace(/^\.?env/, ''))) ||
    /^\.?(example|sample|template)[._-]?\.env$/.test(lower)
  )
}

/** Plain names first: `.env.example` beats `.env.test.example` when nothing names either. */
const rank = (name: string) =>
  (/^\.env\.(example|sample)$/.test(name) ? 0 : 1) + (/test|ci|prod|production|docker/i.test(name) ? 2 : 0)

export function findEnvExample(repo: RepoProbe): EnvExample | undefined {
  const candidates = repo
    .list()
    .filter((name) => isEnvExampleName(name) && !repo.isDir(name))
    .sort((a, b) => rank(a) - rank(b) || a.length - b.length || a.localeCompare(b))
  if (candidates.length === 0) return undefined
  const mentions = mentionText(repo)
  // The one a setup guide copies first (`cp env-example-relational .env`), else the first named.
  const at = (needle: string) => {
    const i = mentions.text.indexOf(needle)
    return i === -1 ? Number.POSITIVE_INFINITY : i
  }
  const order = (name: string) => Math.min(at(`cp ${name}`) - 1e9, at(name))
  const named = [...candidates]
    .sort((a, b) => order(a) - order(b))
    .find((name) => mentions.text.includes(name))
  const file = named ?? candidates[0]!
  const others = candidates.length > 1 ? ` (of ${candidates.join(', ')})` : ''
  const why = named ? `${file}, named in ${mentions.sourceOf(file)}${others}` : `${file}${others}`
  return { file, vars: repo.dotenv(file), lines: keyLines(repo.read(file) ?? ''), why }
}

/** Where a person learns how to set the repository up: the README and the scripts. */
function mentionText(repo: RepoProbe): { text: string; sourceOf: (name: string) => string } {
  const readme = repo.list().find((n) => /^readme(\.\w+)?$/i.test(n))
  const sources: [string, string][] = [
    [readme ?? 'README', readme ? (repo.read(readme) ?? '') : ''],
    ...repo
      .list('docs')
      .filter((n) => /install|setup|start|running|develop/i.test(n))
      .sort()
      .map((n): [string, string] => [`docs/${n}`, repo.read(`docs/${n}`) ?? '']),
    ['package.json scripts', Object.values(repo.nodeScripts()).join('\n')],
    ['Procfile', repo.read('Procfile') ?? ''],
    ['Makefile', repo.read('Makefile') ?? ''],
    ['bin/setup', repo.read('bin/setup') ?? ''],
  ]
  return {
    text: sources.map(([, text]) => text).join('\n'),
    sourceOf: (name) => sources.find(([, text]) => text.includes(name))?.[0] ?? 'the repository',
  }
}

function keyLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {}
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1]
    if (key) lines[key] = i + 1
  }
  return lines
}

/** Where keys are defined: `PORT in .env.example:2`, `DB_HOST, DB_PORT in .env.sample:3,4`. */
export function whereIn(example: Pick<EnvExample, 'file' | 'lines'>, keys: string[]): string {
  const at = keys.map((key) => example.lines[key]).filter((n) => n !== undefined)
  return `${keys.join(', ')} in ${example.file}${at.length > 0 ? `:${at.join(',')}` : ''}`
}
