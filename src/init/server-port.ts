// Which server a Node dev script starts and the port it listens on, for the restart's `health:`.
// A dev script that runs a front end AND a server (`concurrently "npm run dev-server" "npm run
// dev-client"`) is health-checked on the server: the front end's dev server answers while the
// API is down. A framework's default port counts only when that framework's own CLI starts the
// server (`medusa develop`, `vite`); Express, Koa, Fastify and Nest have none — their port is
// whatever the app passes to listen(). Found nothing: no port, and init says where it looked.
import path from 'node:path'
import { type ChainLeaf, chainLeaves } from './dev-chain.js'
import { type EnvExample, findEnvExample } from './env-example.js'
import { healthRouteWithWhy } from './health-route.js'
import { envFiles, envPort, type PortChoice, portInCode, portOfExpression } from './port-in-code.js'
import { RepoProbe } from './repo.js'
import { settingsFilePort } from './settings-file-port.js'

export type { PortChoice } from './port-in-code.js'
export type PortFinding = PortChoice | { looked: string[] }

interface Tool {
  name: string
  cli: RegExp
  port: number
  /** A front end's dev server (vite, CRA): health-checked only when no server runs beside it. */
  frontEnd?: boolean
  /** It takes PORT from the environment (CRA, Next). */
  readsPort?: boolean
  health?: string
}

const tools: Tool[] = [
  { name: 'medusa', cli: /\bmedusa\s+(?:develop|start)\b/, port: 9000, health: '/health' },
  // egg-bin's own default (@eggjs/bin's dev command), unless `--port` says otherwise.
  { name: 'egg', cli: /\begg-bin\s+dev\b/, port: 7001 },
  { name: 'strapi', cli: /\bstrapi\s+(?:develop|dev|start)\b/, port: 1337, health: '/_health' },
  { name: 'next', cli: /\bnext\s+(?:dev|start)\b|\bnext$/, port: 3000, readsPort: true },
  { name: 'nuxt', cli: /\bnuxi?\s+(?:dev|start)\b/, port: 3000, readsPort: true },
  { name: 'adonis', cli: /\bace\s+serve\b/, port: 3333, readsPort: true },
  { name: 'astro', cli: /\bastro\s+dev\b/, port: 4321 },
  { name: 'vite', cli: /\bvite(?!\s+(?:build|optimize))(?:\s|$)/, port: 5173, frontEnd: true },
  { name: 'react-scripts', cli: /\breact-scripts\s+start\b/, port: 3000, frontEnd: true, readsPort: true },
  { name: 'angular', cli: /\bng\s+serve\b/, port: 4200, frontEnd: true },
  { name: 'vue-cli', cli: /\bvue-cli-service\s+serve\b/, port: 8080, frontEnd: true },
]

// A runner of the app's own server code: its port is in that code.
const runner =
  /^(?:npx\s+)?(?:node|nodemon|ts-node|ts-node-dev|tsnd|tsx|babel-node|bun|deno|nest\s+start)(?:\s|$)/
const file = /(?:^|\s)(?:\.\/)?((?:[\w@.-]+\/)*[\w@.-]+\.[cm]?[jt]s)(?=$|\s)/
const envPrefix = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+|(?:npx\s+)?cross-env\s+|dotenv\s+(?:-e\s+\S+\s+)*--\s+)+/

export const toolOf = (leaf: ChainLeaf) => tools.find((t) => t.cli.test(leaf.command))
export const runsServerCode = (leaf: ChainLeaf) => runner.test(leaf.command.replace(envPrefix, ''))
const via = (leaf: ChainLeaf) =>
  leaf.workspace
    ? ` (${leaf.workspace} scripts.${leaf.via.join(' → ')}, via \`${leaf.runner}\`)`
    : leaf.via.length > 0
      ? ` (scripts.${leaf.via.join(' → ')})`
      : ''

