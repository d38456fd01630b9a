// The bundle is split into chunks that load on demand (scripts/build.mjs): a run must load
// only what its command and its recipe use. Observed for real: a module hook (--import)
// records every file Node loads while the built CLI runs.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli, stateDirOf, tempRepo } from '../helpers.js'
import { freePort } from './database/postgres-cluster.js'

const chunks = path.join(repoRoot, 'dist', 'chunks')
const hook = pathToFileURL(path.join(repoRoot, 'test', 'fixtures', 'loads', 'record-loads.mjs')).href

/** The chunk holding a driver, found by a string only that driver's code has. */
function chunkWith(signature: string): string {
  const found = readdirSync(chunks).filter((name) =>
    readFileSync(path.join(chunks, name), 'utf8').includes(signature),
  )
  expect(found, `exactly one chunk holds ${signature}`).toHaveLength(1)
  return found[0]!
}

const drivers = () => ({ pg: chunkWith('SCRAM-SHA-256'), mysql2: chunkWith('mysql_native_password') })
/** The YAML parser's and zod's chunks, by one of their own error messages. */
const parsers = () => ({
  yaml: chunkWith('Implicit keys need to be on a single line'),
  zod: chunkWith('Too big: expected'),
})

/** Runs the CLI and returns the names of the dist/ files it loaded. */
async function loadedBy(args: string[], cwd: string): Promise<{ files: string[]; stdout: string }> {
  const record = path.join(tempRepo({}, { git: false }), 'loads.txt')
  const result = await runCli(args, {
    cwd,
    env: { NODE_OPTIONS: `--import=${hook}`, DEVSETUP_TEST_LOADS: record },
  })
  const urls = readFileSync(record, 'utf8').split('\n').filter(Boolean)
  const dist = pathToFileURL(path.join(repoRoot, 'dist')).href
  return {
    files: urls.filter((url) => url.startsWith(dist)).map((url) => path.basename(url)),
    stdout: result.stdout,
  }
}

