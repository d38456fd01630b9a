// A Procfile's `web:` process, or a tmp/restart.txt: the restart step for an app no framework
// provider started. Puma and Passenger restart when tmp/restart.txt is touched (the Rails
// convention); any other web process is started detached and restarted after changes.
import { type DetectedStep, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

export const procfile = defineProvider({
  name: 'procfile',
  detect: ({ repo }) => repo.has('tmp/restart.txt') || repo.first(['Procfile', 'Procfile.dev']) !== undefined,
  contribute: ({ repo }) => {
    const step = restartStep(repo)
    return step ? { devServer: [step] } : {}
  },
})

function restartStep(repo: RepoProbe): DetectedStep | undefined {
  const touch = { touch: 'tmp/restart.txt' }
  if (repo.has('tmp/restart.txt'))
    return { slot: 'restart', type: 'restart', config: touch, why: 'tmp/restart.txt' }
  const file = repo.first(['Procfile', 'Procfile.dev'])
  if (!file) return undefined
  const web = /^web:\s*(.+)$/m.exec(repo.read(file) ?? '')?.[1]?.trim()
  if (!web || /\b(rails|puma|passenger)\b/.test(web) || repo.has('config/application.rb'))
    return { slot: 'restart', type: 'restart', config: touch, why: `${file} (Rails)` }
  return { slot: 'restart', type: 'restart', config: { start: web }, why: `${file} (web: ${web})` }
}
