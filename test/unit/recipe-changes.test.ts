import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeRecipeChanges, recipeChanges, snapshotRecipe } from '../../src/engine/recipe-changes.js'
import { parseRecipe } from '../../src/recipe/parse.js'
import { tempRepo } from '../helpers.js'

/** The snapshot of a recipe text, taken as `up` takes it: from the file on disk. */
function snapshot(text: string, env: NodeJS.ProcessEnv = {}) {
  const file = path.join(tempRepo({}, { git: false }), 'devsetup.yml')
  writeFileSync(file, text)
  return snapshotRecipe(parseRecipe(file, text, env), new Date('2026-01-01T10:00:00Z'))
}

const before = `version: 1
env:
  PORT: \${PORT:-3000}
steps:
  - dependencies
  - name: Build
    run: npm run build
    creates: dist
  - database:
      engine: sqlite
      path: db/dev.sqlite3
  - parallel:
      - name: Hooks
        run: npx husky
        creates: .husky/_
  - cleanup:
      paths: [log/*.log]
`

describe('recipe changes since the last successful run', () => {
  it('nothing to compare with (a first run), or nothing changed: no list', () => {
    expect(recipeChanges(undefined, snapshot(before))).toBeUndefined()
    expect(recipeChanges(snapshot(before), snapshot(before))).toBeUndefined()
  })

  it('names the steps added and removed, and the keys of the changed ones', () => {
    const after = before
      .replace('    creates: dist\n', '    creates: dist\n    inputs: [src/**]\n') // Build: a key added
      .replace('path: db/dev.sqlite3', 'path: db/development.sqlite3') // database.path changed
      .replace('        creates: .husky/_\n', '') // Hooks (in a group): a key removed
      .replace('  - cleanup:\n      paths: [log/*.log]\n', '  - name: Seed\n    run: make seed\n') // replaced
    const changes = recipeChanges(snapshot(before), snapshot(after))!
    expect(changes.since).toBe('2026-01-01T10:00:00.000Z')
    expect(changes.added).toEqual([{ step: 'seed', type: 'run', title: 'Seed' }])
    expect(changes.removed).toEqual([{ step: 'cleanup', type: 'cleanup', title: 'Clean log/*.log' }])
    expect(changes.changed).toEqual([
      { step: 'build', type: 'run', title: 'Build', keys: ['inputs'] },
      { step: 'database', type: 'database', title: expect.any(String), keys: ['database.path'] },
      { step: 'hooks', type: 'run', title: 'Hooks', keys: ['creates'] },
    ])
    expect(describeRecipeChanges(changes, Date.parse('2026-01-01T13:30:00Z'))).toEqual([
      'Recipe changes since your last successful run (3 hours ago):',
      '  + Seed (seed) — new step',
      '  - Clean log/*.log (cleanup) — removed',
      '  ~ Build (build) — changed: inputs',
      `  ~ ${changes.changed[1]!.title} (database) — changed: database.path`,
      '  ~ Hooks (hooks) — changed: creates',
    ])
  })

  it('a bare step that gets settings, and a changed type, are changes', () => {
    const after = before.replace('  - dependencies\n', '  - dependencies: { cwd: api }\n')
    expect(recipeChanges(snapshot(before), snapshot(after))!.changed).toEqual([
      expect.objectContaining({ step: 'dependencies', keys: ['dependencies.cwd', 'dependencies'] }),
    ])
  })

  it('reordered keys and a different value of an environment variable are not recipe changes', () => {
    const reordered = before.replace(
      '  - name: Build\n    run: npm run build\n    creates: dist\n',
      '  - creates: dist\n    run: npm run build\n    name: Build\n',
    )
    expect(recipeChanges(snapshot(before, { PORT: '1' }), snapshot(reordered, { PORT: '2' }))).toBeUndefined()
  })

  it("the recipe's own env: names added, removed and changed", () => {
    const after = before.replace('PORT: ${PORT:-3000}', 'PORT: ${PORT:-4000}\n  HOST: localhost')
    const changes = recipeChanges(snapshot(before), snapshot(after))!
    expect(changes.env).toEqual({ added: ['HOST'], removed: [], changed: ['PORT'] })
    expect(describeRecipeChanges(changes).at(-1)).toBe('  ~ recipe env — added HOST; changed PORT')
  })

  it('keeps only hashes of the values: state never holds what the recipe wrote', () => {
    const text = JSON.stringify(snapshot(before.replace('npm run build', 'build --token s3cr3t')))
    expect(text).not.toContain('s3cr3t')
    expect(text).not.toContain('npm run build')
  })
})
