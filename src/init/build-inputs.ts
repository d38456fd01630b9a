// The inputs of init's Build step: what the build reads, so that a change it cannot see does not
// re-run it and a change it can see does. outline's `yarn build:server` (`node ./build.js`) runs
// `swc ./server ./shared ./plugins --extensions .ts,.tsx --ignore "**/*.test.ts,…"`: its 301
// migrations are `.js`, read by sequelize-cli from server/migrations, never by the build; with
// every source folder as inputs, adding one re-ran the ~25 s build.
//
// Read from the build's own words, the package scripts it runs and the files they run:
// - the folders and files it names (`./server`, `'server/**/*.ts'`, `./server/static/x.html`),
//   leaving out its output and other ignored folders;
// - a compiler's `--extensions .ts,.tsx` (swc, babel): only those files of a named folder;
// - its `--ignore "a,b"` globs, as negations.
// When it names no folder, the usual source folders stand in, as before. Tests and mocks are
// left out in every case: the app the build makes for the dev server does not change with them.
import { inIgnoredFolder } from './build-first.js'
import type { RepoProbe } from './repo.js'
import { scriptFiles } from './script-files.js'

const usualSources = ['src', 'app', 'pages', 'lib', 'server', 'shared', 'client', 'public']
const notRead = ['!**/*.{test,spec}.*', '!**/{__tests__,__mocks__}/**']
const buildConfigs = [
  'tsconfig.json',
  'tsconfig.build.json',
  '.swcrc',
  '.babelrc',
  'babel.config.js',
  'babel.config.json',
]

/** The globs of what `run` (a package script) reads, for a Build step whose output is `output`. */
export function buildInputs(repo: RepoProbe, run: string, output: string): string[] {
  const { scripts, files } = scriptFiles(repo, run)
  const bodies = scripts.map((name) => repo.nodeScripts()[name] ?? '')
  // A comment names paths too ("compiles server/ into build/"): only the code counts.
  // Only a comment that starts a line or follows a space: `'server/**/*.ts'` holds `/**/` too.
  const code = (text: string) =>
    text.replace(/(^|\s)\/\*[\s\S]*?\*\//g, '$1').replace(/(^|\s)\/\/.*$/gm, '$1')
  const texts = [...bodies, ...files.map((f) => code(repo.read(f) ?? ''))]
  const all = texts.join('\n')
  const extensions = /--extensions[= ]+["']?(\.\w+(?:,\s*\.\w+)*)/.exec(all)?.[1]?.split(/,\s*/)
  const ignores = [...all.matchAll(/--ignore[= ]+["']([^"']+)["']/g)].flatMap((m) =>
    m[1]!.split(',').map((g) => `!${g.trim().replace(/^\.\//, '')}`),
  )
  const named = namedPaths(repo, texts, output)
  const folderGlob = (dir: string) =>
    extensions ? `${dir}/**/*.${braces(extensions.map((e) => e.slice(1)))}` : `${dir}/**`
  // A compiler that reads its sources from its own config (`tsc`, `vite build`) names no folder:
  // then a folder the build names elsewhere (`cp -r ./assets dist/`) is not all it reads.
  const usual = usualSources.filter((d) => repo.isDir(d))
  const sources =
    (named.folders.length > 0 || named.globs.length > 0) && !configDriven.test(all)
      ? named.folders
      : [...new Set([...named.folders, ...usual])].sort()
  const lock = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'].find((f) => repo.has(f))
  // A file or glob inside a named folder adds what the folder's glob leaves out (a copied `Procfile`).
  const adds = (p: string) =>
    !named.covered(p) ||
    (extensions !== undefined && !extensions.some((e) => p.endsWith(e)) && !p.endsWith('**'))
  return [
    ...sources.map(folderGlob),
    ...named.globs.filter(adds).map((g) => (g.endsWith('/**') ? folderGlob(g.slice(0, -3)) : g)),
    ...named.files.filter(adds),
    ...files,
    ...buildConfigs.filter((f) => repo.has(f)),
    'package.json',
    ...(lock ? [lock] : []),
    ...notRead,
    // The build's own ignores, less the tests and mocks left out above.
    ...ignores.filter((g) => !/^!\*\*\/(\*\.(test|spec)\.\w+|__(tests|mocks)__\/\*\*)$/.test(g)),
  ].filter((g, i, list) => list.indexOf(g) === i)
}

/** A build tool run as a command that finds its sources from its config, not its arguments. */
const configDriven =
  /(?:^|[\s;&|(`'"])(?:npx\s+|yarn\s+|pnpm\s+(?:exec\s+)?|bunx\s+)?(?:tsc|vite|webpack|rollup|tsup|nest|parcel|react-scripts|ng|nuxt|astro|next)(?=$|[\s;&|)`'"])/m

const braces = (names: string[]) => (names.length === 1 ? names[0]! : `{${names.join(',')}}`)

/**
 * Paths the build's texts name inside the repository: a folder (`./server`, `server/`), a glob
 * (`server/**\/*.ts`) or a file (`./server/static/error.dev.html`); not the output, nor what
 * .gitignore names (a fresh clone has none of it: nothing to read).
 */
function namedPaths(repo: RepoProbe, texts: string[], output: string) {
  const folders = new Set<string>()
  const globs = new Set<string>()
  const files = new Set<string>()
  const outputTop = output.split('/')[0]
  for (const text of texts) {
    // `./plugins/${plugin}/plugin.json`: a computed part may be any name.
    for (const raw of text.replace(/\$\{[^}]*\}/g, '*').split(/[\s'"`(),;=[\]{}]+/)) {
      const token = raw.replace(/^\.\//, '').replace(/\/+$/, '')
      if (!(raw.startsWith('./') || raw.includes('/')) || token === '' || token.startsWith('.')) continue
      const top = token.split('/')[0]!
      if (!/^[\w@-][\w.@-]*$/.test(top) || top === outputTop || top === 'node_modules') continue
      // A file at the root counts when named as a path (`./compile.js`), a folder's content always.
      if (!repo.isDir(top)) {
        if (raw.startsWith('./') && repo.has(token)) files.add(token)
        continue
      }
      if (inIgnoredFolder(repo, `${token}/x`)) continue
      // A glob whose last part has no extension names folders (`plugins/*/server`).
      if (/[*?]/.test(token)) globs.add(/\.\w+$/.test(token) ? token : `${token}/**`)
      else if (repo.isDir(token)) folders.add(token)
      else if (repo.has(token)) files.add(token)
    }
  }
  // A folder inside another named one adds nothing: `server` covers `server/static`.
  const kept = [...folders].filter((f) => ![...folders].some((o) => o !== f && f.startsWith(`${o}/`)))
  const covered = (p: string) => kept.some((f) => p.startsWith(`${f}/`))
  return {
    folders: kept.sort(),
    globs: [...globs].sort(),
    files: [...files].sort(),
    covered,
  }
}
