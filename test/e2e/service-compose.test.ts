// The `service` step with a docker-compose.yml: Docker Compose when a Docker engine runs, else
// the local binaries. No Docker engine can run here: a fake `docker` on PATH stands in for one
// (and for its absence); the fallback starts the real PostgreSQL.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fakeBin, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { pgRecipe, services } from './service/harness.js'

const s = services()

describe('service: docker compose', () => {
  const compose = 'services:\n  db:\n    image: postgres:16\n    ports: ["5432:5432"]\n'
  const fakeDocker = (dir: string) =>
    fakeBin(
      dir,
      'docker',
      `echo "$*" >> "${dir}/calls.log"
case "$1" in
  info) if [ -f "${dir}/engine" ]; then echo 27.0.0; exit 0; fi
        echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1;;
  compose) case "$4" in
      ps) if [ -f "${dir}/up" ]; then echo db; fi; exit 0;;
      up) touch "${dir}/up"; exit 0;;
      stop) rm -f "${dir}/up"; exit 0;;
    esac;;
esac
exit 2`,
    )

  it('uses `docker compose up -d --wait <service>` when Docker runs, and `stop` stops it', async () => {
    const bin = tempRepo({}, { git: false })
    fakeDocker(bin)
    writeFileSync(path.join(bin, 'engine'), '')
    const env = { PATH: `${bin}:${process.env.PATH}` }
    const repo = tempRepo({
      'compose.yaml': compose,
      'devsetup.yml': 'version: 1\nsteps:\n  - service: postgres\n',
    })
    const first = await s.cli(repo, ['up'], env)
    expect(first.stdout).toContain('changed: started docker compose service db (compose.yaml)')
    expect(first.code).toBe(0)
    expect(readFileSync(path.join(bin, 'calls.log'), 'utf8')).toContain(
      `compose -f ${path.join(repo, 'compose.yaml')} up -d --wait db`,
    )
    const again = await s.cli(repo, ['up'], env)
    expect(again.stdout).toContain('ok: docker compose service db (compose.yaml) running')
    const stopped = await s.cli(repo, ['stop'], env)
    expect(stopped.stdout).toContain('postgres (docker compose db) stopped')
    expect(readFileSync(path.join(bin, 'calls.log'), 'utf8')).toContain('stop db')
  })

  it('falls back to the local binaries without a Docker engine, and says so', async () => {
    const bin = tempRepo({}, { git: false })
    fakeDocker(bin)
    const env = { PATH: `${bin}:${process.env.PATH}` }
    const port = await freePort()
    const repo = tempRepo({
      'compose.yaml': compose,
      'devsetup.yml': pgRecipe(`postgres://localhost:${port}/app_dev`),
    })
    const result = await s.cli(repo, ['up'], env)
    expect(result.stdout).toContain(
      'compose.yaml has `db`, but Docker is not running here (docker info: Cannot connect to the Docker daemon',
    )
    expect(result.stdout).toContain(`started on 127.0.0.1:${port}`)
    // No user in the URL: the database step connects as the login user, whose role the service made.
    expect(result.stdout).toContain('changed: created app_dev')
    expect(result.code).toBe(0)
  }, 60_000)
})
