// The inputs of init's Build step come from what the build reads: the folders, globs and files
// its script and the files it runs name, a compiler's --extensions and --ignore; the usual
// source folders only when it names none. Tests and mocks never count.
import { describe, expect, it } from 'vitest'
import { buildInputs } from '../../src/init/build-inputs.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const inputs = (files: Record<string, string>, run = 'yarn build:server', output = 'build/server') =>
  buildInputs(
    new RepoProbe(tempRepo({ '.gitignore': 'node_modules\nbuild\n', 'yarn.lock': '', ...files })),
    run,
    output,
  )
const pkg = (scripts: Record<string, string>) => JSON.stringify({ scripts })

describe('buildInputs', () => {
  it("outline's shape: swc over ./server, ./shared and ./plugins for .ts/.tsx, files it copies, its ignores", () => {
    const buildJs = `// Compile server and shared into build/
const swc = (src, out) => execAsync(\`yarn swc "\${src}" -d "\${out}" --extensions .ts,.tsx --ignore "**/*.test.ts,**/__mocks__/**,server/scripts/dev/**" --quiet\`)
await Promise.all([swc("./server", "./build/server"), swc("./shared", "./build/shared")])
for (const plugin of d) await swc(\`./plugins/\${plugin}/server\`, "./build/plugins")
await execAsync("cp ./server/static/error.html ./build/server/error.html")
for (const plugin of d) await execAsync(\`cp ./plugins/\${plugin}/plugin.json ./build/plugins/\${plugin}/plugin.json\`)
`
    expect(
      inputs({
        'package.json': pkg({ 'build:server': 'node ./build.js', 'db:migrate': 'sequelize db:migrate' }),
        'build.js': buildJs,
        '.swcrc': '{}',
        'server/index.ts': '',
        'server/static/error.html': '',
        'server/migrations/001.js': '',
        'shared/env.ts': '',
        'plugins/slack/server/index.ts': '',
        'app/index.tsx': '',
      }),
    ).toEqual([
      'server/**/*.{ts,tsx}',
      'shared/**/*.{ts,tsx}',
      'plugins/*/plugin.json',
      'plugins/*/server/**/*.{ts,tsx}',
      'build.js',
      'server/static/error.html',
      '.swcrc',
      'package.json',
      'yarn.lock',
      '!**/*.{test,spec}.*',
      '!**/{__tests__,__mocks__}/**',
      '!server/scripts/dev/**',
    ])
  })

  it('an esbuild entry glob is the input itself; a path in a comment is not read', () => {
    const buildJs = `// Compiles lib/ and server/ into build/server/
require('esbuild').buildSync({ entryPoints: ['server/**/*.ts'], outdir: 'build/server' })
`
    const got = inputs({
      'package.json': pkg({ 'build:server': 'node build.js' }),
      'build.js': buildJs,
      'server/a.ts': '',
      'lib/b.ts': '',
    })
    expect(got.slice(0, 2)).toEqual(['server/**/*.ts', 'build.js'])
    expect(got).not.toContain('lib/**')
  })

  it('a build that names no folder (`tsc`): the usual source folders, without tests', () => {
    expect(
      inputs(
        { 'package.json': pkg({ build: 'tsc' }), 'tsconfig.json': '{}', 'src/main.ts': '', 'docs/x.md': '' },
        'npm run build',
        'dist',
      ),
    ).toEqual([
      'src/**',
      'tsconfig.json',
      'package.json',
      'yarn.lock',
      '!**/*.{test,spec}.*',
      '!**/{__tests__,__mocks__}/**',
    ])
  })

  it('a compiler that reads its own config (tsc) beside a folder the build copies: the usual sources count too', () => {
    const found = inputs(
      {
        'package.json': pkg({ build: 'tsc && cp -r ./assets dist/' }),
        'tsconfig.json': '{}',
        'src/index.ts': '',
        'assets/logo.svg': '',
      },
      'npm run build',
      'dist',
    )
    expect(found).toContain('src/**')
    expect(found).toContain('assets/**')
  })
})
