// log/ and tmp/ folders (Rails' `log:clear tmp:clear`, and any app that writes there): a
// `cleanup` step for the logs and the cache, confined to what it names. The running app writes
// both again at once, so files there are no fault (`required: false`): the step cleans them
// after the installs or the database changed (`when_changed`, set in detect.ts, which knows
// which of those steps the recipe has), as bin/setup did on every setup.
import { defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

// A Rails app writes both even when its clone has neither folder (no log/.keep, no tmp/.keep).
const rails = (repo: RepoProbe) => repo.has('config/application.rb') && repo.has('Gemfile')

export const cleanup = defineProvider({
  name: 'cleanup',
  detect: ({ repo }) => repo.isDir('log') || repo.isDir('tmp') || rails(repo),
  contribute: ({ repo }) => {
    const log = repo.isDir('log') || rails(repo)
    const tmp = repo.isDir('tmp') || rails(repo)
    const paths = [log ? 'log/*.log' : '', tmp ? 'tmp/cache' : ''].filter(Boolean)
    const why =
      repo.isDir('log') || repo.isDir('tmp')
        ? `${[repo.isDir('log') ? 'log/' : '', repo.isDir('tmp') ? 'tmp/' : ''].filter(Boolean).join(', ')} folder`
        : "Rails' log/ and tmp/ (log:clear tmp:clear), not in the clone yet"
    return {
      steps: [{ slot: 'cleanup', type: 'cleanup', config: { paths, required: false }, why }],
    }
  },
})
