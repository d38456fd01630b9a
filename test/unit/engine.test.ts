import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { runEngine } from '../../src/engine/engine.js'
import { EngineEvents, type StepOutcome } from '../../src/engine/events.js'
import { StateStore } from '../../src/engine/state.js'
import { UserError } from '../../src/errors.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { type AnyStepType, defineStepType } from '../../src/steps/define.js'

// A step type of the test's own: "flag" steps are met when a named flag is set in a
// shared world; running sets it. Every call is recorded, so the tests can see exactly
// what the engine checked, ran and in which order.
interface World {
  flags: Set<string>
  calls: string[]
  behaviour: Record<
    string,
    {
      failRuns?: number
      neverMet?: boolean
      hang?: boolean
      delayMs?: number
      /** What the step's settle finds wrong at the end of an `up` (its verdict), or `throw`. */
      settle?: string
    }
  >
}

/** A settle as the behaviour says: a verdict, a throw (a read that failed), or nothing. */
const settleAs = (world: World, name: string) => async () => {
  const found = world.behaviour[name]?.settle
  if (found === 'throw') throw new Error(`${name} could not be read`)
  return found ? { reason: found, hint: `bring ${name} back` } : undefined
}

function flagType(world: World): AnyStepType {
  return defineStepType({
    type: 'flag',
    description: 'set a flag',
    form: 'nested',
    schema: z.string(),
    title: (name) => `Flag ${name}`,
    check: async (name, ctx) => {
      world.calls.push(`check ${name}`)
      if (ctx.state.get('seen') === 'yes') world.calls.push(`state ${name}`)
      return world.flags.has(name)
        ? { met: true, reason: `${name} set` }
        : { met: false, reason: `${name} unset` }
    },
    run: async (name, ctx) => {
      const b = world.behaviour[name] ?? {}
      world.calls.push(`run ${name}`)
      if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs))
      if (b.hang)
        await new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        )
      world.calls.push(`end ${name}`)
      ctx.state.set('seen', 'yes')
      if (b.failRuns && b.failRuns > 0) {
        b.failRuns--
        throw new Error(`${name} broke`)
      }
      if (!b.neverMet) world.flags.add(name)
      return undefined
    },
    settle: (name) => settleAs(world, name)(),
  })
}

function handlerType(world: World): AnyStepType {
  return defineStepType({
    type: 'notify',
    description: 'react to changes',
    form: 'nested',
    handler: true,
    schema: z.undefined(),
    title: () => 'Notify',
    check: async (_cfg, ctx) => {
      const { thisRun, pendingFromEarlierRun } = ctx.changes
      if (thisRun.length > 0) return { met: false, reason: `changed: ${thisRun.join(', ')}` }
      if (pendingFromEarlierRun) return { met: false, reason: 'pending from an earlier run' }
      return { met: true, reason: 'nothing changed' }
    },
    run: async () => {
      world.calls.push('notify')
      return undefined
    },
    settle: settleAs(world, 'notify'),
  })
}

function setup(yaml: string, world: Partial<World> = {}) {
  const w: World = { flags: new Set(), calls: [], behaviour: {}, ...world }
  return setupWith(yaml, w, handlerType(w))
}

/** A world and handler of the test's choice; `dir` shares the state folder of an earlier setup. */
function setupWith(
  yaml: string,
  w: World,
  handler: AnyStepType,
  dir = mkdtempSync(path.join(tmpdir(), 'devsetup-engine-')),
) {
  const types = new Map([
    ['flag', flagType(w)],
    ['notify', handler],
  ])
  const recipe = parseRecipe(path.join(dir, 'devsetup.yml'), `version: 1\nsteps:\n${yaml}`, {}, types)
  const go = async (
    options: {
      force?: boolean
      dryRun?: boolean
      only?: string[]
      skip?: string[]
      doctor?: boolean
      signal?: AbortSignal
    } = {},
  ) => {
    const state = StateStore.load(path.join(dir, '.devsetup'), { readOnly: false, warn: () => {} })
    const events = new EngineEvents()
    const order: string[] = []
    events.on('step:end', (step, outcome) => order.push(`${step.id}:${outcome.status}`))
    events.on('step:late', (step, outcome) => order.push(`late ${step.id}:${outcome.status}`))
    // run:end comes last: the listr2 tree waits for it to draw the late failures.
    let endedAt = -1
    events.on('run:end', () => {
      endedAt = order.length
    })
    const result = await runEngine({
      recipe,
      mode: options.doctor ? 'doctor' : 'up',
      selection: { only: options.only, skip: options.skip },
      force: options.force ?? false,
      dryRun: options.dryRun ?? false,
      signal: options.signal ?? new AbortController().signal,
      state,
      log: undefined,
      events,
      env: {},
    })
    const status = (id: string) => result.outcomes.get(id) as StepOutcome
    expect(endedAt).toBe(order.length)
    return { result, order, status }
  }
  return { world: w, go, dir }
}

