// The service step after a crash in a container whose PID 1 reaps late: the killed postmaster
// stays a zombie that PostgreSQL takes for a live server. A real zombie, real PostgreSQL.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempRepo, waitFor } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { pgRecipe, services } from './service/harness.js'

const s = services()

describe('service: postgres after a crash', () => {
  it.runIf(process.platform === 'linux')(
    'sets aside the lock file of a killed server nobody has reaped (a zombie)',
    async () => {
      const port = await freePort()
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(`postgres://localhost:${port}/app_dev`) })
      expect((await s.cli(repo, ['up'])).code).toBe(0)
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
      // `sleep 60` does not reap its exited child: that child stays a zombie, which answers kill(pid, 0).
      // The child outlives the shell's exec by half a second: a shell could reap one that ended sooner.
      const parent = spawn('sh', ['-c', 'sleep 0.5 & echo $! > zombie.pid; exec sleep 60'], { cwd: repo })
      try {
        const pidFile = path.join(repo, 'zombie.pid')
        await waitFor(
          () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'),
          10_000,
          'zombie',
        )
        const zombie = Number(readFileSync(pidFile, 'utf8'))
        await waitFor(
          () => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]!.startsWith('Z'),
          10_000,
          'Z',
        )
        const data = path.join(s.dir(repo, 'postgres'), 'data')
        writeFileSync(path.join(data, 'postmaster.pid'), `${zombie}\n${data}\n0\n${port}\n`)
        const result = await s.cli(repo, ['up'])
        expect(result.stdout).toContain(
          `set aside the lock file of pid ${zombie} (killed, not yet reaped by its parent)`,
        )
        expect(result.code).toBe(0)
        expect(existsSync(path.join(data, `postmaster.pid.zombie-${zombie}`))).toBe(true)
      } finally {
        parent.kill('SIGKILL')
      }
    },
    60_000,
  )
})
