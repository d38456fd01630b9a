// The env files the dev server loads that no `dotenv` step writes, for the restart's `env_files:`:
// a value changed in one (a committed configs/.env loaded by path, Next's .env.development) is
// what the running server does not have, so `up` restarts it. Found where init already reads the
// server: the dev script's chain (dev-chain.ts) to the server's entry and the modules it imports
// (server-port.ts, port-in-code.ts), the scripts' loader flags, and the files a framework's CLI
// loads by name. Only files that exist; nothing guessed from names alone.
import path from 'node:path'
import { chainLeaves } from './dev-chain.js'
import { type EnvFileRead, envFilesInScript, envFilesNamedIn } from './env-file-reads.js'
import { importedFiles, otherServerFiles } from './port-in-code.js'
import type { DetectedStep } from './provider.js'
import { RepoProbe } from './repo.js'
import { entryFile, runsServerCode, toolOf } from './server-port.js'

// Env files a dev server does not load: examples, and other modes' (a test run, production).
const otherMode =
  /(?:^|[._-])(?:example|sample|template|dist|test|prod|production|ci|docker|staging)(?:$|[._-])/i
// dotenv's default (`import 'dotenv/config'`, `dotenv.config()`), and Nest's ConfigModule without
// `envFilePath`: `.env` in the folder the server runs in.
const loadsDotEnv =
  /["']dotenv\/config["']|\bdotenv["']?\s*\)?\s*\.config\(\s*\)|ConfigModule\.forRoot\(\s*\)/

/**
 * The files a framework's dev CLI loads by name, most specific first: Next.js and CRA in
 * development, Vite (and what runs on it) in its `--mode`; Nuxt and Adonis only `.env`.
 */
function byName(command: string): string[] | undefined {
  const tool = toolOf({ command, via: [] })?.name
  const mode =
    (tool === 'next' && !/\bnext\s+start\b/.test(command)) || tool === 'react-scripts'
      ? 'development'
      : tool === 'vite' || tool === 'astro' || /\b(?:remix\s+vite:dev|react-router\s+dev)\b/.test(command)
        ? (/--mode[= ](\w+)/.exec(command)?.[1] ?? 'development')
        : undefined
  if (mode) return [`.env.${mode}.local`, '.env.local', `.env.${mode}`, '.env']
  return tool === 'nuxt' || tool === 'adonis' ? ['.env'] : undefined
}

/** What the server `start` runs loads, besides the files in `written` (relative to the app's root). */
export function serverEnvFiles(repo: RepoProbe, start: string, written: readonly string[]): EnvFileRead[] {
  const found: EnvFileRead[] = []
  const add = (reads: EnvFileRead[]) => {
    for (const read of reads)
      if (!written.includes(read.file) && !found.some((f) => f.file === read.file)) found.push(read)
  }
  for (const leaf of chainLeaves(repo, start)) {
    // A workspace package's command runs in its folder, and reads its own files there.
    const prefix = leaf.workspace ?? ''
    const probe = prefix ? new RepoProbe(path.join(repo.root, prefix)) : repo
    const folder = leaf.cwd ?? ''
    const fromRoot = (reads: EnvFileRead[]) =>
      reads.map((r) => ({ file: path.posix.join(prefix, r.file), at: prefixed(prefix, r.at) }))
    const scripts = probe.nodeScripts()
    for (const name of leaf.via)
      add(fromRoot(envFilesInScript(probe, scripts[name] ?? '', `package.json scripts.${name}`)))
    if (leaf.via.length === 0) add(fromRoot(envFilesInScript(probe, leaf.command, `\`${start}\``, folder)))
    const names = byName(leaf.command)
    if (names) {
      const tool = toolOf(leaf)?.name ?? leaf.command.split(/\s+/)[0]
      const files = names.map((f) => path.posix.join(folder, f))
      add(
        fromRoot(
          files
            .filter((f) => probe.has(f) && !probe.isDir(f))
            .map((file) => ({
              file,
              at: `${tool} loads it by name in \`${leaf.command}\`${prefix ? ` (${prefix}/)` : ''}`,
            })),
        ),
      )
      continue
    }
    if (!runsServerCode(leaf)) continue
    const entry = entryFile(probe, leaf.command, leaf.cwd)
    if (!entry) continue
    // The entry's modules first (their file:line is the one named), then the other server files,
    // as the port is read: a module loaded through a path init does not follow is still the server's.
    const imported = importedFiles(probe, entry)
    const code = [...imported, ...otherServerFiles(probe, imported)]
    add(
      fromRoot(
        envFilesNamedIn(probe, code, folder).filter((r) => !otherMode.test(path.posix.basename(r.file))),
      ),
    )
    const dotEnv = path.posix.join(folder, '.env')
    const reads = code.find((file) => loadsDotEnv.test(probe.read(file) ?? ''))
    if (reads && probe.has(dotEnv)) {
      const line = (probe.read(reads) ?? '').split('\n').findIndex((l) => loadsDotEnv.test(l)) + 1
      add(fromRoot([{ file: dotEnv, at: `${reads}${line > 0 ? `:${line}` : ''}, dotenv's default name` }]))
    }
  }
  return found
}

// A file:line or a package's scripts, found in a workspace package: named from the repository's root.
const prefixed = (prefix: string, at: string) =>
  prefix && /^[\w@.-]+(?:\/[\w@.-]+)*(?::\d+|\s+scripts\.)/.test(at) ? `${prefix}/${at}` : at

/**
 * Writes `env_files:` on the restart step that starts the dev server, for the files it loads that
 * no dotenv step writes, and says where each was found in the step's comment, as for its port.
 */
export function followEnvFiles(repo: RepoProbe, steps: DetectedStep[]): void {
  const restart = steps.find((s) => s.type === 'restart')
  const config = restart?.config as { start?: unknown; env_files?: unknown } | undefined
  if (!restart || !config || typeof config.start !== 'string' || config.env_files !== undefined) return
  const written = steps
    .filter((s) => s.type === 'dotenv')
    .map((s) => path.posix.join(s.cwd ?? '', (s.config as { to?: string } | undefined)?.to ?? '.env'))
  const files = serverEnvFiles(repo, config.start, written)
  if (files.length === 0) return
  config.env_files = files.length === 1 ? files[0]!.file : files.map((f) => f.file)
  const list = files.map((f) => `${f.file} (${f.at})`).join(', ')
  restart.why = `${restart.why}; env_files ${list}: no dotenv step writes ${files.length === 1 ? 'it' : 'them'}`
}
