// init's cleanup step: for the app's log/ and tmp/ folders, and for a Rails app whose clone has
// neither yet (no log/.keep): Rails writes both at its first boot, and bin/setup cleared them.
import { describe, expect, it } from 'vitest'
import { cleanup } from '../../src/init/providers/cleanup.js'
import { RepoProbe } from '../../src/init/repo.js'
import { tempRepo } from '../helpers.js'

const contribute = (files: Record<string, string>) => {
  const repo = new RepoProbe(tempRepo(files))
  const ctx = { repo, example: undefined, dockerRuns: () => false }
  return cleanup.detect(ctx) ? cleanup.contribute(ctx).steps?.[0] : undefined
}

describe('init: the cleanup step', () => {
  it('a Rails app without log/ or tmp/ in its clone still gets log/*.log and tmp/cache', () => {
    const step = contribute({ Gemfile: "gem 'rails'\n", 'config/application.rb': 'module App; end\n' })
    expect(step?.config).toEqual({ paths: ['log/*.log', 'tmp/cache'], required: false })
    expect(step?.why).toContain("Rails' log/ and tmp/")
  })

  it('another app: only the folders it has', () => {
    expect(contribute({ 'package.json': '{}', 'tmp/.keep': '' })?.config).toEqual({
      paths: ['tmp/cache'],
      required: false,
    })
    expect(contribute({ 'package.json': '{}' })).toBeUndefined()
  })
})
