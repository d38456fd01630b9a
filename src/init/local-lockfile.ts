// A lockfile that resolves a package from localhost (react-chat's `"resolved":
// "http://localhost:3030/feathers-chat-0.0.0.tgz"`, a tarball the app's own API serves) cannot be
// installed before that server runs: `npm ci` fails with ECONNREFUSED on a fresh machine.
import type { RepoProbe } from './repo.js'

const lockfiles = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml']
// yarn.lock's `resolved "http://…"` and pnpm's `tarball: http://…` as well as npm's `"resolved": "http://…"`.
const resolvedLocally =
  /(?:resolved|resolution|tarball)\W+(https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)[^\s"',)]*)/

/** The note for a folder whose lockfile resolves from localhost (with file:line), if it does. */
export function localLockfileUrl(repo: RepoProbe, folder: string): string | undefined {
  const files = lockfiles.map((f) => (folder ? `${folder}/${f}` : f)).filter((f) => repo.has(f))
  const found = repo.firstMatch(files, resolvedLocally)
  if (!found) return undefined
  return `${found.file}:${found.line} resolves a package from ${found.match}: it cannot be installed before that server runs here`
}
