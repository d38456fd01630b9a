// Runs one manager's install and turns its failure into the manager's own words:
// "package-lock.json is out of sync with package.json: run `npm install` ..." or its
// first error line, rather than "`npm ci` exited with code 1".
import { CommandError } from '../../errors.js'
import type { ExecResult, RunContext } from '../define.js'
import { shorten } from '../text.js'
import { launchOrThrow, shown } from './launch.js'
import type { Manager, Project } from './managers.js'
import { pnpmPin } from './pnpm-major.js'

/** The line that says what an install did ("added 3 packages ..."), shown after `changed`. */
const summaryLine =
  /^(added \d|removed \d|changed \d|up to date|Successfully installed|Bundle complete|Installed \d|Done in|Resolved \d+ packages|Audited \d)/i

/** Installs; returns a one-line summary. Throws CommandError with the manager's reason. */
export async function install(m: Manager, project: Project, ctx: RunContext): Promise<string> {
  let summary = ''
  for (const argv of m.commands(project)) summary = await runInstallCommand(m, project, ctx, argv)
  return summary
}

/** One command of an install, `env` added to the step's; "command: what it said it did". */
export async function runInstallCommand(
  m: Manager,
  project: Project,
  ctx: RunContext,
  argv: readonly string[],
  env: Record<string, string> = {},
): Promise<string> {
  const command = await launchOrThrow(argv, m, project.dir, ctx.env)
  const result = await ctx.exec(command, { cwd: project.dir, env, reject: false })
  // What stands for argv[0] here (`corepack pnpm@10`): the out-of-sync fix runs the same program.
  const program = shown(command.slice(0, command.length - argv.length + 1), project.dir)
  if (result.exitCode !== 0) throw installFailure(m, project, result, program)
  // A pnpm major chosen from the lockfile: which, and why, in the step's output.
  const pin = command.some((arg) => arg.startsWith('pnpm@')) ? await pnpmPin(project.dir) : undefined
  const shownCommand = shown(command, project.dir) + (pin ? ` (${pin.why})` : '')
  const summary = stripAnsi(result.all)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => summaryLine.test(line))
  return summary ? `${shownCommand}: ${shorten(summary, 80)}` : shownCommand
}

export function installFailure(
  m: Manager,
  project: Project,
  result: ExecResult,
  program = m.binary,
): CommandError {
  const lines = stripAnsi(result.all).split(/\r?\n/)
  const syncLine = m.outOfSync ? lines.findIndex((line) => m.outOfSync!.pattern.test(line)) : -1
  const ownLine = lines.findIndex((line) => m.errorLine.test(line.trim()))
  const first = syncLine >= 0 ? syncLine : ownLine
  // The lines from the manager's first error on, not its usage text that often follows.
  const tail = first >= 0 ? lines.slice(first, first + 20) : lines.slice(-20)
  if (syncLine >= 0) {
    const manifest = m.manifests.find((f) => project.present.has(f)) ?? m.manifests[0]!
    const lockfile = project.lockfile ?? m.lockfiles[0] ?? 'the lockfile'
    return new CommandError(
      result.command,
      result.exitCode,
      tail,
      `${lockfile} is out of sync with ${manifest}: run \`${m.outOfSync!.fix.replace(new RegExp(`^${m.binary}\\b`), program)}\` to update ${lockfile}, then commit it`,
      result.all,
    )
  }
  const reason =
    scriptFailure(lines) ??
    (ownLine >= 0 ? lines[ownLine]!.trim() : `\`${result.command}\` exited with code ${result.exitCode}`)
  return new CommandError(
    result.command,
    result.exitCode,
    tail,
    reason.length > 200 ? `${reason.slice(0, 199)}…` : reason,
    // All of it for the failure diagnosis: a native build's missing header is far above the tail.
    result.all,
  )
}

// npm's report of a package's own install script that failed: `command failed` says nothing, so
// the reason names the package (from `npm error path …/node_modules/<pkg>`) and the script's own
// last error line (codimd's pandoc and lin-cms-koa's sharp: `getaddrinfo ENOTFOUND github.com`).
const npmMeta =
  /^npm (?:error|ERR!) (?:code |errno |syscall |path |command |signal |A complete log|Log files)/

function scriptFailure(lines: string[]): string | undefined {
  const failed = lines.findIndex((line) => /^npm (?:error|ERR!) command failed$/.test(line.trim()))
  if (failed < 0) return undefined
  const block = lines.slice(Math.max(0, failed - 3), failed + 40).map((line) => line.trim())
  const where = block.map((line) => /^npm (?:error|ERR!) path (.+)$/.exec(line)?.[1]).find(Boolean)
  const pkg = where ? /node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(where)?.[1] : undefined
  const own = block
    .slice(block.findIndex((line) => /command failed$/.test(line)) + 1)
    .filter((line) => /^npm (?:error|ERR!) /.test(line) && !npmMeta.test(line))
    .map((line) => line.replace(/^npm (?:error|ERR!) /, '').trim())
    .filter((line) => line !== '')
  const said =
    own
      .filter((line) => /error|fail|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|not found|cannot/i.test(line))
      .at(-1) ?? own.at(-1)
  if (!pkg && !said) return undefined
  return `${pkg ? `the install script of ${pkg}` : 'an install script'} failed${said ? `: ${said}` : ''}`
}

const ansi = /\u001b\[[0-9;]*[A-Za-z]/g
const stripAnsi = (text: string) => text.replace(ansi, '')