describe('lazy loading of the split bundle', () => {
  it('a no-op up of a recipe without a server database (examples/app) loads no database driver', async () => {
    const app = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'app'), app, { recursive: true })
    expect((await runCli([], { cwd: app })).code).toBe(0)
    const { files, stdout } = await loadedBy(['up'], app)
    expect(stdout).toMatch(/\b8 ok\b/)
    expect(files).toContain('cli.js')
    expect(files.some((f) => f.startsWith('up-'))).toBe(true)
    const { pg, mysql2 } = drivers()
    expect(files).not.toContain(pg)
    expect(files).not.toContain(mysql2)
  })

  it('a re-run of an unchanged recipe loads neither the YAML parser nor zod; a changed one is parsed again', async () => {
    const app = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'app'), app, { recursive: true })
    expect((await runCli([], { cwd: app })).code).toBe(0)
    const { yaml, zod } = parsers()
    for (const args of [['up'], ['doctor']]) {
      const { files, stdout } = await loadedBy(args, app)
      expect(stdout).toMatch(/\b8 ok\b|8 of 8/)
      expect(files, args[0]).not.toContain(yaml)
      expect(files, args[0]).not.toContain(zod)
    }
    // One more step: the recipe is parsed (both libraries load) and the new step runs.
    const recipe = path.join(app, 'devsetup.yml')
    writeFileSync(
      recipe,
      `${readFileSync(recipe, 'utf8')}  - { name: Marker, run: touch marker.txt, creates: marker.txt }\n`,
    )
    const changed = await loadedBy(['up'], app)
    expect(changed.files).toContain(yaml)
    expect(changed.files).toContain(zod)
    expect(changed.stdout).toMatch(/Marker — changed/)
    expect(existsSync(path.join(app, 'marker.txt'))).toBe(true)
  })

  it('a recipe taking ${VAR} from .env: a no-op re-run loads neither parser; an edited .env is parsed again', async () => {
    const repo = tempRepo({
      '.env.example': 'DB_NAME=example_db\n',
      'devsetup.yml': 'version: 1\nsteps:\n  - dotenv\n  - run: echo ${DB_NAME} >> seen.txt\n',
    })
    // The first up creates .env (its text is new to the kept parse); the second keeps that.
    for (let i = 0; i < 2; i++) expect((await runCli([], { cwd: repo })).code).toBe(0)
    const { yaml, zod } = parsers()
    const noop = await loadedBy(['up'], repo)
    expect(noop.files).not.toContain(yaml)
    expect(noop.files).not.toContain(zod)
    writeFileSync(path.join(repo, '.env'), 'DB_NAME=renamed_db\n')
    const edited = await loadedBy(['up'], repo)
    expect(edited.files).toContain(yaml)
    expect(readFileSync(path.join(repo, 'seen.txt'), 'utf8').trim().split('\n')).toEqual([
      'example_db',
      'example_db',
      'example_db',
      'renamed_db',
    ])
    // The kept parse names the file, never the value read from it.
    const kept = readFileSync(path.join(stateDirOf(repo), 'recipe.json'), 'utf8')
    expect(kept).toContain(path.join(repo, '.env'))
    expect(kept).not.toContain('renamed_db')
    expect(kept).not.toContain('example_db')
  })

  it('semver loads only for a version spec that needs it, also when the recipe comes from the cache', async () => {
    const semver = chunkWith('SEMVER_SPEC_VERSION')
    const app = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'app'), app, { recursive: true })
    expect((await runCli([], { cwd: app })).code).toBe(0)
    expect((await loadedBy(['up'], app)).files).not.toContain(semver)
    // `^20 || >=22` is outside the simple grammar: the check starts again with semver loaded.
    const repo = tempRepo({
      'devsetup.yml': `version: 1\nsteps:\n  - runtime: { name: node, version: "^${process.versions.node.split('.')[0]} || >=99" }\n`,
    })
    expect((await runCli([], { cwd: repo })).code).toBe(0)
    const again = await loadedBy(['up'], repo)
    expect(again.files).toContain(semver)
    expect(again.stdout).toMatch(new RegExp(`ok: node ${process.versions.node.replace(/\./g, '\\.')}`))
  })

  it('only the step types a recipe names are loaded', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - { run: mkdir -p out, creates: out }\n' })
    expect((await runCli([], { cwd: repo })).code).toBe(0)
    const { files } = await loadedBy(['up'], repo)
    const typeChunks = files.filter((f) =>
      /^(cleanup|database|dependencies|dotenv|packages|restart|run|runtime)-/.test(f),
    )
    expect(typeChunks.map((f) => f.replace(/-\w+\.js$/, ''))).toEqual(['run'])
  })

  it('tinyglobby loads only for a glob the simple matcher does not take (examples/app needs none)', async () => {
    const app = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'app'), app, { recursive: true })
    expect((await runCli([], { cwd: app })).code).toBe(0)
    const tinyglobby = chunkWith('withSymlinks')
    expect((await loadedBy(['up'], app)).files).not.toContain(tinyglobby)
    const deep = tempRepo({
      'src/a/b.ts': '',
      'devsetup.yml': 'version: 1\nsteps:\n  - { run: mkdir -p out, creates: out, inputs: "src/**/*.ts" }\n',
    })
    expect((await runCli([], { cwd: deep })).code).toBe(0)
    expect((await loadedBy(['up'], deep)).files).toContain(tinyglobby)
  })

  it('the failure diagnosis loads only when a step fails', async () => {
    const diagnosis = chunkWith('a port this command listens on is already in use')
    const app = tempRepo()
    cpSync(path.join(repoRoot, 'examples', 'app'), app, { recursive: true })
    expect((await runCli([], { cwd: app })).code).toBe(0)
    expect((await loadedBy(['up'], app)).files).not.toContain(diagnosis)
    const failing = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - { run: exit 3 }\n' })
    expect((await loadedBy(['up'], failing)).files).toContain(diagnosis)
  })

  it('--version loads dist/cli.js alone', async () => {
    const { files, stdout } = await loadedBy(['--version'], tempRepo())
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    expect(files).toEqual(['cli.js'])
  })

  it('a postgres recipe does load pg (and still not mysql2): the hook sees driver chunks', async () => {
    const port = await freePort()
    const repo = tempRepo({
      'devsetup.yml': `version: 1\nsteps:\n  - database: { engine: postgres, url: "postgres://devsetup@127.0.0.1:${port}/app" }\n`,
    })
    const { files } = await loadedBy(['doctor'], repo)
    const { pg, mysql2 } = drivers()
    expect(files).toContain(pg)
    expect(files).not.toContain(mysql2)
  })
})
