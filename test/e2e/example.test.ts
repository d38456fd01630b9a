// The bundled example (what `npm run demo` shows) must keep working on a machine with only Node
// and the sqlite3 command (its migrate writes a real SQLite database, which doctor reads).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, repoRoot, runCli, tempRepo } from '../helpers.js'

describe('examples/app', () => {
  it('sets up from scratch, re-runs as a no-op, and repairs only what broke', async () => {
    const app = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'app'), app, { recursive: true })
    spawnSync('git', ['init', '-q'], { cwd: app })

    const first = await runCli(['--json'], { cwd: app })
    expect(first.code, first.stderr).toBe(0)
    const statuses = (out: string) =>
      Object.fromEntries(
        events(out)
          .filter((e) => e.event === 'step:end')
          .map((e) => [e.step, e.status]),
      )
    expect(Object.values(statuses(first.stdout))).not.toContain('failed')
    expect(statSync(path.join(app, '.env')).mode & 0o777).toBe(0o600)
    expect(readFileSync(path.join(app, '.env'), 'utf8')).toMatch(/^SESSION_SECRET=[0-9a-f]{32,}$/m)
    expect(existsSync(path.join(app, 'db', 'development.sqlite3'))).toBe(true)

    const second = await runCli(['--json'], { cwd: app })
    expect(new Set(Object.values(statuses(second.stdout)))).toEqual(new Set(['ok']))

    rmSync(path.join(app, 'public', 'app.css'))
    const third = await runCli(['--json'], { cwd: app })
    const changed = Object.entries(statuses(third.stdout)).filter(([, s]) => s !== 'ok')
    expect(changed).toEqual([
      ['build-assets', 'changed'],
      ['restart', 'changed'],
    ])
  })
})
