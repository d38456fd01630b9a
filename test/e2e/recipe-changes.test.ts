// "What's new in the recipe since your last run": shown by the next up / doctor, until a run succeeds.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'

const recipe = `version: 1
steps:
  - name: Config
    run: touch config.txt
    creates: config.txt
  - name: Build
    run: touch build.txt
    creates: build.txt
`

describe('recipe changes since the last successful run', () => {
  it('the next up and doctor open with the list; --json carries it as the first event', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe })
    const first = await runCli(['up'], { cwd: dir })
    expect(first.code).toBe(0)
    expect(first.stdout).not.toContain('Recipe changes') // nothing earlier to compare with

    const changed = recipe
      .replace('creates: build.txt', 'creates: [build.txt, config.txt]')
      .replace('  - name: Config\n    run: touch config.txt\n    creates: config.txt\n', '')
      .concat('  - name: Fails\n    run: "false"\n    check: test -f never\n')
    writeFileSync(path.join(dir, 'devsetup.yml'), changed)

    const doctor = await runCli(['doctor'], { cwd: dir })
    const lines = doctor.stdout.split('\n')
    const at = lines.indexOf('Recipe changes since your last successful run (just now):')
    expect(at).toBe(1) // right under doctor's title, before any step
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '  + Fails (fails) — new step',
      '  - Config (config) — removed',
      '  ~ Build (build) — changed: creates',
    ])

    // The run fails: the list is still news next time.
    const json = await runCli(['up', '--json'], { cwd: dir })
    expect(json.code).toBe(1)
    const [event] = events(json.stdout)
    expect(event).toEqual({
      event: 'recipe:changed',
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      added: [{ step: 'fails', type: 'run', title: 'Fails' }],
      removed: [{ step: 'config', type: 'run', title: 'Config' }],
      changed: [{ step: 'build', type: 'run', title: 'Build', keys: ['creates'] }],
      env: { added: [], removed: [], changed: [] },
    })
    const plain = await runCli(['up'], { cwd: dir })
    expect(plain.stdout.split('\n')[0]).toBe('Recipe changes since your last successful run (just now):')

    // Fixed and run successfully: the recipe as it is now is the new baseline.
    writeFileSync(path.join(dir, 'devsetup.yml'), changed.replace('"false"', 'touch never'))
    // (still against the last successful run: Fails is new, not changed)
    expect((await runCli(['up'], { cwd: dir })).stdout).toContain('+ Fails (fails) — new step')
    const after = await runCli(['up', '--json'], { cwd: dir })
    expect(after.code).toBe(0)
    expect(events(after.stdout).some((e) => e.event === 'recipe:changed')).toBe(false)
  })

  it('doctor and a dry run remember nothing', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe })
    await runCli(['up'], { cwd: dir })
    writeFileSync(
      path.join(dir, 'devsetup.yml'),
      recipe.replace('touch build.txt', 'touch build.txt && true'),
    )
    for (const args of [['doctor'], ['up', '--dry-run'], ['doctor']]) {
      expect((await runCli(args, { cwd: dir })).stdout, args.join(' ')).toContain(
        '~ Build (build) — changed: run',
      )
    }
  })
})
