// The app's own bin/setup, timed beside devsetup's first `up` (issue 21: "no slower than the
// app's own bin/setup"): a fresh copy of its own, the run's environment (gems in a folder of
// its own when the run sets GEM_HOME, so nothing devsetup installed is reused), no terminal.

import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

const limitMs = 20 * 60_000

/** { code, ms, tail } of `bin/setup`, or { skipped } when the app has none. */
export function timeBinSetup({ work, runEnv, freshCopy, log }) {
  const dir = path.join(work, 'bin-setup')
  const app = path.join(dir, 'app')
  freshCopy(app)
  if (!existsSync(path.join(app, 'bin', 'setup'))) return { skipped: 'no bin/setup' }
  const { DEVSETUP_STATE_DIR: _state, ...env } = runEnv
  if (env.GEM_HOME) env.GEM_HOME = path.join(dir, 'gems')
  const started = Date.now()
  const result = spawnSync('bin/setup', [], {
    cwd: app,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: limitMs,
    maxBuffer: 64 * 1024 * 1024,
  })
  const ms = Date.now() - started
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
  const code = result.status ?? (result.signal ? `killed (${result.signal})` : 'unknown')
  log(`bin/setup (its own copy): exit ${code} in ${(ms / 1000).toFixed(1)} s`)
  return { code, ms, tail: output.trim().split('\n').slice(-15) }
}
