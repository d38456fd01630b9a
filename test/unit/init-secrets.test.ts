// Which empty keys of an example env file init has the dotenv step generate.
import { describe, expect, it } from 'vitest'
import { findEnvExample } from '../../src/init/env-example.js'
import { RepoProbe } from '../../src/init/repo.js'
import { secretsToGenerate } from '../../src/init/secrets.js'
import { tempRepo } from '../helpers.js'

const keys = (files: Record<string, string>) => {
  const repo = new RepoProbe(tempRepo(files))
  return secretsToGenerate(repo, findEnvExample(repo)!).map((s) => s.key)
}

describe('secretsToGenerate', () => {
  it("the app's own empty secrets; never a real value, a database password or an unrequired third-party key", () => {
    const example = [
      'JWT_SECRET=',
      'SESSION_KEY=',
      'PASSWORD_SALT=',
      'SECRET_KEY_BASE=change-me',
      'DB_PASSWORD=',
      'POSTGRES_PASSWORD=',
      'TYPEORM_PASSWORD=',
      'STRIPE_SECRET_KEY=',
      'GITHUB_CLIENT_SECRET=',
      'APP_NAME=',
      'OIDC_TOKEN_URI=', // a place (outline's validator wants a URL), not a secret
      'TOKEN_ENDPOINT=',
    ].join('\n')
    expect(keys({ '.env.example': example })).toEqual([
      'JWT_SECRET',
      'SESSION_KEY',
      'PASSWORD_SALT',
      'SECRET_KEY_BASE', // change-me: a placeholder, not a value
    ])
  })

  it('an empty value followed by a comment is empty, as dotenv reads it (AdonisJS: `APP_KEY=   #run node ace generate:key`)', () => {
    const example = [
      'APP_KEY=                #run `node ace generate:key` to generate',
      'API_TOKEN=kept-value   # a value, then a comment',
    ].join('\n')
    expect(keys({ '.env.example': example })).toEqual(['APP_KEY'])
  })

  it('a placeholder value is a secret to generate; a certificate or key pair never is', () => {
    const example = [
      'SECRET_KEY=generate_a_new_key',
      'SESSION_SECRET=REPLACE_WITH_LONG_SECRET',
      'COOKIE_SECRET=change-me',
      'JWT_SECRET=<your secret>',
      'SSL_KEY=',
      'JWT_PRIVATE_KEY=',
    ].join('\n')
    expect(keys({ '.env.example': example })).toEqual([
      'SECRET_KEY',
      'SESSION_SECRET',
      'COOKIE_SECRET',
      'JWT_SECRET',
    ])
  })

  it("the app's own signing secret is generated even with a sample value (so an emptied one is red); a password, token or third party's secret keeps its value", () => {
    const example = [
      'SECRET=4715aed3216f7b0a38e6b534a958362654e96d10fbc04700770d572af3dce4',
      'UTILS_SECRET=a3f9c0d1e2',
      'PASSWORD=0123456789',
      'API_TOKEN=abc123',
      'APIKEY=5saedXklbslhnapihe2pihp3pih4fdnakhjwq5',
      'GITHUB_CLIENT_SECRET=abc',
      'MINIO_SECRET_KEY=minio-password',
    ].join('\n')
    expect(keys({ '.env.example': example })).toEqual(['SECRET', 'UTILS_SECRET'])
  })

  it('a third-party key an env validator requires at boot is generated too, with the validator as the reason', () => {
    const repo = new RepoProbe(
      tempRepo({
        '.env.example':
          'SENDGRID_API_KEY=\nSTRIPE_SECRET_KEY=\nGOOGLE_CLIENT_ID=\nGITHUB_CLIENT_ID=\nAPP_ID=\n',
        'src/env.ts':
          "import { z } from 'zod'\nexport const env = z.object({\n  SENDGRID_API_KEY: z.string(),\n  GOOGLE_CLIENT_ID: z.string(),\n  APP_ID: z.string(),\n}).parse(process.env)\n",
      }),
    )
    // Generated only so the app boots: a placeholder, said as such (init's note), never a working key.
    expect(secretsToGenerate(repo, findEnvExample(repo)!)).toEqual([
      { key: 'SENDGRID_API_KEY', state: 'is empty', why: 'required by src/env.ts:3', placeholder: true },
      // A third party's client id the validator requires (not one it does not, nor the app's own id).
      { key: 'GOOGLE_CLIENT_ID', state: 'is empty', why: 'required by src/env.ts:4', placeholder: true },
    ])
  })

  it("AdonisJS's start/env.ts: a required Env.schema key is generated, an .optional() one is not", () => {
    const files = {
      '.env.example': 'APP_KEY=\nGITHUB_TOKEN=\nSENTRY_TOKEN=\n',
      'start/env.ts':
        "import { Env } from '@adonisjs/core/env'\nexport default await Env.create(new URL('../', import.meta.url), {\n  APP_KEY: Env.schema.string(),\n  GITHUB_TOKEN: Env.schema.string(),\n  SENTRY_TOKEN: Env.schema.string.optional(),\n})\n",
    }
    expect(keys(files)).toEqual(['APP_KEY', 'GITHUB_TOKEN'])
  })

  it('an envalid key with a default is not required: a random value would turn the feature on', () => {
    const files = {
      '.env.example': 'JWT_SECRET=\nMAIL_PASSWORD=\nOIDC_CLIENT_SECRET=\n',
      'server/env.js':
        "const { cleanEnv, str } = require('envalid')\nmodule.exports = cleanEnv(process.env, {\n  JWT_SECRET: str(),\n  MAIL_PASSWORD: str({ default: '' }),\n  OIDC_CLIENT_SECRET: str({ default: '' }),\n})\n",
    }
    // JWT_SECRET by its validator; the other two neither required nor named as the app's own secret.
    expect(keys(files)).toEqual(['JWT_SECRET'])
  })

  it('dotenv-safe requires every key of the example', () => {
    const files = {
      '.env.example': 'MAILER_TOKEN=\nPORT=\n',
      'package.json': JSON.stringify({ dependencies: { 'dotenv-safe': '9' } }),
    }
    expect(keys(files)).toEqual(['MAILER_TOKEN'])
  })
})
