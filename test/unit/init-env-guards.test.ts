// Seed and setup scripts that refuse to run unless the environment opts in: init follows the
// recipe's command to the file it runs and reads the guard there.
import { describe, expect, it } from 'vitest'
import { envGuards, optIntoGuards } from '../../src/init/env-guards.js'
import type { DetectedStep } from '../../src/init/provider.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'app', scripts })
const guardsOf = (files: Record<string, string>, command: string) =>
  envGuards(new RepoProbe(tempRepo(files)), command).map((g) => `${g.key}=${g.value} ${g.file}:${g.line}`)

describe('envGuards', () => {
  it('follows package.json scripts (and the scripts they run) to the file, in each guard form', () => {
    const files = {
      'package.json': pkg({
        'db:seed': 'npm run db:prepare && tsx --env-file=.env ./scripts/seed.ts',
        'db:prepare': 'node scripts/prepare.js',
      }),
      'scripts/seed.ts': [
        "import x from 'y'",
        'if (Number(process.env.CAN_SEED_DATABASE) !== 1) {',
        "  throw new Error('Set CAN_SEED_DATABASE=1')",
        '}',
        "if (process.env['SEED_FLAVOUR'] !== 'demo') process.exit(1)",
      ].join('\n'),
      'scripts/prepare.js': "if (!process.env.I_KNOW) {\n  console.error('no')\n  process.exit(2)\n}\n",
    }
    expect(guardsOf(files, 'npm run db:seed')).toEqual([
      'I_KNOW=1 scripts/prepare.js:1',
      'CAN_SEED_DATABASE=1 scripts/seed.ts:2',
      'SEED_FLAVOUR=demo scripts/seed.ts:5',
    ])
  })

  it('an `if` that does not refuse, a mode key, or a production script is no guard to opt into', () => {
    const files = {
      'package.json': pkg({ 'db:seed': 'node seed.js', 'seed:prod': 'node seed.js', deploy: 'node seed.js' }),
      'seed.js': [
        "if (process.env.VERBOSE !== '1') console.log = () => {}",
        "if (process.env.NODE_ENV !== 'test') throw new Error('test databases only')",
        'if (!process.env.SEED_OK) throw new Error("set SEED_OK")',
      ].join('\n'),
      'prod-seed.js': 'if (!process.env.REALLY) throw new Error("no")',
    }
    expect(guardsOf(files, 'npm run db:seed')).toEqual(['SEED_OK=1 seed.js:3'])
    expect(guardsOf(files, 'npm run seed:prod')).toEqual([])
    expect(guardsOf(files, 'yarn deploy')).toEqual([])
    expect(guardsOf(files, 'node prod-seed.js')).toEqual([])
  })

  it("sets the dotenv step's `set:` once, unless the example already lets the command through", () => {
    const repo = new RepoProbe(
      tempRepo({
        'package.json': pkg({ seed: 'node seed.js', setup: 'node seed.js' }),
        'seed.js': 'if (process.env.ALLOW !== "yes") throw new Error("ALLOW=yes")\n',
      }),
    )
    const steps = (): DetectedStep[] => [
      { slot: 'dotenv', type: 'dotenv', config: { from: '.env.example' }, why: '.env.example' },
      { slot: 'database', type: 'database', config: { engine: 'sqlite', seed: 'npm run seed' }, why: '' },
      { slot: 'run: App setup', type: 'run', config: undefined, flat: { run: 'npm run setup' }, why: '' },
    ]
    const opted = steps()
    const notes = optIntoGuards(repo, opted, { ALLOW: 'no' })
    expect(opted[0]!.config).toEqual({ from: '.env.example', set: { ALLOW: 'yes' } })
    expect(opted[0]!.why).toContain('seed.js:1 refuses without it')
    expect(notes).toEqual([
      'ALLOW=yes in the new .env: `npm run seed` refuses to run without it (seed.js:1); a development database only',
    ])
    const allowed = steps()
    expect(optIntoGuards(repo, allowed, { ALLOW: 'yes' })).toEqual([])
    expect(allowed[0]!.config).toEqual({ from: '.env.example' })
  })
})