/** The port of the server the dev `script` starts (its server rather than a front end beside it). */
export function serverPort(repo: RepoProbe, example: EnvExample | undefined, script: string): PortFinding {
  const leaves = chainLeaves(repo, script)
  const servers = leaves.filter((l) => runsServerCode(l) || (toolOf(l) && !toolOf(l)!.frontEnd))
  const frontEnds = leaves.filter((l) => toolOf(l)?.frontEnd)
  const looked: string[] = []
  for (const leaf of servers.length > 0 ? servers : frontEnds) {
    const found = leaf.workspace
      ? workspaceLeafPort(repo, leaf, looked)
      : (settingsPort(repo, repo, leaf) ?? leafPort(repo, example, leaf, looked))
    // The API server of a chain that also runs a front end: say which command is health-checked.
    const beside = servers.includes(leaf) ? frontEnds.map((l) => toolOf(l)!.name) : []
    // A workspace package's server: say which package, and through which runner.
    const server =
      beside.length > 0
        ? `; the server \`${leaf.command}\`${via(leaf)}, not ${beside.join(', ')} beside it`
        : leaf.workspace
          ? `; the server \`${leaf.command}\`${via(leaf)}`
          : ''
    if (found) return { ...found, why: `${found.why}${server}` }
  }
  if (servers.length === 0 && frontEnds.length === 0) {
    // An unknown command (`sh dev.sh`): package.json's main, when it listens.
    const main = mainFile(repo)
    const found = main && portInCode(repo, example, main, looked)
    if (found) return found
    if (!main) looked.push(`\`${script}\` (no server command recognised in it)`)
  }
  return { looked }
}

/**
 * The port of a workspace package's command (`nest start` in apps/server behind `turbo dev`), read
 * in that package's folder — its code, its env files, its configs — with the health route its own
 * code registers; the file:line init prints are from the repository's root.
 */
function workspaceLeafPort(repo: RepoProbe, leaf: ChainLeaf, looked: string[]): PortChoice | undefined {
  const folder = leaf.workspace!
  const probe = new RepoProbe(path.join(repo.root, folder))
  const own: string[] = []
  const inFolder = leafPort(probe, findEnvExample(probe), leaf, own)
  looked.push(...own.map((text) => `${folder}/: ${text}`))
  const found =
    settingsPort(repo, probe, leaf) ?? (inFolder && { ...inFolder, why: fromRoot(inFolder.why, folder) })
  if (!found) return undefined
  // The route is the package's own (another package's is not), and a front end's code only calls
  // routes (`fetch('/api/health')`): its dev server is checked on /.
  const route = toolOf(leaf)?.frontEnd
    ? { route: '/', why: ", health on / (a front end's dev server)" }
    : healthRouteWithWhy(probe)
  return { ...found, route: { ...route, why: fromRoot(route.why, folder) } }
}

/** A server's port from the JSON settings file its code reads (settings-file-port.ts), over its code's default. */
function settingsPort(root: RepoProbe, probe: RepoProbe, leaf: ChainLeaf): PortChoice | undefined {
  if (!runsServerCode(leaf) || toolOf(leaf)) return undefined
  const entry = entryFile(probe, leaf.command, leaf.cwd)
  return entry ? settingsFilePort(root, probe, entry) : undefined
}

