// Signatures of installs and the tools they bring: gems or node modules not installed, a gem
// its source lacks, no write access to the global gem or npm folder, a full disk, a command
// that is not on PATH.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { findStep, named, packagesFix } from './recipe-terms.js'
import type { FailureFacts, Signature } from './types.js'

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/** "the `dependencies` step … installs them", or the line to add when the recipe has none. */
function dependenciesFix(facts: FailureFacts, what: string): string {
  const deps = findStep(facts, 'dependencies')
  if (!deps) return `add \`- dependencies\` before this step: it installs ${what}`
  if (deps === facts.step) return `this step installs ${what}; see the lines above for why it could not`
  return `${named(deps, facts)} installs ${what}; it must run before this step, in the same folder (\`cwd:\`)`
}

/** Where a command comes from when PATH lacks it: a runtime, a package, or the app's dependencies. */
function commandSource(command: string, facts: FailureFacts): string {
  const name = path.basename(command)
  if (/^(node|npm|npx|corepack)$/.test(name)) return 'add `- runtime: node` before this step'
  if (/^(ruby|gem|bundle|bundler|irb)$/.test(name)) return 'add `- runtime: ruby` before this step'
  if (/^(yarn|pnpm)$/.test(name))
    return `run it through Node's corepack: \`corepack ${name} …\` (or \`corepack enable\` once); the \`dependencies\` step does so by itself`
  if (/^(psql|pg_dump|createdb|pg_restore)$/.test(name))
    return packagesFix(facts, ['postgresql-client'], ['libpq'])
  if (/^(mysql|mariadb|mysqldump)$/.test(name))
    return packagesFix(facts, ['mariadb-client'], ['mysql-client'])
  if (/^(redis-cli)$/.test(name)) return packagesFix(facts, ['redis-tools'], ['redis'])
  if (/^(make|gcc|g\+\+|cc)$/.test(name)) return packagesFix(facts, ['build-essential'], [])
  if (/^(python3?|pip3?)$/.test(name)) return packagesFix(facts, ['python3', 'python3-pip'], ['python3'])
  const pkg = read(path.join(facts.cwd, 'package.json'))
  if (pkg && new RegExp(`["/\\s]${name.replace(/[.+]/g, '\\$&')}["@\\s]`).test(pkg)) {
    const bin = path.join(facts.cwd, 'node_modules', '.bin', name)
    return existsSync(bin)
      ? `${name} is in node_modules/.bin, which is not on PATH: run it as \`npx ${name}\` or through an npm script`
      : `${dependenciesFix(facts, `${name} into node_modules/.bin`)}; run it as \`npx ${name}\` or an npm script`
  }
  if (read(path.join(facts.cwd, 'Gemfile.lock')).includes(` ${name} (`))
    return `${name} is a gem of this app: run it as \`bundle exec ${name}\` (or bin/${name}), after the \`dependencies\` step`
  return `install it in an earlier step (\`packages:\`, or a \`run:\` step with \`creates:\`), or fix the command's name`
}

