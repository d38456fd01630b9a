// init writes `env_files:` for the env files the dev server loads that no dotenv step writes:
// named by path in the server's code, by a loader flag in its scripts, or by a framework's CLI
// that loads them by name. Only files that exist; examples and other modes' files are not the
// dev server's; the step's comment says where each was found.
import { describe, expect, it } from 'vitest'
import { restartOf } from '../init-restart.js'

const pkg = (scripts: Record<string, string>, dependencies: Record<string, string> = {}) =>
  JSON.stringify({ name: 'app', private: true, scripts, dependencies })

const server = "require('node:http').createServer().listen(process.env.PORT || 3000)\n"

describe('init: the env files the dev server loads', () => {
  it('a committed configs/.env loaded by path (env-schema, a path joined to __dirname, loadEnvFile)', () => {
    const envSchema = restartOf({
      'package.json': pkg({ dev: 'node src/index.js' }, { 'env-schema': '^6' }),
      'configs/.env': 'PORT=8000\n',
      'configs/.env.test': 'PORT=8001\n',
      'src/index.js': `const { env } = require('./config')\n${server}`,
      'src/config.js': [
        "const envSchema = require('env-schema')",
        "const file = process.env.ENV_NAME === 'test' ? 'configs/.env.test' : 'configs/.env'",
        'module.exports = { env: envSchema({ dotenv: { path: file } }) }',
        '',
      ].join('\n'),
    })
    expect(envSchema.config?.env_files).toBe('configs/.env')
    expect(envSchema.why).toContain('env_files configs/.env (src/config.js:2): no dotenv step writes it')

    const joined = restartOf({
      'package.json': pkg({ dev: 'nodemon server/main.js' }),
      'config/.env.dev': 'PORT=8000\n',
      'server/main.js': `require('./settings')\n${server}`,
      'server/settings.js':
        "process.loadEnvFile(require('node:path').join(__dirname, '../config/.env.dev'))\n",
    })
    expect(joined.config?.env_files).toBe('config/.env.dev')
    expect(joined.why).toContain('config/.env.dev (server/settings.js:1)')
  })

  it('loader flags in the dev script and the scripts it runs', () => {
    const { config, why } = restartOf({
      'package.json': pkg({
        dev: 'dotenv -e .env.local -e .env.shared -- npm run serve',
        serve:
          'DOTENV_CONFIG_PATH=config/dev.env node -r dotenv/config --env-file=config/.env.node src/app.js',
      }),
      '.env.local': 'A=1\n',
      '.env.shared': 'B=1\n',
      'config/dev.env': 'C=1\n',
      'config/.env.node': 'D=1\n',
      'src/app.js': server,
    })
    expect(config?.env_files).toEqual(['.env.local', '.env.shared', 'config/.env.node', 'config/dev.env'])
    expect(why).toContain('.env.local (package.json scripts.dev)')
    expect(why).toContain('config/.env.node (package.json scripts.serve)')

    const envCmd = restartOf({
      'package.json': pkg({ dev: 'env-cmd -f ./envs/.env.dev ts-node-dev src/app.ts' }),
      'envs/.env.dev': 'A=1\n',
      'src/app.ts': server,
    })
    expect(envCmd.config?.env_files).toBe('envs/.env.dev')

    // `-r dotenv/config` alone loads dotenv's default, a committed .env no dotenv step writes.
    const preload = restartOf({
      'package.json': pkg({ dev: 'nodemon -r dotenv/config src/app.js' }),
      '.env': 'PORT=3000\n',
      'src/app.js': server,
    })
    expect(preload.config?.env_files).toBe('.env')
  })

  it('frameworks that load .env.development / .env.local by name: the ones that exist', () => {
    const next = restartOf({
      'package.json': pkg({ dev: 'next dev' }, { next: '15' }),
      '.env.development': 'A=1\n',
      '.env.production': 'A=2\n',
    })
    expect(next.config?.env_files).toBe('.env.development')
    expect(next.why).toContain('.env.development (next loads it by name in `next dev`)')

    const vite = restartOf({
      'package.json': pkg({ dev: 'vite --mode staging' }, { vite: '6' }),
      '.env.staging': 'VITE_A=1\n',
      '.env.development': 'VITE_A=2\n',
      '.env.local': 'VITE_B=1\n',
    })
    expect(vite.config?.env_files).toEqual(['.env.local', '.env.staging'])
  })

  it('Nest’s envFilePath list, and dotenv’s default .env when no dotenv step writes it', () => {
    const nest = restartOf({
      'package.json': pkg({ 'start:dev': 'nest start --watch' }, { '@nestjs/config': '3' }),
      'src/main.ts': "import { AppModule } from './app.module'\napp.listen(3000)\n",
      'src/app.module.ts':
        "ConfigModule.forRoot({ envFilePath: ['.env.development.local', '.env.development'] })\n",
      '.env.development': 'A=1\n',
    })
    expect(nest.config?.env_files).toBe('.env.development')

    const committed = restartOf({
      'package.json': pkg({ dev: 'node index.js' }, { dotenv: '16' }),
      'index.js': `require('dotenv').config()\n${server}`,
      '.env': 'PORT=3000\n',
    })
    expect(committed.config?.env_files).toBe('.env')
    expect(committed.why).toContain(".env (index.js:1, dotenv's default name)")
  })

  it('nothing for the dotenv step’s own file, a file that does not exist, or an example', () => {
    const written = restartOf({
      'package.json': pkg({ dev: 'node --env-file=.env --env-file=.env.missing index.js' }),
      '.env.example': 'PORT=3000\n',
      'index.js': `require('dotenv').config({ path: '.env.example' })\n${server}`,
    })
    expect(written.config?.start).toBe('npm run dev')
    expect(written.config?.env_files).toBeUndefined()
  })
})