describe('engine', () => {
  it('starts every check before running anything, runs unmet steps in order, and verifies them', async () => {
    const { world, go } = setup('  - flag: a\n  - flag: b\n  - flag: c\n', { flags: new Set(['b']) })
    const { order, status } = await go()
    expect(world.calls.slice(0, 3)).toEqual(['check a', 'check b', 'check c'])
    expect(order).toEqual(['flag:changed', 'flag-2:ok', 'flag-3:changed'])
    // A changed step says what is true now, not why it had to run.
    expect(status('flag')).toMatchObject({ reason: 'a set' })
    // a ran → b and c were checked again before deciding; each run is followed by its verify check.
    const rest = world.calls.slice(3).filter((c) => !c.startsWith('state'))
    expect(rest).toEqual(['run a', 'end a', 'check a', 'check b', 'check c', 'run c', 'end c', 'check c'])
  })

  it('a no-op re-run checks each step exactly once (the prefetched result) and runs nothing', async () => {
    const { world, go } = setup('  - flag: a\n  - flag: b\n')
    await go()
    world.calls.length = 0
    const { order } = await go()
    expect(order).toEqual(['flag:ok', 'flag-2:ok'])
    expect(world.calls.filter((c) => c.startsWith('check'))).toHaveLength(2)
    expect(world.calls.filter((c) => c.startsWith('run'))).toHaveLength(0)
  })

  it('a step still unmet after running fails, and later steps are not run', async () => {
    const { go } = setup('  - flag: a\n  - flag: b\n', { behaviour: { a: { neverMet: true } } })
    const { result, status } = await go()
    expect(result.failed).toBe(true)
    expect(status('flag')).toMatchObject({ status: 'failed', reason: 'ran but still unmet: a unset' })
    expect(status('flag-2')).toMatchObject({ status: 'not-run', reason: 'not run: an earlier step failed' })
  })

  it('an optional failure is a warning and the run goes on', async () => {
    const { go } = setup('  - flag: a\n    optional: true\n  - flag: b\n', {
      behaviour: { a: { failRuns: 9 } },
    })
    const { result, status } = await go()
    expect(status('flag')).toMatchObject({ status: 'warned', reason: 'a broke' })
    expect(status('flag-2').status).toBe('changed')
    expect(result.failed).toBe(false)
  })

  it('retries a failing run', async () => {
    const { world, go } = setup('  - flag: a\n    retries: 2\n', { behaviour: { a: { failRuns: 2 } } })
    const { status } = await go()
    expect(status('flag').status).toBe('changed')
    expect(world.calls.filter((c) => c === 'run a')).toHaveLength(3)
  })

  it('times a step out', async () => {
    const { status } = await setup('  - flag: a\n    timeout: 200ms\n', {
      behaviour: { a: { hang: true } },
    }).go()
    expect(status('flag')).toMatchObject({ status: 'failed', reason: 'timed out after 200ms' })
  })

  it('an interrupt stops the running step and marks the rest not run', async () => {
    const { go } = setup('  - flag: a\n  - flag: b\n', { behaviour: { a: { hang: true } } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('interrupted')), 100)
    const { result, status } = await go({ signal: controller.signal })
    expect(result.interrupted).toBe(true)
    expect(status('flag')).toMatchObject({ status: 'interrupted', reason: 'interrupted' })
    expect(status('flag-2').status).toBe('not-run')
  })

  it('--force runs met steps; --dry-run runs nothing; doctor reports unmet with a fix', async () => {
    const forced = setup('  - flag: a\n', { flags: new Set(['a']) })
    expect((await forced.go({ force: true })).status('flag')).toMatchObject({
      status: 'changed',
      reason: 'a set',
    })

    const dry = setup('  - flag: a\n')
    expect((await dry.go({ dryRun: true })).status('flag')).toMatchObject({
      status: 'would-run',
      reason: 'a unset',
    })
    expect(dry.world.calls).not.toContain('run a')

    const doc = setup('  - flag: a\n  - flag: b\n', { flags: new Set(['b']) })
    const { status, result } = await doc.go({ doctor: true })
    expect(status('flag')).toMatchObject({ status: 'unmet', fix: 'devsetup up --only flag' })
    expect(status('flag-2').status).toBe('ok')
    expect(result.failed).toBe(true)
    expect(doc.world.calls).not.toContain('run a')
  })

  it('--only and --skip select steps; an unknown id is a usage error', async () => {
    const { go } = setup('  - flag: a\n  - id: bee\n    flag: b\n  - flag: c\n')
    const { order } = await go({ only: ['bee,flag'] })
    expect(order).toEqual(['flag:changed', 'bee:changed', 'flag-2:skipped'])
    expect((await go({ skip: ['flag'] })).status('flag')).toMatchObject({
      status: 'skipped',
      reason: 'skipped by --skip',
    })
    await expect(go({ only: ['be'] })).rejects.toThrow(UserError)
  })

  it('skips a step whose condition is false, with the reason', async () => {
    // Written as people say it (macos), shown as people say it, never as Node's `darwin`.
    const other = process.platform === 'linux' ? 'macos' : 'linux'
    const here = process.platform === 'darwin' ? 'macos' : process.platform
    const { status } = await setup(`  - flag: a\n    if: { platform: ${other} }\n`).go()
    expect(status('flag')).toMatchObject({
      status: 'skipped',
      reason: `platform is ${here}, step wants ${other}`,
    })
  })

  it('runs a parallel group concurrently', async () => {
    const { world, go } = setup('  - parallel:\n      - flag: a\n      - flag: b\n', {
      behaviour: { a: { delayMs: 100 }, b: { delayMs: 100 } },
    })
    await go()
    const runs = world.calls.filter((c) => c.startsWith('run') || c.startsWith('end'))
    expect(runs.slice(0, 2).sort()).toEqual(['run a', 'run b'])
  })

  it("commits a step's state only when it ends met", async () => {
    const { world, go } = setup('  - flag: a\n', { behaviour: { a: { neverMet: true } } })
    await go()
    world.calls.length = 0
    world.behaviour.a = {}
    await go()
    // The failed first run's `seen` was never committed, so the prefetch check did not see it.
    expect(world.calls.slice(0, 2)).toEqual(['check a', 'run a'])
    world.calls.length = 0
    await go()
    expect(world.calls).toContain('state a')
  })

  it('a handler runs after changes, and a change from a failed run stays pending until it does', async () => {
    const recipe = '  - flag: a\n  - flag: b\n  - notify\n'
    const { world, go } = setup(recipe, { behaviour: { b: { neverMet: true } } })
    const first = await go()
    expect(first.status('notify').status).toBe('not-run')
    world.behaviour.b = {}
    world.flags.add('b') // fixed by hand: nothing changes in the second run
    const second = await go()
    expect(second.status('flag').status).toBe('ok')
    expect(second.status('notify')).toMatchObject({
      status: 'changed',
      reason: 'pending from an earlier run',
    })
    const third = await go()
    expect(third.status('notify')).toMatchObject({ status: 'ok', reason: 'nothing changed' })
  })

  it("a settle's verdict fails a step that ended well, after every step; the run fails, the state says so", async () => {
    const { world, go, dir } = setup('  - flag: a\n  - flag: b\n', {
      behaviour: { a: { settle: 'a is gone again' } },
    })
    const first = await go()
    expect(first.order).toEqual(['flag:changed', 'flag-2:changed', 'late flag:failed'])
    expect(first.result.failed).toBe(true)
    expect(first.status('flag')).toMatchObject({
      status: 'failed',
      reason: 'a is gone again (bring a back)',
      late: true,
    })
    const state = StateStore.load(path.join(dir, '.devsetup'), { readOnly: true, warn: () => {} })
    expect(state.record('flag').lastStatus).toBe('failed')
    expect(state.record('flag-2').lastStatus).toBe('changed')
    // Found well at the end of the next run: green again.
    world.behaviour.a = {}
    const second = await go()
    expect(second.order).toEqual(['flag:ok', 'flag-2:ok'])
    expect(second.result.failed).toBe(false)
  })

  it('a settle that throws is logged, no verdict; an optional step its settle fails is warned', async () => {
    const { go } = setup('  - flag: a\n  - flag: b\n    optional: true\n', {
      behaviour: { a: { settle: 'throw' }, b: { settle: 'b is gone again' } },
    })
    const run = await go()
    expect(run.order).toEqual(['flag:changed', 'flag-2:changed', 'late flag-2:warned'])
    expect(run.result.failed).toBe(false)
    expect(run.status('flag').status).toBe('changed')
  })

  it('a handler its settle fails handles the same changes again in the next run', async () => {
    const { world, go } = setup('  - flag: a\n  - notify\n', {
      behaviour: { notify: { settle: 'the app is not well after all' } },
    })
    const first = await go()
    expect(first.order).toEqual(['flag:changed', 'notify:changed', 'late notify:failed'])
    world.behaviour.notify = {}
    const second = await go()
    expect(second.status('notify')).toMatchObject({
      status: 'changed',
      reason: 'pending from an earlier run',
    })
    expect((await go()).status('notify')).toMatchObject({ status: 'ok', reason: 'nothing changed' })
  })

  it('tells a handler which steps changed, of what kind, whether they need a restart, and when', async () => {
    const recipe = '  - flag: a\n    restarts: false\n  - flag: b\n  - flag: c\n  - notify\n'
    const { world, go, dir } = setup(recipe, { behaviour: { c: { neverMet: true } } })
    await go() // a and b change; c fails before notify is reached
    world.behaviour.c = {}
    world.flags.add('c')
    let seen: unknown
    const spy = defineStepType({ ...handlerType(world) })
    spy.check = async (_cfg, ctx) => {
      seen = ctx.changes.steps
      return { met: true, reason: 'seen' }
    }
    const { go: again } = setupWith(recipe, world, spy, dir)
    await again()
    expect(seen).toEqual([
      { id: 'flag', kinds: [], restarts: false, thisRun: false },
      { id: 'flag-2', kinds: [], restarts: true, thisRun: false },
    ])
  })

  it('when_changed re-runs a met step after the named step changed, also after a failed run', async () => {
    const recipe =
      '  - flag: db\n    id: db\n  - flag: setup\n    id: setup\n    when_changed: [db]\n  - flag: last\n'
    const { world, go } = setup(recipe, { flags: new Set(['setup']) })
    // The first run creates db: setup, although met, runs again.
    await go()
    expect(world.calls.filter((c) => c.startsWith('run'))).toEqual(['run db', 'run setup', 'run last'])
    world.calls.length = 0
    expect((await go()).status('setup')).toMatchObject({ status: 'ok' })

    world.flags.delete('db')
    world.behaviour.setup = { failRuns: 1 }
    const failed = await go()
    expect(failed.status('setup')).toMatchObject({ status: 'failed' })
    const doctor = await go({ doctor: true })
    expect(doctor.status('setup')).toMatchObject({
      status: 'unmet',
      reason: 'db changed in an earlier run (when_changed)',
    })
    const fixed = await go()
    expect(fixed.status('db').status).toBe('ok')
    expect(fixed.status('setup')).toMatchObject({ status: 'changed' })
    expect((await go()).status('setup').status).toBe('ok')
  })
})
