// The repair matrix of scripts/acceptance.mjs: each entry breaks one thing in the app's copy and
// names the step types allowed to run to repair it (restart always may).
//   kind 'repair'  : doctor must be red (exit 1, naming a step of `expect`), `up` green, doctor
//                    green after, the app answering, the marker row kept (unless `dataLost`).
//   kind 'crash'   : a server that crashes at boot: `up` must fail fast, with the crash; then
//                    `undo` and one more `up` must bring it back.
//   kind 'foreign' : another program holds the app's port: `up` must fail naming it (devsetup
//                    does not kill what it did not start); then `undo` and `up` must bring it back.
import { spawn, spawnSync } from 'node:child_process'
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { databaseOf, dropDatabase } from './db.mjs'
import { killServer } from './state.mjs'

const secretName = /(SECRET|_KEY$|TOKEN|SALT|PASSWORD)/

/** ctx: { repo, env, cleanups, stepsOf, envFile, stack, crashKey, health (expanded URL) } */
export function repairs(ctx) {
  const { repo, cleanups, stepsOf, cwdOf, envFile } = ctx
  const stepCwd = (type) => cwdOf(stepsOf(type)[0], type)
  const dotenv = () => stepsOf('dotenv')[0]?.dotenv
  const editEnv = (edit) => {
    if (!existsSync(envFile())) return `no ${path.relative(repo, envFile())}`
    const lines = readFileSync(envFile(), 'utf8').split('\n')
    const result = edit(lines)
    if (result !== true) return result
    writeFileSync(envFile(), lines.join('\n'))
    return true
  }
  const node = ctx.stack !== 'rails'
  const rails = ctx.stack === 'rails'
  const list = []
  const add = (name, apply, expect, extra = {}) =>
    list.push({ name, apply, expect, kind: 'repair', ...extra })

  if (node)
    add(
      'rm node_modules',
      // The dev server first (only it, the way a person would): a running server that writes into
      // node_modules makes the delete itself fail. The repair's `up` restarts it.
      () => {
        killServer(repo, ctx.env, 'SIGTERM')
        return rm(path.relative(repo, path.join(stepCwd('dependencies'), 'node_modules')))
      },
      ['dependencies', 'run'],
    )
  if (rails) add('change Gemfile.lock', changeLock, ['dependencies'])
  add(
    'delete .env',
    () => (dotenv() ? rm(path.relative(repo, envFile())) : 'the recipe has no dotenv step'),
    ['dotenv'],
  )
  add(
    'remove a key',
    () =>
      dotenv()
        ? editEnv((lines) => {
            // The last key: removing one the database URL needs would also break the database.
            const at = lines.findLastIndex((l) => /^[A-Za-z_]\w*=/.test(l))
            if (at < 0) return 'no key in .env'
            lines.splice(at, 1)
            return true
          })
        : 'the recipe has no dotenv step',
    ['dotenv'],
  )
  add('empty a required secret', () => {
    const d = dotenv()
    if (!d) return 'the recipe has no dotenv step'
    const generated = Object.keys(d.generate ?? {}).concat(Array.isArray(d.generate) ? d.generate : [])
    return editEnv((lines) => {
      const at = lines.findIndex((l) => {
        const key = /^([A-Za-z_]\w*)=(.+)$/.exec(l)
        return key && (generated.includes(key[1]) || (!generated.length && secretName.test(key[1])))
      })
      if (at < 0) return 'no generated/secret key with a value in .env'
      lines[at] = lines[at].replace(/=.*$/, '=')
      return true
    })
  }, ['dotenv'])
  if (rails) add('delete config/database.yml', () => rm('config/database.yml'), ['run', 'dotenv', 'database'])
  add('drop the database', () => dropDatabase(databaseOf(ctx)), ['database', 'service'], { dataLost: true })
  add('a new migration', () => addMigration(databaseOf(ctx)), ['database'])
  add('kill the server', () => killServer(repo, ctx.env), [])
  add(rails ? 'junk in log/ and tmp/cache' : 'junk in the log folder', () => {
    const paths = stepsOf('cleanup')[0]?.cleanup?.paths
    if (!paths) return 'the recipe has no cleanup step'
    let wrote = 0
    for (const dir of ['log', 'tmp/cache']) {
      if (!rails && dir !== path.dirname(paths[0])) continue
      mkdirSync(path.join(repo, dir), { recursive: true })
      writeFileSync(path.join(repo, dir, dir === 'log' ? 'junk.log' : 'junk'), 'junk\n'.repeat(1000))
      wrote++
    }
    return wrote ? true : `cleanup paths ${paths.join(', ')}: no log folder to fill`
  }, ['cleanup'])
  list.push({
    name: 'a server that crashes at boot',
    kind: 'crash',
    apply: crashAtBoot,
    undo: () => ctx.undoCrash?.(),
  })
  list.push({
    name: 'a foreign process on the port',
    kind: 'foreign',
    apply: foreignOnPort,
    undo: () => ctx.undoForeign?.(),
  })
  // Last for Rails: reinstalling every gem (nokogiri, sqlite3, sassc built from source here) is the slowest repair.
  if (rails) add('remove installed gems', removeGems, ['dependencies'])
  return list

  function rm(relative) {
    if (!existsSync(path.join(repo, relative))) return `${relative} does not exist`
    rmSync(path.join(repo, relative), { recursive: true, force: true })
    return true
  }

  function removeGems() {
    const r = spawnSync('bundle', ['list', '--paths'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, ...ctx.env },
    })
    const first = (r.stdout ?? '').split('\n').find((l) => l.includes('/gems/'))
    if (!first) return `bundle list --paths: ${(r.stderr ?? '').trim().split('\n').pop()}`
    const base = first.slice(0, first.lastIndexOf('/gems/'))
    // Never the machine's own gems: only a bundle of this run (BUNDLE_PATH under the run's folder).
    if (!base.startsWith(ctx.work) && !base.startsWith(repo))
      return `gems live in ${base}, shared with the machine: not removed`
    rmSync(path.join(base, 'gems'), { recursive: true, force: true })
    rmSync(path.join(base, 'specifications'), { recursive: true, force: true })
    return true
  }

  function changeLock() {
    const lock = path.join(repo, 'Gemfile.lock')
    if (!existsSync(lock)) return 'no Gemfile.lock'
    // What a pull that re-resolved elsewhere looks like to a fingerprint: the same gems, a changed file.
    appendFileSync(lock, '\n')
    return true
  }

  function addMigration(db) {
    if (!db) return 'the recipe has no database step'
    const globs = [db.step.migrations ?? (rails ? 'db/migrate/**' : [])].flat()
    if (!globs[0]) return 'the database step has no migrations glob'
    const dir = path.join(db.cwd, globs[0].replace(/\/?\*.*$/, ''))
    // A fresh `rails new` app has no db/migrate yet: its first migration creates it.
    if (rails && !existsSync(dir)) mkdirSync(dir, { recursive: true })
    if (!existsSync(dir)) return `${path.relative(repo, dir)} does not exist`
    // `migrations: yarn.lock` (Medusa: its modules' migrations are in node_modules) names no folder.
    if (!statSync(dir).isDirectory())
      return `\`migrations: ${globs[0]}\` names a file, not a migrations folder`
    const files = readdirSync(dir)
      .filter((f) => /\.(c|m)?[jt]s$|\.sql$|\.rb$/.test(f))
      .sort()
    const sampleName = files.at(-1) ?? ''
    const sample = sampleName ? readFileSync(path.join(dir, sampleName), 'utf8') : ''
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
    const ext = path.extname(sampleName) || (rails ? '.rb' : '.js')
    if (ext === '.rb') {
      const lock = existsSync(path.join(repo, 'Gemfile.lock'))
        ? readFileSync(path.join(repo, 'Gemfile.lock'), 'utf8')
        : ''
      const version =
        /Migration\[(\d+\.\d+)\]/.exec(sample)?.[1] ?? /^ {4}rails \((\d+\.\d+)/m.exec(lock)?.[1] ?? '7.0'
      writeFileSync(
        path.join(dir, `${stamp}_acceptance_noop.rb`),
        `class AcceptanceNoop < ActiveRecord::Migration[${version}]\n  def change\n  end\nend\n`,
      )
    } else if (ext === '.sql' && /^\d+\.(do|undo)\./.test(sampleName)) {
      // postgrator: NNN.do.name.sql
      const n = Math.max(...files.map((f) => Number(f.split('.')[0]) || 0)) + 1
      writeFileSync(path.join(dir, `${String(n).padStart(3, '0')}.do.acceptance-noop.sql`), 'SELECT 1;\n')
    } else if (sample.includes('MigrationInterface')) {
      writeFileSync(
        path.join(dir, `${Date.now()}-AcceptanceNoop.ts`),
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class AcceptanceNoop${Date.now()} implements MigrationInterface {\n  name = 'AcceptanceNoop${Date.now()}';\n  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query('SELECT 1');\n  }\n  public async down(): Promise<void> {}\n}\n`,
      )
    } else if (sample.includes('BaseSchema')) {
      // AdonisJS Lucid
      const from = /from\s+['"]([^'"]+)['"]/.exec(sample)?.[1] ?? '@adonisjs/lucid/schema'
      writeFileSync(
        path.join(dir, `${Date.now()}_acceptance_noop${ext}`),
        `import { BaseSchema } from '${from}'\n\nexport default class extends BaseSchema {\n  async up() {}\n  async down() {}\n}\n`,
      )
    } else if (/\.(ts|mts)$/.test(ext) || /export (async )?function up/.test(sample)) {
      // knex / Kysely in TypeScript or ESM
      const sep = sampleName.includes('_') ? '_' : '-'
      writeFileSync(
        path.join(dir, `${stamp}${sep}acceptance_noop${ext}`),
        'export async function up(): Promise<void> {}\nexport async function down(): Promise<void> {}\n'.replace(
          /: Promise<void>/g,
          /ts$/.test(ext) ? ': Promise<void>' : '',
        ),
      )
    } else if (/exports\.up|module\.exports|up\s*[:(]/.test(sample)) {
      // knex (`<stamp>_name.js`) or sequelize-cli (`<stamp>-name.js`), CommonJS
      const sep = sampleName.includes('-') && !sampleName.includes('_') ? '-' : '_'
      writeFileSync(
        path.join(dir, `${stamp}${sep}acceptance_noop${ext}`),
        'module.exports = {\n  up: async () => {},\n  down: async () => {},\n}\n',
      )
    } else return `unknown migration format in ${globs[0]} (${sampleName || 'no files'})`
    return true
  }

  // A broken value the app reads at boot: for Node, ctx.crashKey (default PORT) in .env set to a
  // value the app's own validation or listen() refuses; for Rails, an initializer that raises
  // (Rails reads no .env of its own). The crash is stamped (Rails) or taken from the server
  // log's last write (Node), to time devsetup's report against it.
  function crashAtBoot() {
    if (!stepsOf('restart')[0]) return 'the recipe has no restart step'
    if (rails) {
      const file = path.join(repo, 'config/initializers/zz_acceptance_crash.rb')
      const stamp = path.join(ctx.work, 'crash-stamp')
      rmSync(stamp, { force: true })
      writeFileSync(
        file,
        `File.write(${JSON.stringify(stamp)}, (Time.now.to_f * 1000).to_i.to_s)\nraise "acceptance: a server that crashes at boot"\n`,
      )
      ctx.crashStamp = stamp
      ctx.undoCrash = () => rmSync(file, { force: true })
      killServer(repo, ctx.env)
      return true
    }
    if (!existsSync(envFile())) return 'no .env to put a broken value in'
    const original = readFileSync(envFile(), 'utf8')
    // 99999, not -1: Node takes the string "-1" as a Unix socket's name and listens on it (flame,
    // the Sequelize boilerplate and feathers ran on, and nothing crashed); 99999 it refuses.
    const [key, value] = (ctx.crashKey ?? `${portKey()}=99999`).split('=')
    const lines = original.split('\n')
    const at = lines.findIndex((l) => l.startsWith(`${key}=`))
    if (at >= 0) lines[at] = `${key}=${value}`
    else lines.push(`${key}=${value}`)
    writeFileSync(envFile(), lines.join('\n'))
    ctx.crashStamp = undefined
    ctx.crashKeyName = key
    ctx.undoCrash = () => writeFileSync(envFile(), original)
    // The running server read the old value: a restart is what shows the crash.
    killServer(repo, ctx.env)
    return true
  }

  // The key the health URL takes its port from (`${APP_PORT:-3000}`, `${NODE_SERVER_PORT}`): a PORT
  // appended to .env for an app that reads another key crashes nothing (no premise, not a pass).
  function portKey() {
    const template = stepsOf('restart')[0]?.restart?.health ?? ''
    return /:\$\{(\w+)/.exec(template)?.[1] ?? 'PORT'
  }

  function foreignOnPort() {
    // Expanded as devsetup does (`${PORT:-3000}`): the recipe's text is a template.
    const health = ctx.health()
    if (!health || !/^http/.test(health)) return 'no HTTP health URL'
    const port = Number(new URL(health).port || 80)
    const killed = killServer(repo, ctx.env)
    if (killed !== true) return killed
    // Answers 200 on every path: a doctor that only probes the URL would call it the app.
    const foreign = spawn(
      process.execPath,
      ['-e', `require('http').createServer((q,s)=>s.end('foreign')).listen(${port},'127.0.0.1')`],
      { detached: true, stdio: 'ignore' },
    )
    foreign.unref()
    spawnSync('sleep', ['1'])
    ctx.foreignPid = foreign.pid
    const stop = () => {
      try {
        process.kill(foreign.pid, 'SIGKILL')
      } catch {}
    }
    cleanups.push(stop)
    ctx.undoForeign = () => {
      stop()
      spawnSync('sleep', ['1'])
    }
    return true
  }
}
