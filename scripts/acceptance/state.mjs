// Where devsetup keeps one repository's records. The acceptance run gives devsetup a state folder
// of its own (DEVSETUP_STATE_DIR=<run>/state) and sets up one repository in it, so its records
// are the one `<folder>-<hash>` folder there: found, not recomputed, so this script cannot drift
// from src/engine/state-dir.ts.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'

export function repoStateDir(root, env) {
  const home = path.resolve(env.DEVSETUP_STATE_DIR)
  const name = path.basename(root)
  let folders = []
  try {
    folders = readdirSync(home, { withFileTypes: true }).filter(
      (e) => e.isDirectory() && e.name.startsWith(`${name}-`),
    )
  } catch {}
  // Before the first `up` there is none yet: a path that does not exist, read as "no record".
  return path.join(home, folders.length === 1 ? folders[0].name : `${name}-(no state folder)`)
}

/** server.json (pid, pgid, start time, command) and server.pid, from src/steps/restart/server.ts. */
export function serverFiles(root, env) {
  const dir = repoStateDir(root, env)
  return {
    dir,
    record: path.join(dir, 'server.json'),
    pidfile: path.join(dir, 'server.pid'),
    log: path.join(dir, 'server.log'),
  }
}

export function serverRecord(root, env) {
  try {
    return JSON.parse(readFileSync(serverFiles(root, env).record, 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * Kills the dev server devsetup started (its process group), from its server record. With
 * SIGTERM it waits (up to 10 s, then SIGKILL) until the group is gone, as a person stops a server
 * before deleting what it has open: a running dev server writing into node_modules (Medusa's
 * cache) made `rm -rf node_modules` fail with ENOTEMPTY.
 */
export function killServer(root, env, signal = 'SIGKILL') {
  const record = serverRecord(root, env)
  if (!record) return `no server record in ${serverFiles(root, env).record}`
  const send = (sig) => {
    try {
      process.kill(-record.pgid, sig)
      return true
    } catch {
      try {
        process.kill(record.pid, sig)
        return true
      } catch {
        return false
      }
    }
  }
  if (!send(signal)) return `the recorded server (pid ${record.pid}) is not running`
  for (let waited = 0; signal !== 'SIGKILL' && waited < 100 && send(0); waited++) spawnSync('sleep', ['0.1'])
  if (signal !== 'SIGKILL') send('SIGKILL')
  spawnSync('sleep', ['1'])
  return true
}

/** Processes whose working folder is inside `root` (what a run left behind). */
export function processesIn(root) {
  const found = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue
    try {
      const cwd = realpathSync(`/proc/${pid}/cwd`)
      if (cwd === root || cwd.startsWith(`${root}/`)) {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
        found.push({ pid: Number(pid), cmd: cmd.slice(0, 120) })
      }
    } catch {}
  }
  return found
}

export function killProcessesIn(root) {
  const found = processesIn(root)
  for (const p of found) {
    try {
      process.kill(p.pid, 'SIGKILL')
    } catch {}
  }
  return found
}

/** The newest modification time of the server's log (when a crashing server wrote its last line). */
export function serverLogMtime(root, env, logFile) {
  const file = logFile ?? serverFiles(root, env).log
  try {
    return statSync(file).mtimeMs
  } catch {
    return undefined
  }
}
