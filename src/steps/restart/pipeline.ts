// A start that is a shell pipeline (`node src/index.ts | pino-pretty`) ends with the status of
// its last command: the app exits 1, pino-pretty sees its input close and exits 0, and the start
// "exited 0". Taken for a daemonizing start, that sent users after a `pidfile:` they do not need
// (fastify-drizzle-orm-starter-kit's `pnpm start:dev`). So an exit 0 is first checked against the
// command, and the package.json script it runs, for a top-level `|`.
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** The top-level pipeline stages of a shell command: `|` outside quotes and parentheses, not `||`. */
function pipelineStages(command: string): string[] {
  const stages: string[] = []
  let quote: string | undefined
  let depth = 0
  let from = 0
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!
    if (c === '\\' && quote !== "'") i++
    else if (quote) {
      if (c === quote) quote = undefined
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if (c === '(' || c === '{') depth++
    else if ((c === ')' || c === '}') && depth > 0) depth--
    else if (c === '|' && depth === 0) {
      if (command[i + 1] === '|') i++
      else if (command[i - 1] !== '>') {
        // `|&` pipes stderr too: still a pipe.
        stages.push(command.slice(from, i))
        from = command[i + 1] === '&' ? i + 2 : i + 1
      }
    }
  }
  return stages.length === 0 ? [] : [...stages, command.slice(from)]
}

/** The program a stage runs: its first word after any `NAME=value` assignments. */
const program = (stage: string) =>
  stage
    .trim()
    .split(/\s+/)
    .find((word) => !/^\w+=/.test(word))
    ?.replace(/^.*\//, '')

// `npm run dev`, `npm run-script dev`, `npm start`, `pnpm dev`, `pnpm run dev`, `yarn dev`.
const runsScript =
  /^(?:\w+=\S*\s+)*(?:npm\s+(?:run(?:-script)?\s+(\S+)|(start))|(?:pnpm|yarn)\s+(?:run\s+)?(\S+))/

function scriptOf(command: string, cwd: string): string | undefined {
  const match = command.trim().match(runsScript)
  const name = match?.[1] ?? match?.[2] ?? match?.[3]
  if (!name) return undefined
  try {
    const scripts = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')).scripts
    const script = scripts?.[name]
    return typeof script === 'string' ? script : undefined
  } catch {
    return undefined
  }
}

/**
 * The last program of the pipeline `command` is, directly or through the package.json script
 * it runs (followed three scripts deep), or undefined when it is no pipeline.
 */
export function pipelineEnd(command: string, cwd: string): string | undefined {
  let current: string | undefined = command
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    const stages = pipelineStages(current)
    if (stages.length > 0) return program(stages.at(-1)!) ?? stages.at(-1)!.trim()
    current = scriptOf(current, cwd)
  }
  return undefined
}
