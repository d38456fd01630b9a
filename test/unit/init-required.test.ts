// Which keys init lists in the dotenv step's `required:`: the example's filled keys the app's
// code reads (one scan with the secrets', src/init/secrets.ts), each with where it is read, and
// never a key the code only names in a comment.
import { describe, expect, it } from 'vitest'
import { findEnvExample } from '../../src/init/env-example.js'
import { dotenv } from '../../src/init/providers/dotenv.js'
import { RepoProbe } from '../../src/init/repo.js'
import { keysReadInCode } from '../../src/init/secrets.js'
import { tempRepo } from '../helpers.js'

const example = [
  'PORT=4000',
  'MYSQL_DATABASE=app_dev',
  'PASSWORD=0123456789',
  'USER=admin',
  'DB_HOST=127.0.0.1',
  'FEATURE_MAIL=on',
  'COMMENTED=x',
  'UNUSED=y',
  'EMPTY_READ=',
  'SECRET=4715aed3216f7b0a38',
  'VITE_TITLE=Shop',
  'DB_URL_VAR=postgres://x',
  'OPTIONAL_KEY=z',
].join('\n')

const files = {
  '.env.example': example,
  'server.js': [
    'const port = process.env.PORT || 3000 // process.env.UNUSED in a trailing comment',
    '// console.log(process.env.COMMENTED)',
    '/* process.env.COMMENTED',
    '   still a comment */',
    "const url = 'http://localhost/' + process.env['MYSQL_DATABASE']",
    'const { USER, PASSWORD: pw } = process.env',
    'if (process?.env?.FEATURE_MAIL) require("./mail")',
    'const e = process.env.EMPTY_READ',
    'const s = process.env.SECRET',
  ].join('\n'),
  'src/db.js':
    "const env = process.env\nmodule.exports = { host: env.DB_HOST, use_env_variable: 'DB_URL_VAR' }\n",
  'web/main.ts': 'document.title = import.meta.env.VITE_TITLE\n',
  'src/opt.ts': "import { env } from 'node:process'\nexport const o = env['OPTIONAL_KEY']\n",
}

describe('keys the code reads', () => {
  it('finds reads in every form, with file:line; a comment is no read', () => {
    const repo = new RepoProbe(tempRepo(files))
    const reads = keysReadInCode(repo, findEnvExample(repo)!)
    expect(Object.fromEntries(reads)).toEqual({
      PORT: 'server.js:1',
      MYSQL_DATABASE: 'server.js:5',
      USER: 'server.js:6',
      PASSWORD: 'server.js:6',
      FEATURE_MAIL: 'server.js:7',
      EMPTY_READ: 'server.js:8',
      SECRET: 'server.js:9',
      DB_HOST: 'src/db.js:2',
      DB_URL_VAR: 'src/db.js:2',
      VITE_TITLE: 'web/main.ts:1',
      OPTIONAL_KEY: 'src/opt.ts:2',
    })
  })

  it('the dotenv step requires the filled ones it does not generate, and init says where each is read, once', () => {
    const repo = new RepoProbe(tempRepo(files))
    const found = findEnvExample(repo)!
    const contributed = dotenv.contribute({ repo, example: found } as Parameters<typeof dotenv.contribute>[0])
    const config = contributed.steps![0]!.config as { required: string[]; generate: string[] }
    // SECRET is generated (its own rule); EMPTY_READ has no value to put back; COMMENTED and UNUSED are never read.
    expect(config.generate).toEqual(['SECRET'])
    expect([...config.required].sort()).toEqual(
      [
        'DB_HOST',
        'DB_URL_VAR',
        'FEATURE_MAIL',
        'MYSQL_DATABASE',
        'OPTIONAL_KEY',
        'PASSWORD',
        'PORT',
        'USER',
        'VITE_TITLE',
      ].sort(),
    )
    const notes = contributed.notes!.filter((n) => n.startsWith('required:'))
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain('MYSQL_DATABASE (server.js:5)')
    expect(notes[0]).toContain('take it out of `required:` first')
  })
})
