// log/ and tmp/ folders (Rails' `log:clear tmp:clear`, and any app that writes there): a
// `cleanup` step for the logs and the cache, confined to what it names. The running app writes
// both again at once, so files there are no fault (`required: false`): the step cleans them
// after the installs or the database changed (`when_changed`, set in detect.ts, which knows
// which of those steps the recipe has), as bin/setup did on every setup.
import { defineProvider } from '../provider.js'

export const cleanup = defineProvider({
  name: 'cleanup',
  detect: ({ repo }) => repo.isDir('log') || repo.isDir('tmp'),
  contribute: ({ repo }) => {
    const paths = [repo.isDir('log') ? 'log/*.log' : '', repo.isDir('tmp') ? 'tmp/cache' : ''].filter(Boolean)
    const why = [repo.isDir('log') ? 'log/' : '', repo.isDir('tmp') ? 'tmp/' : ''].filter(Boolean).join(', ')
    return {
      steps: [{ slot: 'cleanup', type: 'cleanup', config: { paths, required: false }, why: `${why} folder` }],
    }
  },
})
