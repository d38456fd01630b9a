// The README's `npm install` on a clone is quiet and keeps esbuild working: every dependency
// with an install script is covered by package.json's `allowScripts`, asked of npm itself
// (npm 11.16+ warns about the uncovered ones; npm 12 skips their scripts, and esbuild's puts
// its platform binary in place). An older npm has no such policy: nothing to ask it then.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers.js'

const npm = (args: string[]) => spawnSync('npm', args, { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 })
const hasPolicy = npm(['install-scripts', '--help']).status === 0

describe("npm's install-script policy", () => {
  it.skipIf(!hasPolicy)('leaves no dependency with an install script unreviewed', () => {
    const listed = npm(['install-scripts', 'ls', '--json'])
    expect(listed.status, listed.stderr).toBe(0)
    const pending = (JSON.parse(listed.stdout) as { allowScripts: { name: string }[] }).allowScripts
    expect(pending.map((p) => p.name)).toEqual([])
  })
})
