// `devsetup ps`: what devsetup keeps running for this repository — the servers `service` steps
// set up and the dev server a `restart` step started — each with its pid, port, start, log and
// whether it answers right now (asked, not remembered). Changes nothing; `devsetup stop` stops them.
import path from 'node:path'
import chalk from 'chalk'
import { definedEnv } from '../engine/context.js'
import { createExec } from '../engine/exec.js'
import { timeAgo } from '../engine/recipe-changes.js'
import { displayPath } from '../engine/state-dir.js'
import { ExitCode as Exit, type ExitCode } from '../errors.js'
import { findRecipe } from '../recipe/load.js'
import { type Kept, keptRunning } from '../steps/running.js'
import { type CommonOptions, type Output, processOutput } from './options.js'

export interface PsOptions extends CommonOptions {
  signal?: AbortSignal
}

/** The repository's root and what devsetup keeps running for it: shared by `ps` and `stop`. */
export async function repositoryKept(options: PsOptions): Promise<{ root: string; kept: Kept[] }> {
  const root = path.dirname(findRecipe(options.cwd, options.recipe))
  const env = definedEnv(options.env ?? process.env)
  const exec = createExec({
    cwd: root,
    env: () => env,
    signal: options.signal ?? new AbortController().signal,
  })
  return { root, kept: await keptRunning(root, env, exec) }
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/** `14:05 (3 minutes ago)`, with the date when it was not today. */
function since(iso: string, now = new Date()): string {
  const at = new Date(iso)
  const time = `${pad2(at.getHours())}:${pad2(at.getMinutes())}`
  const day = `${at.getFullYear()}-${pad2(at.getMonth() + 1)}-${pad2(at.getDate())}`
  const today = at.toDateString() === now.toDateString()
  return `${today ? time : `${day} ${time}`} (${timeAgo(iso, now.getTime())})`
}

const statusOf = (k: Pick<Kept, 'running' | 'healthy'>) =>
  !k.running ? 'stopped' : k.healthy ? 'healthy' : 'unhealthy'
const colored: Record<string, (s: string) => string> = {
  healthy: chalk.green,
  unhealthy: chalk.red,
  stopped: chalk.dim,
}

export async function ps(options: PsOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const { root, kept } = await repositoryKept(options)
  if (options.json) {
    const entries = kept.map(({ stop: _stop, ...k }) => ({ ...k, status: statusOf(k) }))
    output.out(JSON.stringify({ repository: root, running: entries }))
    return Exit.ok
  }
  if (kept.length === 0) {
    output.out(
      'devsetup runs nothing for this repository now (nothing started by a `service` or `restart: start:` step is running: never started, or stopped)',
    )
    return Exit.ok
  }
  const home = options.env?.HOME ?? process.env.HOME
  const rows = kept.map((k) => [
    k.name,
    statusOf(k),
    k.pid === undefined ? '-' : String(k.pid),
    k.port === undefined ? '-' : String(k.port),
    k.since === undefined ? '-' : since(k.since),
    k.log === undefined ? '-' : displayPath(k.log, root, { HOME: home }),
  ])
  const header = ['NAME', 'STATUS', 'PID', 'PORT', 'SINCE', 'LOG']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[], color = (_: number, s: string) => s) =>
    cells
      .map((c, i) => color(i, i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  output.out(chalk.bold(line(header)))
  for (const row of rows) output.out(line(row, (i, s) => (i === 1 ? colored[row[1]!]!(s) : s)))
  output.out('')
  for (const k of kept)
    output.out(`${chalk.bold(k.name)}: ${k.title === k.name ? '' : `${k.title}, `}${k.detail}`)
  output.out(
    chalk.dim('\n`devsetup stop` stops them all, `devsetup stop <name>` the ones named; data is kept.'),
  )
  return Exit.ok
}
