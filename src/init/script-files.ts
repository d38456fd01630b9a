// The files a command of the recipe really runs: `npm run db:seed` → package.json's
// `tsx --env-file=.env ./scripts/seed-database.ts` → scripts/seed-database.ts. What a script
// refuses without (env-guards.ts) or requires first (build-first.ts) is read there, not guessed
// from the script's name.
import type { RepoProbe } from './repo.js'

export interface ScriptFiles {
  /** The package scripts followed, in order (`db:seed`, and any `npm run x` it runs). */
  scripts: string[]
  /** The repository's files the command runs (relative to the app's root). */
  files: string[]
}

export const runScript = /^(?:npm run|npm|pnpm(?: run)?|yarn(?: run)?|bun run)\s+([\w:.-]+)/
const sourceFile = /(?:^|[\s=])((?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[cm]?[jt]s)(?=$|[\s;&|)])/g

export function scriptFiles(repo: RepoProbe, command: string): ScriptFiles {
  const found: ScriptFiles = { scripts: [], files: [] }
  follow(repo, command, found, 0)
  return found
}

function follow(repo: RepoProbe, command: string, found: ScriptFiles, depth: number): void {
  // `a && b; c`: every part runs; a script calling another (`npm run build && node x.js`) is followed a few deep.
  for (const part of command.split(/\s*(?:&&|\|\||;)\s*/)) {
    const name = runScript.exec(part.trim())?.[1]
    const body = name ? repo.nodeScripts()[name] : undefined
    if (name && body !== undefined) {
      if (depth > 3 || found.scripts.includes(name)) continue
      found.scripts.push(name)
      follow(repo, body, found, depth + 1)
      continue
    }
    for (const match of part.matchAll(sourceFile)) {
      const file = match[1]!.replace(/^\.\//, '')
      if (!file.startsWith('../') && repo.has(file) && !found.files.includes(file)) found.files.push(file)
    }
  }
}
