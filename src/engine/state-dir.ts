// Where devsetup keeps what it writes for one repository: outside the repository, in the
// user's state folder, keyed by the repository's real path. Inside the tree, every file
// devsetup wrote (state, run logs, a server's log) woke file watchers — nodemon,
// `node --watch`, Vite — and restarted the very dev server devsetup had just started.
//
//   $DEVSETUP_STATE_DIR/<folder>-<hash>/            (tests, or a user's own choice)
//   $XDG_STATE_HOME/devsetup/<folder>-<hash>/       (XDG_STATE_HOME defaults to ~/.local/state;
//                                                    for root, /var/lib/devsetup/<folder>-<hash>/)
//
// Shared by everything that keeps per-repository records (the engine, `restart`, `service`).
import { createHash } from 'node:crypto'
import { realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'

/** The folder holding every repository's state folder. */
export function stateHome(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): string {
  if (env.DEVSETUP_STATE_DIR) return path.resolve(env.DEVSETUP_STATE_DIR)
  const xdg = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : undefined
  if (xdg) return path.join(xdg, 'devsetup')
  // root's home (0700) is closed to the unprivileged user a database server runs as (service).
  if (uid === 0) return '/var/lib/devsetup'
  return path.join(env.HOME || homedir(), '.local', 'state', 'devsetup')
}

/**
 * The state folder of the repository at `root`: its folder name (readable in `ls`) and a
 * short hash of its real path (two clones named `app` stay apart; a symlinked path is the same repo).
 */
export function repoStateDir(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
  uid = process.getuid?.(),
): string {
  let real: string
  try {
    real = realpathSync(root)
  } catch {
    real = path.resolve(root)
  }
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12)
  const name = path.basename(real).replace(/[^A-Za-z0-9._-]/g, '_') || 'root'
  return path.join(stateHome(env, uid), `${name}-${hash}`)
}

/**
 * A path as messages show it: relative when inside `base` (`tmp/server.log`), with `~` for
 * the home folder otherwise (`~/.local/state/devsetup/app-1a2b3c4d5e6f/server.log`).
 */
export function displayPath(file: string, base: string, env: NodeJS.ProcessEnv = process.env): string {
  const relative = path.relative(base, file)
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative
  const home = env.HOME || homedir()
  return home && home !== '/' && file.startsWith(`${home}${path.sep}`) ? `~${file.slice(home.length)}` : file
}
