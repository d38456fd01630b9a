// init, for an app whose DATABASE_URL sits in an env file its server loads itself (the restart's
// `env_files:`, src/init/server-env-database.ts): the database step and the service read it there,
// and no recipe-level DATABASE_URL overrides the app's file; a compose-only host is overridden,
// and the note says so. The shape of fastify-drizzle (configs/.env loaded by path).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { planInit } from '../../src/init/plan.js'
import { repoRoot, tempRepo } from '../helpers.js'

/** The api-kit example's files, with configs/.env as given. */
function apiKit(env: string): Record<string, string> {
  const dir = path.join(repoRoot, 'examples/init/drizzle/api-kit')
  const files: Record<string, string> = {}
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files[path.relative(dir, full)] = readFileSync(full, 'utf8')
  }
  return { ...files, 'configs/.env': env }
}

const plan = async (files: Record<string, string>) =>
  (await planInit(tempRepo(files), { schemaLine: '', command: 'devsetup', dockerRuns: () => false }))
    .detection

describe('init: DATABASE_URL in a file the server loads', () => {
  it('the database step and the service read it there; no recipe-level DATABASE_URL', async () => {
    const detection = await plan(
      apiKit('HTTP_PORT=8000\nDATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5433/kit_dev\n'),
    )
    expect(detection.env.DATABASE_URL).toBeUndefined()
    const database = detection.steps.find((s) => s.type === 'database')!
    expect((database.config as { url: string }).url).toBe('${DATABASE_URL}')
    const service = detection.steps.find((s) => s.type === 'service')!
    expect(service.config).toEqual({ engine: 'postgres', url: '${DATABASE_URL}' })
    expect(service.why).toContain('127.0.0.1:5433')
    expect(detection.notes.join('\n')).toMatch(
      /its url reads DATABASE_URL from configs\/\.env:2 \(a file the server loads, in the restart's env_files\)/,
    )
  })

  it('a compose-only host in the file: the recipe overrides it, and says so', async () => {
    const detection = await plan(
      apiKit('HTTP_PORT=8000\nDATABASE_URL=postgresql://postgres:postgres@db:5433/kit_dev\n'),
    )
    expect(detection.env.DATABASE_URL).toBe(
      '${DATABASE_URL:-postgresql://postgres:postgres@127.0.0.1:5433/kit_dev}',
    )
    expect(detection.notes.join('\n')).toMatch(
      /configs\/\.env:2 names the host `db`, a compose service .*overrides it .*an edit of DATABASE_URL in configs\/\.env changes nothing while devsetup runs the app; change it in the recipe/,
    )
  })
})
