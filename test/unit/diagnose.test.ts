// The failure diagnosis against real output: every fixture in test/fixtures/diagnose/ was
// printed by the tool its first line names (capture.sh made them), and each signature must
// recognise its own and say the fix in the terms of the recipe at hand.
import { spawnSync } from 'node:child_process'
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Diagnosis, diagnose, signatures } from '../../src/engine/diagnose.js'
import { loadRecipe } from '../../src/recipe/load.js'
import { allSteps } from '../../src/recipe/types.js'
import type { ExecResult } from '../../src/steps/define.js'
import { installFailure } from '../../src/steps/dependencies/install.js'
import { manager, type Project } from '../../src/steps/dependencies/managers.js'
import { repoRoot, tempRepo } from '../helpers.js'

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'diagnose')
/** A fixture without its header line (the command and the tool version). */
const output = (name: string) =>
  readFileSync(path.join(fixtures, `${name}.txt`), 'utf8').replace(/^# captured:.*\n/, '')

const full = `version: 1
steps:
  - runtime: node
  - dotenv: { from: .env.example }
  - dependencies
  - service: postgres
  - database: { engine: postgres, url: "postgres://app:app@127.0.0.1:5432/app", migrate: npm run migrate }
  - { name: App, run: npm start }
`
const bare = 'version: 1\nsteps:\n  - { name: App, run: npm start }\n'

/** What the repository held when the fixture was captured, where the diagnosis reads it. */
const fixtureFiles: Record<string, Record<string, string>> = {
  'pnpm-lockfile-config': {
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    '.npmrc': 'auto-install-peers=false\n',
  },
  'node-builtin-missing': {
    'node_modules/needs-node-99/package.json':
      '{"name":"needs-node-99","version":"1.0.0","engines":{"node":">=99"}}',
    'node_modules/ok/package.json': '{"name":"ok","version":"1.0.0","engines":{"node":">=18"}}',
  },
}

/** Diagnoses `fixture` as the output of the recipe's step `failing` (default: the last). */
async function diagnosed(
  fixture: string,
  recipeText = full,
  files: Record<string, string> = {},
  failing?: string,
) {
  const held = Object.keys(files).length > 0 ? files : (fixtureFiles[fixture] ?? {})
  const root = tempRepo(
    { 'devsetup.yml': recipeText, 'package.json': '{"name":"app"}', ...held },
    { git: false },
  )
  const recipe = await loadRecipe(path.join(root, 'devsetup.yml'), {})
  const steps = allSteps(recipe)
  const step = failing ? steps.find((s) => s.id === failing)! : steps.at(-1)!
  return diagnose(output(fixture), { step, steps, root, cwd: root, env: {}, exitCode: 1 })
}

function first(found: Diagnosis[], id: string): Diagnosis {
  expect(found.map((d) => d.id)[0], JSON.stringify(found)).toBe(id)
  return found[0]!
}

// fixture, signature, what the cause and the fix must say with the full recipe
const cases: [string, string, RegExp, RegExp][] = [
  ['node-eaddrinuse', 'port-in-use', /port 40637 was in use/, /run devsetup again/],
  ['redis-eaddrinuse', 'port-in-use', /port 40637/, /run devsetup again/],
  ['ruby-eaddrinuse', 'port-in-use', /port 40637/, /run devsetup again/],
  [
    'psql-refused',
    'database-refused',
    /PostgreSQL's port 5432/,
    /`service` step .*\[service\].*DATABASE_URL/,
  ],
  ['node-pg-refused', 'database-refused', /port 5432/, /`service` step/],
  ['redis-cli-refused', 'database-refused', /Redis's port 6379/, /add `- service: redis` before this step/],
  ['mysql-refused', 'database-refused', /MySQL\/MariaDB's port 3306/, /add `- service: mysql`/],
  ['psql-role-missing', 'role-missing', /role "nobody"/, /`database` step .* creates the role/],
  ['node-pg-role-missing', 'role-missing', /role "ghost"/, /creates the role/],
  [
    'psql-database-missing',
    'database-missing',
    /"app_development"/,
    /`database` step .* creates the database/,
  ],
  ['mysql-unknown-database', 'database-missing', /"app_development"/, /creates the database/],
  ['psql-password-failed', 'authentication-failed', /user "app"/, /password/],
  ['mysql-access-denied', 'authentication-failed', /user "app"/, /password/],
  ['npx-missing-package', 'npx-missing-package', /`npx husky` would download husky/, /npm install -D husky/],
  [
    'mysql-unknown-variable',
    'mysql-variable-unknown',
    /`tx_isolation`, not `transaction_isolation`.*MariaDB/,
    /write `tx_isolation` instead/,
  ],
  ['psql-relation-missing', 'table-missing', /table "users"/, /`database` step .* migrates/],
  ['node-pg-relation-missing', 'table-missing', /table "users"/, /migrates/],
  ['sqlite-no-such-table', 'table-missing', /table "users"/, /migrates/],
  ['mysql-no-table', 'table-missing', /table "app.users"/, /migrates/],
  [
    'gcc-libpq-fe',
    'missing-header',
    /PostgreSQL client.*libpq-fe\.h/,
    /`- packages: \{ apt: \[libpq-dev\], brew: \[libpq\] \}` before the `dependencies` step/,
  ],
  ['gem-pg', 'missing-header', /libpq-fe\.h/, /apt: \[libpq-dev\]/],
  ['gcc-sqlite3', 'missing-header', /sqlite3\.h/, /apt: \[libsqlite3-dev\], brew: \[sqlite\]/],
  ['gcc-yaml', 'missing-header', /yaml\.h/, /apt: \[libyaml-dev\], brew: \[libyaml\]/],
  ['gcc-ffi', 'missing-header', /ffi\.h/, /apt: \[libffi-dev\]/],
  ['gcc-libxml', 'missing-header', /libxml\/xmlversion\.h/, /apt: \[libxml2-dev, libxslt1-dev\]/],
  ['gcc-magickwand', 'missing-header', /MagickWand/, /apt: \[libmagickwand-dev\], brew: \[imagemagick\]/],
  ['gcc-vips', 'missing-header', /vips\/vips8/, /apt: \[libvips-dev\], brew: \[vips\]/],
  ['gem-mysql2', 'native-gem-build', /gem mysql2/, /apt: \[libmariadb-dev\], brew: \[mysql-client\]/],
  ['dlopen-vips', 'missing-shared-library', /libvips\.so\.42/, /apt: \[libvips-dev\]/],
  ['node-gyp-python', 'node-gyp-toolchain', /needs python3/, /apt: \[python3, make, g\+\+\]/],
  // With no PATH to ask, a failed build may be the toolchain (with one: below).
  ['node-gyp-old-addon', 'node-gyp-toolchain', /node-gyp\) failed/, /apt: \[python3, make, g\+\+\]/],
  [
    'npm-ebadengine',
    'engine-refused',
    /`needs-node-99@1\.0\.0` requires node >=99; this is node 20\./,
    /`runtime` step .* gave node 20\..* satisfy >=99/,
  ],
  [
    'yarn-engine',
    'engine-refused',
    /`needs-node-99@1\.0\.0` requires node >=99; this is node 20\./,
    /`runtime` step/,
  ],
  [
    'npm-ebadengine-warn',
    'engine-warned',
    /`needs-node-99@1\.0\.0` requires node >=99; this is node 20\./,
    /`runtime` step/,
  ],
  [
    'node-builtin-missing',
    'dependency-refuses-node',
    /needs-node-99@1\.0\.0 needs node >=99 \(node_modules\/needs-node-99\/package\.json\); this is node 20\./,
    /`runtime` step .* gave node 20\..* satisfy >=99\.0\.0/,
  ],
  [
    'bundler-ruby-version',
    'ruby-version',
    /Ruby 3\.3\.0; this is Ruby 3\.1/,
    /add `- runtime: \{ name: ruby, version: "3\.3\.0" \}`/,
  ],
  ['bundler-not-installed', 'gem-not-installed', /rake-99\.0\.0/, /`dependencies` step .* installs the gems/],
  ['bundler-local-missing', 'gem-not-installed', /rake-99\.0\.0/, /`dependencies` step .* installs the gems/],
  [
    'bundler-not-in-source',
    'gem-not-in-source',
    /file:\/\/\S+empty-source\/ has no gem matching 'no-such-gem-devsetup'/,
    /Gemfile/,
  ],
  [
    'node-cannot-find-module',
    'node-module-missing',
    /package express/,
    /package\.json does not list express/,
  ],
  ['node-esm-cannot-find-package', 'node-module-missing', /package express/, /npm install express/],
  [
    'npm-eacces',
    'install-permission',
    /\/usr\/lib\/node_modules\/devsetup-global-demo/,
    /npm config set prefix/,
  ],
  ['gem-eacces', 'install-permission', /\/var\/lib\/gems\/3\.1\.0/, /BUNDLE_PATH: vendor\/bundle/],
  ['node-enospc', 'disk-full', /disk is full/, /df -h/],
  ['cp-enospc', 'disk-full', /writing \/dev\/full/, /df -h \/dev/],
  [
    'corepack-signature-latest',
    'corepack-signature',
    /no npm signature in https:\/\/registry\.npmjs\.org's package metadata for the latest yarn/,
    /"packageManager": "yarn@<version>".*`COREPACK_DEFAULT_TO_LATEST: "0"` in the recipe's top-level `env:`/,
  ],
  [
    'corepack-signature-pinned',
    'corepack-signature',
    /no npm signature in https:\/\/registry\.npmjs\.org's package metadata, so it refused/,
    /`COREPACK_NPM_REGISTRY: "https:\/\/registry\.npmjs\.org"`.*`COREPACK_INTEGRITY_KEYS: "0"`.* turns corepack's signature check off/,
  ],
  [
    'corepack-yarnpkg-unreachable',
    'corepack-download',
    /could not reach repo\.yarnpkg\.com/,
    /`COREPACK_NPM_REGISTRY: "https:\/\/registry\.npmjs\.org"`.*yarnPath/,
  ],
  [
    'pnpm-lockfile-config',
    'pnpm-lockfile-config',
    /`corepack pnpm@10 install` is another pnpm than the one that wrote pnpm-lock\.yaml/,
    /"packageManager": "pnpm@<version>".*devsetup runs `corepack pnpm@10 install` because .*lockfileVersion 9\.0/,
  ],
  ['sh-not-found', 'command-not-found', /`knex`/, /install it in an earlier step/],
  ['bash-not-found', 'command-not-found', /`bundle-audit`/, /install it in an earlier step/],
  [
    'ruby-env-fetch',
    'missing-env',
    /SECRET_KEY_BASE is not set/,
    /add `generate: \[SECRET_KEY_BASE\]` to the `dotenv` step/,
  ],
  ['envalid-missing', 'missing-env', /JWT_SECRET is not set/, /generate: \[JWT_SECRET\]/],
  ['node-compose-host', 'host-unreachable', /`db` has no address here: .*docker compose/, /127\.0\.0\.1/],
  [
    'npm-install-script-enotfound',
    'host-unreachable',
    /downloads\.devsetup-test\.invalid has no address here/,
    /check the value that names/,
  ],
  [
    'rails-master-key-missing',
    'rails-master-key-missing',
    /config\/master\.key is missing/,
    /ask your team .* save it as config\/master\.key, or export RAILS_MASTER_KEY/,
  ],
  [
    'rails-credential-bang',
    'rails-credential-missing',
    /credential `stripe_key` at boot \(config\/initializers\/stripe\.rb:1\), and without config\/master\.key/,
    /save it as config\/master\.key/,
  ],
  [
    'rails-credential-fetch',
    'rails-credential-missing',
    /`stripe_key`.*without config\/master\.key/,
    /RAILS_MASTER_KEY/,
  ],
]

describe('failure diagnosis on real output', () => {
  it.each(cases)('%s → %s', async (fixture, id, cause, fix) => {
    const d = first(await diagnosed(fixture), id)
    expect(d.cause).toMatch(cause)
    expect(d.fix).toMatch(fix)
  })

  it("an unknown MySQL variable: names the line of config/database.yml that sets it (redmine's example on MariaDB 10.11)", async () => {
    const yml = 'development:\n  adapter: mysql2\n  variables:\n    transaction_isolation: "READ-COMMITTED"\n'
    const d = first(
      await diagnosed('mysql-unknown-variable', full, { 'config/database.yml': yml }),
      'mysql-variable-unknown',
    )
    expect(d.fix).toContain(
      'write `tx_isolation` instead of `transaction_isolation` at config/database.yml:4',
    )
  })

  it("an install script's download that cannot resolve its host: the fix is in the dependencies step's terms", async () => {
    const d = first(
      await diagnosed('npm-install-script-enotfound', full, {}, 'dependencies'),
      'host-unreachable',
    )
    expect(d.cause).toContain('install script downloads from downloads.devsetup-test.invalid')
    expect(d.fix).toMatch(/PUPPETEER_SKIP_DOWNLOAD.*the dependencies step's `env:`/)
  })

  it("npm's engine warning is the cause only when nothing else is (codimd: a download from github.com failed)", async () => {
    const root = tempRepo({ 'devsetup.yml': full, 'package.json': '{"name":"app"}' }, { git: false })
    const steps = allSteps(await loadRecipe(path.join(root, 'devsetup.yml'), {}))
    const step = steps.find((s) => s.id === 'dependencies')!
    const text = output('npm-ebadengine-warn') + output('npm-install-script-enotfound')
    const found = await diagnose(text, { step, steps, root, cwd: root, env: {}, exitCode: 1 })
    expect(found.map((d) => d.id)).toEqual(['host-unreachable', 'engine-warned'])
  })

  it("npm's `command failed` is not the reason: the package and its script's own error line are", () => {
    const all = output('npm-install-script-enotfound')
    const error = installFailure(
      manager('npm'),
      { dir: '/app', present: new Set(['package.json']) } as unknown as Project,
      { command: 'npm ci', exitCode: 1, all } as unknown as ExecResult,
    )
    expect(error.message).toContain(
      'the install script of downloader failed: downloader: Installation error: getaddrinfo ENOTFOUND downloads.devsetup-test.invalid',
    )
  })

  it('every signature has a fixture, and every fixture a case', () => {
    const covered = new Set(cases.map(([, id]) => id))
    expect(signatures.map((s) => s.id).filter((id) => !covered.has(id))).toEqual([])
    expect(signatures.length).toBeGreaterThanOrEqual(15)
    const files = readdirSync(fixtures)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.slice(0, -4))
    expect(files.filter((f) => !cases.some(([name]) => name === f))).toEqual([])
    for (const f of files)
      expect(readFileSync(path.join(fixtures, `${f}.txt`), 'utf8')).toMatch(/^# captured: .+\[.+\]\n/)
  })

  it('output with no known cause gets no diagnosis', async () => {
    const root = tempRepo({ 'devsetup.yml': bare }, { git: false })
    const recipe = await loadRecipe(path.join(root, 'devsetup.yml'), {})
    const [step] = allSteps(recipe)
    const facts = { step: step!, steps: [step!], root, cwd: root, env: {}, exitCode: 1 }
    expect(await diagnose('Error: boom\n    at main (app.js:3:9)\n', facts)).toEqual([])
  })
})

describe('the fix follows the recipe', () => {
  it('without the step that fixes it, says the line to add', async () => {
    expect(first(await diagnosed('psql-refused', bare), 'database-refused').fix).toMatch(
      /add `- service: postgres` before this step/,
    )
    expect(first(await diagnosed('redis-cli-refused', bare), 'database-refused').fix).toMatch(
      /`- service: redis`/,
    )
    expect(first(await diagnosed('mysql-refused', bare), 'database-refused').fix).toMatch(
      /`- service: mysql`/,
    )
    expect(first(await diagnosed('psql-role-missing', bare), 'role-missing').fix).toMatch(
      /add a `database:` step/,
    )
    expect(first(await diagnosed('sqlite-no-such-table', bare), 'table-missing').fix).toMatch(
      /add a `database:` step with `migrate:`/,
    )
    // The app's own server, with no database step: it makes its schema itself (uptime-kuma).
    const server =
      'version: 1\nsteps:\n  - restart: { start: node server.js, health: "http://127.0.0.1:3001/" }\n'
    const own = first(await diagnosed('sqlite-no-such-table', server), 'table-missing')
    expect(own.cause).toBe('table "users" does not exist in the database the app made itself')
    expect(own.fix).toMatch(
      /^if the app had it before, it was lost since: restore the database from a backup/,
    )
    expect(first(await diagnosed('npm-ebadengine', bare), 'engine-refused').fix).toMatch(
      /add `- runtime: \{ name: node, version: ">=99" \}`/,
    )
    expect(first(await diagnosed('ruby-env-fetch', bare), 'missing-env').fix).toMatch(
      /add `- dotenv: \{ from: \.env\.example, generate: \[SECRET_KEY_BASE\] \}`/,
    )
  })

  it('names the existing packages step, a database step without migrate, and a listed package', async () => {
    const withPackages = full.replace(
      '  - runtime: node\n',
      '  - packages: { apt: [git] }\n  - runtime: node\n',
    )
    expect(first(await diagnosed('gcc-libpq-fe', withPackages), 'missing-header').fix).toMatch(
      /add libpq-dev to the `packages` step .* \(apt; brew: libpq\)/,
    )
    const noMigrate = full.replace(', migrate: npm run migrate', '')
    expect(first(await diagnosed('psql-relation-missing', noMigrate), 'table-missing').fix).toMatch(
      /give the `database` step .* a `migrate:` command/,
    )
    const listed = {
      'package.json': '{"dependencies":{"express":"^4"},"scripts":{"migrate":"knex migrate:latest"}}',
    }
    expect(
      first(await diagnosed('node-cannot-find-module', full, listed), 'node-module-missing').fix,
    ).toMatch(/the `dependencies` step .* installs express/)
    expect(first(await diagnosed('sh-not-found', full, listed), 'command-not-found').fix).toMatch(/npx knex/)
  })

  it('a variable that is empty in .env, and a step after the failing one', async () => {
    const files = { '.env': 'JWT_SECRET=\n', '.env.example': 'JWT_SECRET=\n' }
    expect(first(await diagnosed('envalid-missing', full, files), 'missing-env').fix).toMatch(
      /JWT_SECRET is empty in \.env .* `generate: \[JWT_SECRET\]`/,
    )
    // dotenv reads `KEY=   # comment` as empty: the fix says so, not "this command did not read .env".
    const commented = {
      '.env': 'JWT_SECRET=      # run the key generator\n',
      '.env.example': 'JWT_SECRET=\n',
    }
    expect(first(await diagnosed('envalid-missing', full, commented), 'missing-env').fix).toMatch(
      /JWT_SECRET is empty in \.env /,
    )
    const late = `version: 1\nsteps:\n  - { name: App, run: npm start }\n  - service: postgres\n`
    expect(first(await diagnosed('psql-refused', late, {}, 'app'), 'database-refused').fix).toMatch(
      /runs after this one \(move it before\)/,
    )
  })

  it('when the failing step is the dependencies step itself, says what Bundler lacks', async () => {
    const d = first(await diagnosed('bundler-local-missing', full, {}, 'dependencies'), 'gem-not-installed')
    expect(d.fix).toMatch(/Bundler has no copy of rake-99\.0\.0/)
  })
})

describe('who holds a busy port', () => {
  const servers: net.Server[] = []
  afterAll(() => {
    for (const s of servers) s.close()
  })

  it("names the holder's pid and command, and that it is not devsetup's", async () => {
    // The holder is this test's own process: a listener that is provably not devsetup's.
    const server = net.createServer()
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    // The real message of a second listener on that port.
    const second = spawnSync(
      process.execPath,
      ['-e', `require('http').createServer().listen(${port}, '127.0.0.1')`],
      { encoding: 'utf8' },
    )
    expect(second.stderr).toMatch(/EADDRINUSE/)
    const root = tempRepo({ 'devsetup.yml': bare }, { git: false })
    const recipe = await loadRecipe(path.join(root, 'devsetup.yml'), {})
    const [step] = allSteps(recipe)
    const [d] = await diagnose(second.stderr, {
      step: step!,
      steps: [step!],
      root,
      cwd: root,
      env: {},
      exitCode: 1,
    })
    expect(d?.id).toBe('port-in-use')
    expect(d?.cause).toContain(`port ${port} is held by pid ${process.pid}`)
    expect(d?.cause).toMatch(/not started by devsetup/)
    expect(d?.fix).toContain(`kill ${process.pid}`)
  })
})

describe('Rails credentials', () => {
  it('with the key in place, the credential itself is what is missing: credentials:edit adds it', async () => {
    const d = first(
      await diagnosed('rails-credential-fetch', full, {
        'config/master.key': 'k\n',
        'config/credentials.yml.enc': 'x',
      }),
      'rails-credential-missing',
    )
    expect(d.cause).toMatch(/config\/credentials\.yml\.enc has no `stripe_key`/)
    expect(d.fix).toMatch(/add `stripe_key` with `bin\/rails credentials:edit`/)
  })

  it("development's own credentials name their own key file", async () => {
    const d = first(
      await diagnosed('rails-credential-bang', full, { 'config/credentials/development.yml.enc': 'x' }),
      'rails-credential-missing',
    )
    expect(d.fix).toMatch(/save it as config\/credentials\/development\.key/)
  })
})

describe('a crash on a Node an installed package refuses', () => {
  it('says nothing when every installed package accepts this Node (the same crash, another cause)', async () => {
    const ok = { 'node_modules/ok/package.json': '{"name":"ok","version":"1.0.0","engines":{"node":">=18"}}' }
    const found = await diagnosed('node-builtin-missing', bare, ok)
    expect(found.map((d) => d.id)).not.toContain('dependency-refuses-node')
  })

  it('without a runtime step, says the line to add with the lowest node every package accepts', async () => {
    const d = first(await diagnosed('node-builtin-missing', bare), 'dependency-refuses-node')
    expect(d.fix).toMatch(/add `- runtime: \{ name: node, version: ">=99\.0\.0" \}` before this step/)
  })
})

describe('a native build that fails with its toolchain installed', () => {
  it('is the package against this Node, not the toolchain: asked of PATH', async () => {
    const bin = tempRepo({}, { git: false })
    for (const tool of ['python3', 'make', 'g++']) {
      writeFileSync(path.join(bin, tool), '#!/bin/sh\n')
      chmodSync(path.join(bin, tool), 0o755)
    }
    const root = tempRepo({ 'devsetup.yml': full, 'package.json': '{"name":"app"}' }, { git: false })
    const steps = allSteps(await loadRecipe(path.join(root, 'devsetup.yml'), {}))
    const step = steps.find((s) => s.id === 'dependencies')!
    const facts = { step, steps, root, cwd: root, env: { PATH: bin }, exitCode: 1 }
    const d = first(await diagnose(output('node-gyp-old-addon'), facts), 'node-gyp-toolchain')
    expect(d.cause).toMatch(
      /`oldaddon`'s native build \(node-gyp\) failed, with Python, make and a C\+\+ compiler installed/,
    )
    expect(d.fix).toMatch(
      /upgrade `oldaddon` to a release built for this Node, or give the `runtime: node` step a Node it supports/,
    )
  })
})
