// Signatures of native builds and runtime versions: a missing C header or library (→ the
// `packages` line per platform), a native gem or node-gyp build without its toolchain, a
// package manager refusing the Node or Ruby version (→ the `runtime` step).
import { findOnPath } from '../which.js'
import { type NativePackage, packageForGem, packageForHeader, packageForLibrary } from './native-packages.js'
import { findStep, named, packagesFix } from './recipe-terms.js'
import type { FailureFacts, Signature } from './types.js'

async function toolchainPresent(env: Record<string, string>): Promise<boolean> {
  const [python, make, cxx] = await Promise.all(
    [['python3', 'python'], ['make'], ['g++', 'c++', 'clang++']].map(async (names) =>
      (await Promise.all(names.map((n) => findOnPath(n, env)))).some(Boolean),
    ),
  )
  return Boolean(python && make && cxx)
}

function packageFix(facts: FailureFacts, found: NativePackage, cause: string) {
  return { cause, fix: packagesFix(facts, found.apt, found.brew) }
}

export function runtimeFix(
  facts: FailureFacts,
  name: 'node' | 'ruby',
  wanted: string,
  actual: string,
): string {
  const runtime = findStep(facts, 'runtime', (step) => {
    const cfg = step.config as { name?: string } | string | undefined
    return (typeof cfg === 'string' ? cfg : cfg?.name) === name
  })
  if (runtime)
    return `${named(runtime, facts)} gave ${name} ${actual}: make its version (or the version file it reads) satisfy ${wanted}`
  return `add \`- runtime: { name: ${name}, version: "${wanted}" }\` before this step (it installs ${name} with the developer's version manager)`
}

export const buildSignatures: Signature[] = [
  {
    id: 'missing-header',
    patterns: [
      /fatal error: ([\w/.+-]+): No such file or directory/,
      /Can't find the '?([\w/.-]+\.h)/,
      /checking for ([\w/.-]+\.h)\.\.\. no/,
      /([\w/.-]+\.h) is missing/,
      /(mysql_config|mariadb_config|pg_config|MagickWand-config)\b[^\n]*not found/,
    ],
    explain(match, facts) {
      const header = match[1]!
      const found = packageForHeader(header)
      if (!found)
        return {
          cause: `a C header is missing: ${header}`,
          fix: 'add the package that provides it to a `packages:` step (`apt-file search` / `brew search` name it)',
        }
      return packageFix(facts, found, `the ${found.what} headers are missing (${header})`)
    },
  },
  {
    id: 'native-gem-build',
    patterns: [
      /Error installing ([\w-]+):\s*\n\s*ERROR: Failed to build gem native extension/,
      /An error occurred while installing ([\w-]+) \([^)]*\), and Bundler cannot continue/,
    ],
    explain(match, facts) {
      const gem = match[1]!
      const found = packageForGem(gem)
      if (!found)
        return {
          cause: `the native extension of the gem ${gem} did not build`,
          fix: "its mkmf.log (path above) names what is missing; add that library's -dev package to a `packages:` step",
        }
      return packageFix(facts, found, `the gem ${gem} needs the ${found.what} to build`)
    },
  },
  {
    id: 'missing-shared-library',
    patterns: [/([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file/],
    explain(match, facts) {
      const found = packageForLibrary(match[1]!)
      const cause = `the shared library ${match[1]} is not installed`
      if (!found) return { cause, fix: 'add its package to a `packages:` step (`apt-file search` names it)' }
      return packageFix(facts, found, `${cause} (${found.what})`)
    },
  },
  {
    id: 'node-gyp-toolchain',
    patterns: [
      /gyp ERR! find Python()/,
      /gyp ERR! stack Error: not found: (make)/,
      /make: (g\+\+|gcc|cc|c\+\+): (?:No such file or directory|not found|Command not found)/,
      /gyp ERR! (?:build error|configure error|stack)()/,
    ],
    async explain(match, facts, text) {
      const missing = match[1] ? match[1] : match[0].includes('Python') ? 'python3' : undefined
      // A failed build with Python, make and a compiler all here is no toolchain problem: most
      // often a native package too old for this Node (sqlite3@4 on Node 20: "'AccessorSignature'
      // is not a member of 'v8'"). Asked of PATH, not guessed from the output.
      if (!missing && (await toolchainPresent(facts.env))) {
        const pkg = /gyp ERR! cwd \S*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)/.exec(text)?.[1]
        const what = pkg ? `\`${pkg}\`` : 'a native npm package'
        return {
          cause: `${what}'s native build (node-gyp) failed, with Python, make and a C++ compiler installed: its C++ did not compile against this Node's headers`,
          fix: `upgrade ${pkg ? `\`${pkg}\`` : 'that package'} to a release built for this Node, or give the \`runtime: node\` step a Node it supports; the compiler's first \`error:\` line in the full log says which`,
        }
      }
      const cause = missing
        ? `a native npm package's build (node-gyp) needs ${missing}, which is not installed`
        : "a native npm package's build (node-gyp) failed"
      return {
        cause,
        fix: `${packagesFix(facts, ['python3', 'make', 'g++'], ['python3'])} (macOS: \`xcode-select --install\` brings make and the compiler)`,
      }
    },
  },
  {
    id: 'engine-refused',
    patterns: [
      /EBADENGINE[\s\S]*?Required: \{[^}]*"(node|npm)":"([^"]+)"[\s\S]*?Actual: +\{[^}]*"\1":"v?([^"]+)"/,
      /The engine "(node|npm)" is incompatible with this module\. Expected version "([^"]+)"\. Got "([^"]+)"/,
    ],
    explain: engineExplain,
  },
  {
    id: 'ruby-version',
    patterns: [/Your Ruby version is ([\d.]+\w*), but your Gemfile specified ([\w.~> =]+)/],
    explain(match, facts) {
      const [, actual, wanted] = match as unknown as [string, string, string]
      return {
        cause: `the Gemfile wants Ruby ${wanted.trim()}; this is Ruby ${actual}`,
        fix: runtimeFix(facts, 'ruby', wanted.trim(), actual),
      }
    },
  },
]

/**
 * npm without --engine-strict only warns, and the install goes on: the cause when nothing else
 * explains the failure, and only then — so it is tried after every other signature (codimd: the
 * warning of globals@15 came first and hid the real cause, a download from github.com).
 */
export const engineWarnedSignature: Signature = {
  id: 'engine-warned',
  patterns: [
    /EBADENGINE[\s\S]*?required: \{[^}]*\b(node|npm): '([^']+)'[\s\S]*?current: \{[^}]*\b\1: 'v?([^']+)'/,
  ],
  explain: engineExplain,
}

function engineExplain(match: RegExpMatchArray, facts: FailureFacts) {
  const [, engine, wanted, actual] = match as unknown as [string, string, string, string]
  // The package that asks (npm's `package: 'undici@8.1.0'`, `… node/npm: x@1`, yarn's `x@1: The engine`).
  const at = match.index ?? 0
  const around = (match.input ?? match[0]).slice(Math.max(0, at - 300), at + match[0].length)
  const named = /package: '([^']+)'|your version of (?:node\/npm|node|npm): (\S+)|(\S+@\S+): The engine/.exec(
    around,
  )
  const pkg = named?.[1] ?? named?.[2] ?? named?.[3]
  return {
    cause: `${pkg ? `\`${pkg}\`` : 'a package'} requires ${engine} ${wanted}; this is ${engine} ${actual}`,
    fix:
      engine === 'node'
        ? runtimeFix(facts, 'node', wanted, actual)
        : `install npm ${wanted} (\`npm install -g npm@"${wanted}"\`)`,
  }
}
