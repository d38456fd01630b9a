// Config files a repository ships only as examples (`config/database.yml.example`,
// `config/storage.yml.sample`, `ormconfig.json.example`): the app reads the real file, which is
// gitignored and missing in a fresh clone. A `run` step copies each once; an existing file — a
// person's own settings — is never replaced (`creates:`).
import { type DetectedStep, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

const suffix = /^(.+\.(?:ya?ml|json|js|rb|toml|ini|conf))\.(example|sample|dist|template)$/

export const configExamples = defineProvider({
  name: 'config-examples',
  detect: ({ repo }) => configExampleFiles(repo).length > 0,
  contribute: ({ repo }) => ({ steps: configExampleFiles(repo).map(copyStep) }),
})

/** Example config files whose real file is missing, at the root and in config/. */
export function configExampleFiles(repo: RepoProbe): { example: string; target: string }[] {
  return ['', 'config/']
    .flatMap((dir) => repo.list(dir || '.').map((name) => `${dir}${name}`))
    .map((example) => ({ example, target: suffix.exec(example)?.[1] }))
    .filter((f): f is { example: string; target: string } => f.target !== undefined && !repo.has(f.target))
}

function copyStep({ example, target }: { example: string; target: string }): DetectedStep {
  return {
    slot: `run: ${target}`,
    type: 'run',
    config: undefined,
    flat: { name: `${target} from ${example}`, run: `cp ${example} ${target}`, creates: target },
    why: `${target} is missing; the repository ships ${example}`,
    orderAs: 'dotenv',
  }
}
