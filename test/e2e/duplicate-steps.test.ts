// A recipe that sets the same thing up twice (copy and paste, or `devsetup add` of a step it
// already has): validate and add say so, naming both steps; steps that differ stay quiet.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

const recipe = (body: string) => `version: 1\nsteps:\n${body}`

describe('the same thing set up twice', () => {
  it('validate warns for a second runtime, install or database of the same thing, and only those', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe(`  - runtime: node
  - dependencies
  - database: { url: postgres://localhost/app }
  - runtime: node@22
  - dependencies: { cwd: . }
  - database: { engine: postgres, host: localhost, port: 5432, name: app }
  - runtime: { name: node }
    cwd: web
  - dependencies: pip
  - runtime: python
  - database: { url: postgres://localhost/app_test }
`),
    })
    const result = await runCli(['validate'], { cwd: repo })
    expect(result.code).toBe(0)
    const warnings = result.stderr.split('\n').filter((line) => line.includes('already does'))
    expect(warnings).toEqual([
      '⚠ devsetup.yml:6:5: step `runtime-2`: sets up what step `runtime` (line 3) already does: `runtime: node` in the repository root; remove one of them, or give them different `cwd`',
      '⚠ devsetup.yml:7:5: step `dependencies-2`: sets up what step `dependencies` (line 4) already does: `dependencies` in the repository root; remove one of them, or give them different `cwd`',
      '⚠ devsetup.yml:8:5: step `database-2`: sets up what step `database` (line 5) already does: `database` app on postgres://localhost:5432; remove one of them',
    ])
    const json = JSON.parse((await runCli(['validate', '--json'], { cwd: repo })).stdout)
    expect(json.warnings.filter((w: string) => w.includes('already does'))).toHaveLength(3)
  })

  it('add warns when the new step repeats one the recipe has, and still adds it', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe('  - runtime: node\n') })
    const result = await runCli(['add', 'runtime', 'node'], { cwd: repo })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      'step `runtime-2`: sets up what step `runtime` (line 3) already does: `runtime: node` in the repository root',
    )
    expect(readFileSync(path.join(repo, 'devsetup.yml'), 'utf8')).toContain(
      '  - runtime: node\n  - runtime: node\n',
    )
    const other = await runCli(['add', 'runtime', 'node', '--id', 'web-node'], {
      cwd: tempRepo({ 'devsetup.yml': recipe('  - runtime: python\n') }),
    })
    expect(other.stderr).not.toContain('already does')
  })
})