/** `src/main.ts:64` → `apps/server/src/main.ts:64`: every file:line of a text written in `folder`. */
const fromRoot = (text: string, folder: string) =>
  text.replace(/(^|[\s(`])((?:[\w@.-]+\/)*[\w@-]*\.[\w.-]+:\d+)/g, `$1${folder}/$2`)

/** The port one command of the chain listens on: its flag, its code, its tool's config, its tool's default. */
function leafPort(
  repo: RepoProbe,
  example: EnvExample | undefined,
  leaf: ChainLeaf,
  looked: string[],
): PortChoice | undefined {
  const at = `the script${via(leaf)}`
  // Fixed by the command itself (`--port 4000`, `PORT=4000 node …`): nothing from outside moves it.
  const flag = /(?:--port[= ]|-p |\bPORT=)(\d{2,5})\b/.exec(leaf.command)?.[1]
  if (flag) return { port: Number(flag), why: `\`${leaf.command}\` in ${at}` }
  const tool = toolOf(leaf)
  if (runsServerCode(leaf) && !tool) {
    const entry = entryFile(repo, leaf.command, leaf.cwd)
    if (!entry) {
      looked.push(`\`${leaf.command}\` (its entry file was not found)`)
      return fixedPortKey(repo, example, looked)
    }
    return portInCode(repo, example, entry, looked) ?? fixedPortKey(repo, example, looked)
  }
  if (!tool) return undefined
  const env = envFiles(repo, example)
  if (tool.name === 'vite') {
    const found = viteConfigPort(repo, leaf.command, env, looked)
    if (found) return found
  }
  if (tool.readsPort) {
    const found = envPort(env, ['PORT'])
    if (found) return found
  }
  const health = tool.health ? { health: tool.health } : {}
  const variable = tool.readsPort ? { variable: 'PORT' } : {}
  return {
    ...variable,
    port: tool.port,
    why: `${tool.name}'s default (its CLI starts the server: \`${leaf.command}\`)`,
    ...health,
  }
}

/** The file a server command runs: `nodemon server.js`, `nest start` → nest-cli.json's entry, `node .` → main. */
export function entryFile(repo: RepoProbe, command: string, cwd?: string): string | undefined {
  if (/\bnest\s+start\b/.test(command)) {
    const nest = repo.json('nest-cli.json') ?? {}
    const root = typeof nest.sourceRoot === 'string' ? nest.sourceRoot : 'src'
    const name = typeof nest.entryFile === 'string' ? nest.entryFile : 'main'
    return repo.first([`${root}/${name}.ts`, `${root}/${name}.js`])
  }
  const bare = command.replace(envPrefix, '')
  const named = file.exec(bare)?.[1]
  // After `cd backend &&`: the file is the folder's (and no root file stands in for it).
  if (cwd) return named && repo.has(`${cwd}/${named}`) ? `${cwd}/${named}` : undefined
  if (named && repo.has(named)) return named
  // `node dev`, `node server/`: the folder's index.
  const folder = /^(?:npx\s+)?\S+(?:\s+-\S+)*\s+\.?\/?([\w@-]+(?:\/[\w@-]+)*)\/?(?:\s|$)/.exec(bare)?.[1]
  const index =
    folder && repo.isDir(folder) ? repo.first([`${folder}/index.js`, `${folder}/index.ts`]) : undefined
  if (index) return index
  // `node dist/index.js` of a TypeScript app: its source.
  const built = named && /^(?:dist|build|lib|out)\/(.+)\.js$/.exec(named)?.[1]
  const source = built && repo.first([`src/${built}.ts`, `${built}.ts`, `src/${built}.js`, `${built}.js`])
  return source ?? mainFile(repo)
}

function mainFile(repo: RepoProbe): string | undefined {
  const main = repo.json('package.json')?.main
  const candidates = typeof main === 'string' ? [main, `${main}.js`, `${main}/index.js`] : []
  return repo.first([...candidates, 'index.js', 'server.js', 'app.js'].filter((f) => !repo.isDir(f)))
}

/** Code that reads its port some way init does not follow, with `PORT=4100` in the app's env. */
function fixedPortKey(
  repo: RepoProbe,
  example: EnvExample | undefined,
  looked: string[],
): PortChoice | undefined {
  const keys = ['PORT', 'APP_PORT', 'SERVER_PORT', 'HTTP_PORT', 'API_PORT', 'WEB_PORT', 'NODE_PORT']
  const found = envPort(envFiles(repo, example), keys)
  if (!found) looked.push(`the env files for ${keys.join(', ')}`)
  return found && { ...found, why: `${found.why} (the code that reads it was not found)` }
}

/** A vite config's `server: { port }` (the one `--config` names, else vite.config.*). */
function viteConfigPort(
  repo: RepoProbe,
  command: string,
  env: ReturnType<typeof envFiles>,
  looked: string[],
): PortChoice | undefined {
  const named = /--config[= ](\S+)/.exec(command)?.[1]?.replace(/^\.\//, '')
  const config = named ?? repo.first(['js', 'ts', 'mjs', 'mts', 'cjs'].map((e) => `vite.config.${e}`))
  if (!config) return undefined
  const text = repo.read(config) ?? ''
  // Only inside `server: { … }`: a test runner's `api: { port: 5180 }` elsewhere is not vite's.
  const start = /\bserver\s*:\s*\{/.exec(text)?.index
  const block = start === undefined ? '' : braced(text.slice(start))
  const value = /\bport\s*:\s*([^\n,}]+)/.exec(block)
  // `server: { port }` with `const port = Number(process.env.PORT) || 3000` above.
  const short =
    !value && /\bport\s*[,}\n]/.test(block) ? /\b(?:const|let|var)\s+port\s*=\s*(.+)$/m.exec(text) : null
  const found = value
    ? { index: start! + value.index, expression: value[1]! }
    : short && { index: short.index, expression: short[1]! }
  if (!found) {
    looked.push(`${config} (no server.port)`)
    return undefined
  }
  const line = text.slice(0, found.index).split('\n').length
  return portOfExpression(found.expression, env, `${config}:${line}`, looked)
}

/** `{ … }` from the first brace of `text` to the one that closes it. */
function braced(text: string): string {
  let depth = 0
  for (let i = text.indexOf('{'); i >= 0 && i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return text.slice(0, i + 1)
  }
  return text
}
