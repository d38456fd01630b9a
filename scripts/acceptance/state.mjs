// Where devsetup keeps one repository's records, computed the way src/engine/state-dir.ts and
// src/engine/workdir.ts do: $DEVSETUP_STATE_DIR or $XDG_STATE_HOME/devsetup (root:
// /var/lib/devsetup, others ~/.local/state/devsetup) + `<folder>-<sha256(realpath)[0:12]>`,
// unless only an old `.devsetup/state.json` inside the repository exists. The acceptance run
// sets DEVSETUP_STATE_DIR to a folder of its own, so nothing it does touches other checkouts.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'

export function stateHome(env = process.env) {
  if (env.DEVSETUP_STATE_DIR) return path.resolve(env.DEVSETUP_STATE_DIR)
  if (env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME))
    return path.join(env.XDG_STATE_HOME, 'devsetup')
  if (process.getuid?.() === 0) return '/var/lib/devsetup'
  return path.join(env.HOME || homedir(), '.local', 'state', 'devsetup')
}

export function repoStateDir(root, env = process.env) {
  let real
  try {
    real = realpathSync(root)
  } catch {
    real = path.resolve(root)
  }
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12)
  const name = path.basename(real).replace(/[^A-Za-z0-9._-]/g, '_') || 'root'
  const dir = path.join(stateHome(env), `${name}-${hash}`)
  const legacy = path.join(root, '.devsetup')
  return !existsSync(dir) && existsSync(path.join(legacy, 'state.json')) ? legacy : dir
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

/** Kills the dev server devsetup started (its process group), from its server record. */
export function killServer(root, env) {
  const record = serverRecord(root, env)
  if (!record) return `no server record in ${serverFiles(root, env).record}`
  try {
    process.kill(-record.pgid, 'SIGKILL')
  } catch {
    try {
      process.kill(record.pid, 'SIGKILL')
    } catch {
      return `the recorded server (pid ${record.pid}) is not running`
    }
  }
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
