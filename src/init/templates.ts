// The recipe templates shipped in `recipes/` (package.json `files`). The CLI is one esbuild
// bundle (dist/cli.js), so templates are read from disk next to it, never imported.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { UserError } from '../errors.js'
import { didYouMean } from '../recipe/suggest.js'
import { RepoProbe } from './repo.js'

export interface Template {
  name: string
  description: string
  file: string
  text: string
}

/** dist/cli.js → ../recipes; src/init/templates.ts (tests running the sources) → ../../recipes. */
export function templatesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const dir = [path.resolve(here, '../recipes'), path.resolve(here, '../../recipes')].find((d) =>
    existsSync(path.join(d, 'rails.yml')),
  )
  if (!dir) throw new UserError(`recipe templates not found next to ${here}`, 'reinstall devsetup')
  return dir
}

export function listTemplates(): Template[] {
  const dir = templatesDir()
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8')
      // The header line `# devsetup.yml — from the <name> template: <description>`.
      const description = /template:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? ''
      return { name: f.replace(/\.yml$/, ''), description, file: path.join(dir, f), text }
    })
}

export function getTemplate(name: string): Template {
  const templates = listTemplates()
  const found = templates.find((t) => t.name === name)
  if (found) return found
  const names = templates.map((t) => t.name)
  throw new UserError(
    `unknown template \`${name}\``,
    `${didYouMean(name, names)} (templates: ${names.join(', ')}; see devsetup init --list-templates)`,
  )
}

/** Signs of each template's stack, with weights: the highest total above zero wins. */
const signs: Record<string, ((repo: RepoProbe) => number)[]> = {
  rails: [
    (r) => (r.has('config/application.rb') ? 3 : 0),
    (r) => (/\bgem ['"]rails['"]/.test(r.read('Gemfile') ?? '') ? 2 : 0),
  ],
  django: [(r) => (r.has('manage.py') ? 3 : 0), (r) => (/django/i.test(pythonDeps(r)) ? 2 : 0)],
  // A template's `run` steps are kept as written (prisma generate): only for the stack it names.
  'nextjs-prisma': [(r) => (r.nodeDependencies().next && usesPrisma(r) ? 4 : 0)],
  'node-express-knex': [
    (r) => (r.nodeDependencies().knex ? 3 : 0),
    (r) => (r.nodeDependencies().knex && r.nodeDependencies().express ? 1 : 0),
  ],
  'go-service': [(r) => (r.has('go.mod') ? 3 : 0)],
}

function usesPrisma(repo: RepoProbe): boolean {
  const deps = repo.nodeDependencies()
  return repo.has('prisma/schema.prisma') || deps.prisma !== undefined || deps['@prisma/client'] !== undefined
}

function pythonDeps(repo: RepoProbe): string {
  return `${repo.read('requirements.txt') ?? ''}${repo.read('pyproject.toml') ?? ''}`
}

/** The template closest to the repository, with its score; undefined when none fits at all. */
export function closestTemplate(root: string): { name: string; score: number } | undefined {
  const repo = new RepoProbe(root)
  let best: { name: string; score: number } | undefined
  for (const [name, tests] of Object.entries(signs)) {
    const score = tests.reduce((sum, test) => sum + test(repo), 0)
    if (score > 0 && (!best || score > best.score)) best = { name, score }
  }
  return best
}
