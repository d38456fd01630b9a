// `${VAR}` from the env files the dev server loads itself: a restart step's `env_files:` (a
// committed configs/.env the app loads by path, Next's .env.development). They are the app's own
// files, there before any step runs, so every step reads them, not only the steps after the
// restart: a `database:` step whose `url:` is `${DATABASE_URL}` then checks the database the app's
// file names, and a value changed there moves the step with the app. Lowest precedence, as for the
// app: the shell and the recipe's `env:` win (dotenv never overrides the environment), then the
// dotenv steps' files (env-file-scope.ts), then these in the order the step lists them, the first
// file that sets a key winning (dotenv's `path: [...]`, Next's and Vite's most specific first); in
// one file the last definition, as dotenv's parse keeps. The values taken go through the same
// EnvFileReads as the dotenv steps' ones: the recipe cache keeps hashes, never a value (cache-env-files.ts).
import path from 'node:path'
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml'
import { assertFileInside } from '../engine/confine.js'
import { noteSecretEnv } from '../engine/mask.js'
import { definitionOf } from '../steps/dotenv/parse.js'
import type { EnvFileReads } from './env-file-scope.js'
import type { RecipeSource } from './source.js'

/** One file a restart step's `env_files:` names. */
export interface ServerEnvFile {
  /** Absolute path. */
  file: string
  /** Relative to the repository, as messages show it. */
  shown: string
  /** 1-based line of the restart step in the recipe. */
  line: number
}

/**
 * The files the restart steps of `steps` name in `env_files:`, in recipe order. A name that is
 * itself interpolated (`${...}`) is not known before the steps are, and one that leads out of the
 * repository is the restart step's to refuse: neither is read.
 */
export function serverEnvFilesIn(
  source: RecipeSource,
  steps: readonly Node[],
  root: string,
): ServerEnvFile[] {
  const found: ServerEnvFile[] = []
  for (const step of steps) {
    const group = isMap(step) ? step.get('parallel', true) : undefined
    const nodes = isSeq(group) ? (group.items as Node[]) : [step]
    for (const node of nodes)
      if (isMap(node) && node.has('restart')) found.push(...namedBy(source, node, root))
  }
  return found.filter((f, i) => found.findIndex((g) => g.file === f.file) === i)
}

function namedBy(source: RecipeSource, node: YAMLMap, root: string): ServerEnvFile[] {
  const step = node.toJS(source.doc, { maxAliasCount: 1000 }) as Record<string, unknown>
  const config = step.restart as { env_files?: unknown } | null
  const named = config?.env_files
  const list = (Array.isArray(named) ? named : [named]).filter(
    (f): f is string => typeof f === 'string' && f !== '' && !f.includes('$'),
  )
  const cwd = typeof step.cwd === 'string' && !step.cwd.includes('$') ? step.cwd : '.'
  const folder = path.resolve(root, cwd)
  const line = source.position(node.range?.[0] ?? 0).line
  return list.flatMap((file) => {
    try {
      assertFileInside(root, folder, file, 'env_files')
    } catch {
      return []
    }
    return [{ file: path.resolve(folder, file), shown: path.join(cwd, file), line }]
  })
}

/** A value's `$NAME`, `${NAME}` and `${NAME:-default}`, as dotenv-expand reads them. */
const reference = /\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g

/**
 * `name` as the first of `files` that sets it holds it; undefined when none does. A `$NAME` in
 * the value is expanded as dotenv-expand does (Next.js, Vite, CRA, node-pg-migrate; clone-tabnews'
 * `postgres://$POSTGRES_USER:...`): from `outer` (the shell and the recipe's `env:`) first, then
 * these files; a value with a name nothing sets is kept as written (a password with a `$` in a
 * plain dotenv file, which loads it as it is).
 */
export function lookUpServerFiles(
  files: readonly ServerEnvFile[],
  name: string,
  reads: EnvFileReads,
  outer: (name: string) => string | undefined = () => undefined,
  depth = 0,
): { value: string; from: string } | undefined {
  for (const server of files) {
    const parsed = reads.read(server.file)
    // A missing file is skipped, as dotenv skips it; an unreadable one too (and the parse is not cached).
    if (!parsed || parsed === 'unreadable') continue
    const entry = definitionOf(parsed, name, 'last')
    if (!entry) continue
    reads.took({ file: server.file, key: name, pick: 'last', value: entry.value })
    // A secret read from a file is masked as the environment's are.
    noteSecretEnv({ [name]: entry.value })
    const from = `${server.shown} (the \`env_files:\` of the restart step at line ${server.line})`
    return {
      value: expanded(entry.value, (ref) => {
        if (ref === name || depth > 8) return undefined
        return outer(ref) ?? lookUpServerFiles(files, ref, reads, outer, depth + 1)?.value
      }),
      from,
    }
  }
  return undefined
}

function expanded(value: string, lookUp: (name: string) => string | undefined): string {
  if (!value.includes('$')) return value
  let unknown = false
  const result = value.replace(reference, (_, braced?: string, fallback?: string, bare?: string) => {
    const found = lookUp((braced ?? bare)!)
    const given = found !== undefined && found !== '' ? found : fallback
    if (given === undefined) unknown = true
    return given ?? ''
  })
  return unknown ? value : result
}

/** Where a lookup looked in these files, for an undefined variable's message. */
export const serverFilesLooked = (files: readonly ServerEnvFile[]) =>
  files.map((f) => `${f.shown} (the \`env_files:\` of the restart step at line ${f.line})`)
