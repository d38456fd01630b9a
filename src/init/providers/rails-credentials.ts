// Rails' encrypted credentials in development. The key that opens them (config/master.key, or
// config/credentials/development.key) is never committed, so a fresh clone has none. Most apps
// boot without it — Rails then sees empty credentials — and need no step. An app that cannot
// (`config.require_master_key = true`, or a credential read at boot with no fallback:
// `credentials.x!`, `credentials.fetch(:x)`) gets a step that is unmet until the key is there and
// says where it goes: no command can make it, only a teammate has it.
import { railsCredentialFiles } from '../../engine/diagnose/credentials.js'
import type { DetectedStep } from '../provider.js'
import { defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

const requireKey = /^\s*config\.require_master_key\s*=\s*true\b/
// `credentials.stripe_key!` (not `!=`), `credentials.fetch(`, `credentials[:aws].fetch(`
const strictRead = /\bcredentials(?:\.\w+|\[[^\]]+\])*(?:\.[a-z_]\w*!(?!=)|\.fetch\()/

/** The code development runs at boot: the app's config, its initializers and its ERB YAML. */
function bootFiles(repo: RepoProbe): string[] {
  return [
    ...repo.list('config').map((f) => `config/${f}`),
    'config/environments/development.rb',
    ...repo.list('config/initializers').map((f) => `config/initializers/${f}`),
  ].filter((f) => /\.(rb|yml)$/.test(f))
}

/** Where development cannot boot without the key (file:line and the line), or undefined. */
function needsKey(repo: RepoProbe): string | undefined {
  for (const file of bootFiles(repo)) {
    const lines = (repo.read(file) ?? '').split('\n')
    for (const [i, line] of lines.entries()) {
      if (/^\s*#/.test(line)) continue
      const reason =
        requireKey.test(line) && /(application|development)\.rb$/.test(file)
          ? 'config.require_master_key = true'
          : strictRead.exec(line)?.[0]
      if (reason) return `${file}:${i + 1} (${reason.trim()})`
    }
  }
  return undefined
}

export const railsCredentials = defineProvider({
  name: 'rails-credentials',
  detect: ({ repo }) =>
    repo.has('config/application.rb') && railsCredentialFiles((file) => repo.has(file)) !== undefined,
  contribute: ({ repo }) => {
    const { file, key } = railsCredentialFiles((file) => repo.has(file))!
    if (repo.has(key)) return {}
    const where = needsKey(repo)
    if (!where)
      return {
        notes: [
          `${file}: development boots without ${key} (no require_master_key, no credential read at boot without a fallback); Rails then sees no credentials`,
        ],
      }
    const message = `${key} is missing, and development needs it: ${where}. Ask your team for it (it is never committed) and save it as ${key}, or export RAILS_MASTER_KEY`
    const step: DetectedStep = {
      slot: 'run: rails credentials key',
      type: 'run',
      config: undefined,
      flat: {
        name: `${key} (opens ${file})`,
        check: `test -f ${key} || test -n "$RAILS_MASTER_KEY"`,
        run: `echo ${JSON.stringify(message)} >&2; exit 1`,
      },
      why: `${where} needs ${file} opened in development, and its key is never committed: only a teammate has it`,
      // First: nothing later boots the app without it, and the fix is a person, not a command.
      orderAs: 'dotenv',
    }
    return { steps: [step] }
  },
})
