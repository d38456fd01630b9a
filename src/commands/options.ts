// Options every command takes, and how a command picks its output.
import { isCI } from '../engine/conditions.js'

export interface Output {
  out: (line: string) => void
  err: (line: string) => void
  isTTY: boolean
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stdout.isTTY),
}

export interface CommonOptions {
  cwd: string
  recipe?: string | undefined
  json?: boolean | undefined
  verbose?: boolean | undefined
  env?: NodeJS.ProcessEnv
  output?: Output
}

export interface RunOptions extends CommonOptions {
  only?: string[] | undefined
  skip?: string[] | undefined
  force?: boolean | undefined
  dryRun?: boolean | undefined
  signal?: AbortSignal
}

export type RenderMode = 'tty' | 'plain' | 'json'

export function renderMode(options: CommonOptions, output: Output): RenderMode {
  if (options.json) return 'json'
  const env = options.env ?? process.env
  // TERM=dumb (Emacs' shell, some IDE consoles) is a terminal that cannot move the cursor: an
  // animated tree there is hundreds of cursor-up sequences printed as text.
  return output.isTTY && !isCI(env) && env.TERM !== 'dumb' ? 'tty' : 'plain'
}
