// The database URL that lives in an env file the server loads itself (the restart's `env_files:`:
// fastify-drizzle's committed configs/.env, clone-tabnews' .env.development for Next). A recipe
// `env: DATABASE_URL: ${DATABASE_URL:-<literal>}` would be exported to the server, and dotenv never
// overrides a variable that is set: an edit of the app's own file would change nothing while
// devsetup runs the app, and `doctor` would check the recipe's literal, not the app's database.
// So the database step reads `${DATABASE_URL}` from that file (src/recipe/server-env-scope.ts)
// and the recipe sets no DATABASE_URL. Except where the file cannot work on this machine: a
// compose service's host (`db:5432`) is reachable only inside compose, and there the recipe's
// local URL is what makes the app run; the note says the file is overridden, and how to change it.
import path from 'node:path'
import { isComposeHost, resolveVars } from './database-env.js'
import type { Detection } from './detect.js'
import { envDefault } from './detect-services.js'
import type { RepoProbe } from './repo.js'

/** Where a server env file sets DATABASE_URL (relative to the repository) and the URL it gives there. */
function inServerFiles(repo: RepoProbe, steps: Detection['steps']) {
  const restart = steps.find((s) => s.type === 'restart')
  const named = (restart?.config as { env_files?: unknown } | undefined)?.env_files
  const files = (Array.isArray(named) ? named : [named]).filter((f): f is string => typeof f === 'string')
  // The first file that sets it wins, as dotenv's list and Next's most specific first.
  for (const file of files.map((f) => path.posix.join(restart?.cwd ?? '', f))) {
    const vars = repo.dotenv(file)
    const raw = vars.DATABASE_URL
    if (raw === undefined) continue
    const line = (repo.read(file) ?? '')
      .split('\n')
      .findIndex((l) => /^\s*(?:export\s+)?DATABASE_URL\s*=/.test(l))
    return { file, at: `${file}:${line + 1}`, raw, url: resolveVars(raw, vars) }
  }
  return undefined
}

const address = (url: string) => {
  try {
    const u = new URL(url)
    return { host: u.hostname, port: u.port, name: u.pathname.replace(/^\//, '') }
  } catch {
    return undefined
  }
}

/**
 * Drops the recipe-level DATABASE_URL when the server's own env file sets it, so that the database
 * step (`url: ${DATABASE_URL}`) and the service read the app's value; returns init's notes.
 */
export function databaseUrlFromServerFiles(repo: RepoProbe, detection: Detection): string[] {
  const step = detection.steps.find((s) => s.type === 'database')
  const literal = envDefault(detection.env.DATABASE_URL)
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the recipe's ${VAR} syntax
  if (!step || literal === undefined || (step.config as { url?: unknown }).url !== '${DATABASE_URL}')
    return []
  const found = inServerFiles(repo, detection.steps)
  if (!found) return []
  const file = found.url && address(found.url)
  if (!file) {
    return [
      `database: ${found.at} sets DATABASE_URL to ${found.raw}, which init cannot read as a URL: the recipe's \`env:\` gives the server ${literal} instead (remove it there to let the app's file decide)`,
    ]
  }
  if (isComposeHost(file.host)) {
    return [
      `database: ${found.at} names the host \`${file.host}\`, a compose service this machine cannot reach outside compose: the recipe's \`env:\` DATABASE_URL (${literal}) overrides it for the server and the database step, so an edit of DATABASE_URL in ${found.file} changes nothing while devsetup runs the app; change it in the recipe`,
    ]
  }
  delete detection.env.DATABASE_URL
  detection.dropEnvUrl = true
  detection.serverEnv = { ...detection.serverEnv, DATABASE_URL: found.url! }
  const notes = [
    `database: its url reads DATABASE_URL from ${found.at} (a file the server loads, in the restart's env_files) as the app does; no recipe-level DATABASE_URL overrides it, so the database named there is the one \`doctor\` checks and \`up\` creates`,
  ]
  // Another source (the migration tool's config, compose's port) named another server: the app's file wins.
  const other = address(literal)
  if (other && (other.host !== file.host || other.port !== file.port || other.name !== file.name))
    notes.push(
      `database: ${found.at} names ${found.url!.replace(/:[^:@/]*@/, ':***@')}, while ${step.why} gave ${literal.replace(/:[^:@/]*@/, ':***@')}: the recipe follows the app's file (the service and the database step)`,
    )
  return notes
}
