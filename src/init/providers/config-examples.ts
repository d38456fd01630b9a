// Config files a repository ships only as examples (`config/database.yml.example`,
// `config/database.example.yml`, `config/storage.yml.sample`, `ormconfig.json.example`): the app reads the real file, which is
// gitignored and missing in a fresh clone. A `run` step copies each once; an existing file — a
// person's own settings — is never replaced (`creates:`). Besides these, the copies the README or
// the code names anywhere (named-config.ts: `cp src/config.ts.example src/config.ts`, a missing
// `./dev` whose example the README points at).
import { namedConfigCopies } from '../named-config.js'
import { type DetectedStep, defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

const suffix = /^(.+\.(?:ya?ml|json|js|rb|toml|ini|conf))\.(example|sample|dist|template)$/
// The marker before the extension (`config/database.example.yml`, CodeTriage's), in config/ only:
// at the root such names are more often documentation than a file the app reads.
const infix = /^(config\/[\w-]+)\.(?:example|sample|dist|template)(\.(?:ya?ml|json))$/

/** The real file an example stands for: `config/database.yml` for `….yml.example` and `….example.yml`. */
const targetOf = (example: string): string | undefined => {
  const bySuffix = suffix.exec(example)?.[1]
  if (bySuffix) return bySuffix
  const m = infix.exec(example)
  return m ? `${m[1]}${m[2]}` : undefined
}

export const configExamples = defineProvider({
  name: 'config-examples',
  detect: ({ repo }) => allCopies(repo).length > 0,
  contribute: ({ repo }) => ({ steps: allCopies(repo).map(copyStep) }),
})

function allCopies(repo: RepoProbe): { example: string; target: string; why?: string }[] {
  const known = configExampleFiles(repo)
  const named = namedConfigCopies(repo).filter((c) => !known.some((k) => k.target === c.target))
  return [...known, ...named]
}

/** Example config files whose real file is missing, at the root and in config/. */
export function configExampleFiles(repo: RepoProbe): { example: string; target: string }[] {
  return ['', 'config/']
    .flatMap((dir) => repo.list(dir || '.').map((name) => `${dir}${name}`))
    .map((example) => ({ example, target: targetOf(example) }))
    .filter((f): f is { example: string; target: string } => f.target !== undefined && !repo.has(f.target))
}

/** The file the app reads, or the example init copies to it first: what to read for its values. */
export function configOrExample(repo: RepoProbe, target: string): string | undefined {
  if (repo.has(target)) return target
  return configExampleFiles(repo).find((f) => f.target === target)?.example
}

function copyStep({ example, target, why }: { example: string; target: string; why?: string }): DetectedStep {
  return {
    slot: `run: ${target}`,
    type: 'run',
    config: undefined,
    flat: { name: `${target} from ${example}`, run: `cp ${example} ${target}`, creates: target },
    why: why ?? `${target} is missing; the repository ships ${example}`,
    orderAs: 'dotenv',
  }
}
