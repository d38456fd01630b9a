// How variables flow to later steps: setEnv from a step that ran, env from a met check,
// and a step's own `env: { PATH: ./bin:${PATH} }`.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, it } from 'vitest'
import * as z from 'zod'
import { runEngine } from '../../src/engine/engine.js'
import { EngineEvents } from '../../src/engine/events.js'
import { StateStore } from '../../src/engine/state.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { type AnyStepType, defineStepType } from '../../src/steps/define.js'

function setup(yaml: string, env: Record<string, string>) {
  const seen: Record<string, string | undefined>[] = []
  let checks = 0
  // `provide` is met and hands later steps PROVIDED=yes; `setpath` runs and puts /new/bin first.
  const provide = defineStepType({
    type: 'provide',
    description: 'met, with env',
    form: 'nested',
    schema: z.undefined(),
    title: () => 'Provide',
    check: async () => ({ met: true, reason: 'met', env: { PROVIDED: 'yes' } }),
    run: async () => undefined,
  })
  let pathSet = false
  const setpath = defineStepType({
    type: 'setpath',
    description: 'runs, sets PATH',
    form: 'nested',
    schema: z.undefined(),
    title: () => 'Set PATH',
    check: async () => ({ met: pathSet, reason: pathSet ? 'set' : 'not set' }),
    run: async (_cfg, ctx) => {
      ctx.setEnv({ PATH: `/new/bin:${ctx.env.PATH}` })
      pathSet = true
      return undefined
    },
  })
  const probe = defineStepType({
    type: 'probe',
    description: 'records what it sees',
    form: 'nested',
    schema: z.undefined(),
    title: () => 'Probe',
    check: async (_cfg, ctx) => {
      checks++
      seen.push({ PATH: ctx.env.PATH, PROVIDED: ctx.env.PROVIDED })
      return { met: true, reason: 'seen' }
    },
    run: async () => undefined,
  })
  const types = new Map<string, AnyStepType>([
    ['provide', provide],
    ['setpath', setpath],
    ['probe', probe],
  ])
  const dir = mkdtempSync(path.join(tmpdir(), 'devsetup-env-'))
  const recipe = parseRecipe(path.join(dir, 'devsetup.yml'), `version: 1\nsteps:\n${yaml}`, env, types)
  const go = () =>
    runEngine({
      recipe,
      mode: 'up',
      selection: {},
      force: false,
      dryRun: false,
      signal: new AbortController().signal,
      state: StateStore.load(path.join(dir, '.devsetup'), { readOnly: false, warn: () => {} }),
      log: undefined,
      events: new EngineEvents(),
      env,
    })
  return { go, seen, checks: () => checks }
}

it("a met check's env reaches later steps, which are checked again with it", async () => {
  const { go, seen, checks } = setup('  - provide\n  - probe\n', { PATH: '/usr/bin' })
  await go()
  expect(seen.at(-1)).toEqual({ PATH: '/usr/bin', PROVIDED: 'yes' })
  expect(checks()).toBe(2) // the prefetched check (without PROVIDED), then a fresh one
})

it("a step's own `${PATH}` follows a PATH that an earlier step changed", async () => {
  const { go, seen } = setup('  - setpath\n  - probe:\n    env: { PATH: "./bin:${PATH}" }\n', {
    PATH: '/usr/bin',
  })
  await go()
  expect(seen.at(-1)!.PATH).toBe('./bin:/new/bin:/usr/bin')
})
