// Where an app names the env files it loads, read in its code and its package scripts: a literal
// path in code (`dotenv.config({ path: 'configs/.env' })`, env-schema's `dotenv: { path }`,
// `process.loadEnvFile('.env.local')`, Nest's `envFilePath: ['.env.development']`, a path joined
// to `__dirname`), and a script's loader flags (`node --env-file=config/.env.dev`, dotenv-cli's
// `dotenv -e .env.local --`, `env-cmd -f .env.dev`, `DOTENV_CONFIG_PATH=… -r dotenv/config`).
// Only files that exist count: a name in code that no file has is no file the app loads here.
import path from 'node:path'
import type { RepoProbe } from './repo.js'
import { withoutComments } from './source-files.js'

export interface EnvFileRead {
  /** Relative to the repository's root (the probe's). */
  file: string
  /** Where it is named: `src/configs/env.config.ts:50`, `package.json scripts.dev`. */
  at: string
}

// A quoted path whose last part is an env file's name: `configs/.env`, `../.env.local`, `.env.dev`.
const quotedEnvPath = /["'`]((?:\.{1,2}\/)?(?:[\w@.-]+\/)*\.env(?:\.[\w-]+)*)["'`]/g
// Code that loads env files by a name it is given: a bare `.env.local` elsewhere (a list of
// files to ignore, a message) is no load.
const loader = /\bdotenv\b|\bloadEnvFile\b|\benvFilePath\b|\benv-cmd\b|@fastify\/env|\benvSchema\b/
// A path joined to the module's own folder is relative to that file, not to the app's folder.
const ownFolder = /__dirname|import\.meta\.(?:dirname|url)/

/**
 * The existing env files `files` (the app's code, relative to `repo`'s root) name by path; `folder`
 * is where the app runs, relative to the root, for paths not joined to `__dirname`. A folder-less
 * name counts only in a file that loads env files by name (dotenv, loadEnvFile, envFilePath, …).
 */
export function envFilesNamedIn(repo: RepoProbe, files: readonly string[], folder = ''): EnvFileRead[] {
  const found: EnvFileRead[] = []
  for (const file of files) {
    const text = withoutComments(repo.read(file) ?? '')
    const loads = loader.test(text)
    for (const [i, line] of text.split('\n').entries()) {
      for (const m of line.matchAll(quotedEnvPath)) {
        const name = m[1]!
        if (!name.includes('/') && !loads) continue
        const base = ownFolder.test(line) ? path.posix.dirname(file) : folder
        const resolved = path.posix.normalize(path.posix.join(base, name))
        if (resolved.startsWith('../') || !repo.has(resolved) || repo.isDir(resolved)) continue
        if (!found.some((f) => f.file === resolved)) found.push({ file: resolved, at: `${file}:${i + 1}` })
      }
    }
  }
  return found
}

const value = String.raw`(["']?)([^\s"']+)\1`
// Each loader flag, and the files one use of it names.
const scriptFlags: [RegExp, (m: RegExpExecArray | RegExpMatchArray, text: string) => string[]][] = [
  // node, tsx, bun: `--env-file=x`, `--env-file-if-exists x`.
  [new RegExp(`--env-file(?:-if-exists)?[= ]${value}`, 'g'), (m) => [m[2]!]],
  // dotenv-cli: every `-e x` before its `--` (`dotenv -e .env.local -e .env -- next dev`).
  [/\bdotenv(?:-cli)?\s+-/g, (m, text) => dotenvCliFiles(text.slice(m.index))],
  // env-cmd: `-f x` / `--file x`.
  [new RegExp(String.raw`\benv-cmd\s+(?:-[a-z]+\s+\S+\s+)*?(?:-f|--file)[= ]${value}`, 'g'), (m) => [m[2]!]],
  // `-r dotenv/config`: DOTENV_CONFIG_PATH when the command sets it, else .env.
  [
    /(?:-r|--require|--import)[= ]dotenv\/config\b/g,
    (_, text) => [new RegExp(String.raw`\bDOTENV_CONFIG_PATH=${value}`).exec(text)?.[2] ?? '.env'],
  ],
]

/** The existing env files a command's loader flags name; the command runs in `folder`. */
export function envFilesInScript(repo: RepoProbe, text: string, at: string, folder = ''): EnvFileRead[] {
  const found: EnvFileRead[] = []
  for (const [flag, files] of scriptFlags) {
    for (const m of text.matchAll(flag)) {
      for (const name of files(m, text)) {
        const resolved = path.posix.normalize(path.posix.join(folder, name))
        if (resolved.startsWith('../') || !repo.has(resolved) || repo.isDir(resolved)) continue
        if (!found.some((f) => f.file === resolved)) found.push({ file: resolved, at })
      }
    }
  }
  return found
}

/** Every `-e x` of one `dotenv … --` call. */
function dotenvCliFiles(call: string): string[] {
  const args = call.split(/\s+--(?:\s|$)/)[0]!
  return [...args.matchAll(new RegExp(String.raw`\s-e\s+${value}`, 'g'))].map((m) => m[2]!)
}
