// A Go module's server: the main package that listens (`http.ListenAndServe`, gin's `Run`,
// fiber's `Listen`), started with `go run`, on the port its example env or source gives.
import { type EnvExample, whereIn } from '../env-example.js'
import { healthRoute, healthUrl, type ServerPort } from '../health-route.js'
import { defineProvider } from '../provider.js'
import type { RepoProbe } from '../repo.js'

const listens = /ListenAndServe|\.Run\(|\.Listen\(|http\.Server\{/

export const go = defineProvider({
  name: 'go',
  detect: ({ repo }) => repo.has('go.mod'),
  contribute: ({ repo, example }) => {
    const main = mainPackage(repo)
    if (!main) return {}
    const port = serverPort(repo, example, main.file)
    const config: Record<string, unknown> = { start: `go run ${main.pkg}` }
    if (port) config.health = healthUrl(port, healthRoute(repo, [main.file]))
    return {
      devServer: [
        {
          slot: 'restart',
          type: 'restart',
          config,
          why: `${main.file} listens${port ? `, port ${port.port} from ${port.why}` : ''}`,
        },
      ],
    }
  },
})

function mainPackage(repo: RepoProbe): { pkg: string; file: string } | undefined {
  const candidates = [
    { pkg: '.', file: 'main.go' },
    ...repo.list('cmd').map((dir) => ({ pkg: `./cmd/${dir}`, file: `cmd/${dir}/main.go` })),
  ]
  return candidates.find((c) => listens.test(repo.read(c.file) ?? ''))
}

function serverPort(
  repo: RepoProbe,
  example: EnvExample | undefined,
  file: string,
): (ServerPort & { why: string }) | undefined {
  for (const [key, value] of Object.entries(example?.vars ?? {})) {
    const port = /^(?:[\w.-]*:)?(\d{2,5})$/.exec(value)?.[1]
    // PORT=8080 moves with the shell's PORT; ADDR=:8080 is a whole address, kept as written.
    const variable = /PORT$/.test(key) && value === port ? { variable: key } : {}
    if (port && /(PORT|ADDR)$/.test(key))
      return { port: Number(port), ...variable, why: whereIn(example!, [key]) }
  }
  const literal = /["'](?:[\w.-]*):(\d{2,5})["']/.exec(repo.read(file) ?? '')?.[1]
  return literal ? { port: Number(literal), why: file } : undefined
}
