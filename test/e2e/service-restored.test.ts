// A PostgreSQL cluster that holds data but looks like an initdb that never finished (issue 22):
// no postmaster.opts (pg_basebackup leaves it out of a copy) and no devsetup include in its
// postgresql.conf (a cluster restored from elsewhere). devsetup must not set it aside and make
// an empty one in its place: it adds the include and starts it, rows kept. Real PostgreSQL.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'
import { pgRecipe, services, sql } from './service/harness.js'

const s = services()

describe('a cluster with data is never taken for a never-finished one', () => {
  it.each([
    ['a database of its own (app_dev)', 'app_dev'],
    ['a table in the `postgres` database initdb made', 'postgres'],
  ])(
    'rows in %s: the include is added back and the cluster started, not set aside',
    async (_case, db) => {
      const port = await freePort()
      const url = `postgres://app:app-pw@127.0.0.1:${port}/${db}`
      const repo = tempRepo({ 'devsetup.yml': pgRecipe(url) })
      expect((await s.cli(repo, ['up'])).code).toBe(0)
      await sql(url, 'CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$)')
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
      // As a restored copy looks: no postmaster.opts, no include of devsetup.conf.
      const dir = s.dir(repo, 'postgres')
      rmSync(path.join(dir, 'data', 'postmaster.opts'))
      const conf = path.join(dir, 'data', 'postgresql.conf')
      writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^.*devsetup.*$/gm, ''))

      const result = await s.cli(repo, ['up'])
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(result.stdout).not.toContain('set aside')
      expect(result.stdout).not.toContain('created a PostgreSQL')
      expect(result.stdout).toContain('added the include of devsetup.conf back')
      expect(readdirSync(dir).filter((n) => n.startsWith('data.unfinished-'))).toEqual([])
      expect(await sql(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept' }])
      expect((await s.cli(repo, ['stop'])).code).toBe(0)
    },
    120_000,
  )
})