export const installSignatures: Signature[] = [
  {
    id: 'gem-not-installed',
    patterns: [
      /Could not find ([\w.-]+?-\d[\w.]*(?:-[\w_]+)?) in (?:any of the sources|locally installed gems)/,
      /Could not find gem '([^']+)' in locally installed gems/,
    ],
    explain: (match, facts) => ({
      cause: `the gem ${match[1]} that Gemfile.lock names is not installed`,
      fix:
        findStep(facts, 'dependencies') === facts.step
          ? `Bundler has no copy of ${match[1]} here (installed or in vendor/cache): let this step reach the gem source, or add the gem to vendor/cache (\`bundle cache\`)`
          : dependenciesFix(facts, 'the gems (`bundle install`)'),
    }),
  },
  {
    id: 'gem-not-in-source',
    patterns: [
      /Could not find gem '([^']+)' in (?:rubygems repository|any of the gem sources)\s+(\S+?)\.?(?:\s|$)/,
    ],
    explain: (match) => ({
      cause: `the gem source ${match[2]} has no gem matching '${match[1]}'`,
      fix: "no step can install it: check the gem's name and version in the Gemfile, or point Bundler at a source that has it (BUNDLE_MIRROR__… in the step's `env:`)",
    }),
  },
  {
    id: 'node-module-missing',
    patterns: [/Cannot find module '([^']+)'/, /Cannot find package '([^']+)' imported from/],
    explain(match, facts) {
      const spec = match[1]!
      if (/^[./]/.test(spec) || path.isAbsolute(spec))
        return {
          cause: `a file the code loads does not exist: ${spec}`,
          fix: 'if it is build output, add a build step before this one (`run: npm run build`, `creates:` the file)',
        }
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
      const listed = read(path.join(facts.cwd, 'package.json')).includes(`"${name}"`)
      return {
        cause: `the package ${name} is not installed`,
        fix: listed
          ? dependenciesFix(facts, `${name} (package.json lists it)`)
          : `package.json does not list ${name}: add it (\`npm install ${name}\`), then the \`dependencies\` step installs it`,
      }
    },
  },
  {
    id: 'install-permission',
    patterns: [
      /EACCES: permission denied, \w+ '((?:\/usr(?:\/local)?\/lib|\/usr\/local)\/node_modules[^']*)'/,
      /You don't have write permissions for the (\S+) directory/,
      /There was an error while trying to write to `([^`]+)`/,
    ],
    explain(match) {
      const folder = match[1]!
      if (folder.includes('node_modules'))
        return {
          cause: `npm's global folder ${folder} is not writable by this user`,
          fix: "install global tools per user (`npm config set prefix ~/.local`, with ~/.local/bin on PATH), or better as the app's devDependencies (`npx …`)",
        }
      return {
        cause: `the gem folder ${folder} is not writable by this user`,
        fix: "install the app's gems inside the repository: `BUNDLE_PATH: vendor/bundle` in the dependencies step's `env:` (or `bundle config set --local path vendor/bundle`); a single gem: `gem install --user-install`",
      }
    },
  },
  {
    id: 'disk-full',
    patterns: [
      /ENOSPC: no space left on device(?:, \w+ '([^']+)')?/,
      /(?:writing|write to) '([^']+)': No space left on device/,
      /No space left on device()/,
    ],
    explain: (match) => ({
      cause: `the disk is full${match[1] ? ` (writing ${match[1]})` : ''}`,
      fix: `free space (\`df -h${match[1] ? ` ${path.dirname(match[1])}` : ' .'}\` shows where; caches: \`npm cache clean --force\`, \`gem cleanup\`), then run devsetup again`,
    }),
  },
  {
    id: 'command-not-found',
    patterns: [
      /^(?:\/bin\/)?(?:sh|bash|dash|zsh): (?:line )?\d*:? ?([^\s:]+): (?:command )?not found/m,
      /^command not found: (\S+)/m,
      /env: '?([^\s':]+)'?: No such file or directory/,
    ],
    explain: (match, facts) => ({
      cause: `the command \`${match[1]}\` is not on PATH`,
      fix: commandSource(match[1]!, facts),
    }),
  },
  {
    id: 'npx-missing-package',
    patterns: [/npx canceled due to missing packages and no YES option: \["((?:@[\w.-]+\/)?[\w.-]+)@?[^"]*"/],
    explain: (match, facts) => ({
      cause: `\`npx ${match[1]}\` would download ${match[1]}, which is not among this project's dependencies (npx asks first, and a step has no terminal to answer)`,
      fix: `add it to the app's devDependencies (\`npm install -D ${match[1]}\`, then commit package.json and the lockfile): ${dependenciesFix(facts, 'it')}; or write \`npx --yes ${match[1]}\` to let npx download it each time`,
    }),
  },
  {
    id: 'host-unreachable',
    patterns: [/getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)/],
    explain(match, facts) {
      const host = match[1]!
      // A bare name (`db`, `redis`, `maildev`) is a docker compose service: only its network knows it.
      if (!host.includes('.'))
        return {
          cause: `the host \`${host}\` has no address here: it is a name only a docker compose network knows`,
          fix: `point the value at 127.0.0.1 (in .env: the \`dotenv\` step's \`set:\`; devsetup's \`service\` steps run the server locally)`,
        }
      if (facts.step.type !== 'dependencies')
        return {
          cause: `the host ${host} has no address here (no DNS answer)`,
          fix: `check the value that names ${host} (.env, the recipe's \`env:\`), and that this machine can reach it`,
        }
      return {
        cause: `a package's install script downloads from ${host}, which this machine cannot reach (no DNS answer)`,
        fix: `let this machine reach ${host} (or set HTTPS_PROXY), or skip that download: many such packages read a variable for it (CYPRESS_INSTALL_BINARY: "0", PUPPETEER_SKIP_DOWNLOAD: "1", a mirror such as sharp's npm_config_sharp_binary_host) — put it in the dependencies step's \`env:\``,
      }
    },
  },
]
