// Runs a package manager's command for the run phase: as root, through `sudo -n` when not
// root, and never waiting on a prompt. Failures carry the manager's own words.
import { CommandError, UserError } from '../../errors.js'
import type { RunContext } from '../define.js'
import type { Machine } from './machine.js'
import type { Manager } from './manager.js'

/** The command as a person would type it: `sudo apt-get install -y libpq-dev`. */
export function handCommand(manager: Manager, args: string[], machine: Machine): string {
  return `${manager.needsRoot && !machine.root ? 'sudo ' : ''}${args.join(' ')}`
}

/**
 * Runs `args` with the manager's environment. `hand` is the whole sequence still to do
 * (update + install), shown when sudo cannot run without a password.
 */
export async function runManagerCommand(
  manager: Manager,
  args: string[],
  machine: Machine,
  ctx: RunContext,
  hand: string,
): Promise<void> {
  const env = manager.env ?? {}
  let argv = args
  const viaSudo = manager.needsRoot && !machine.root
  if (viaSudo) {
    if (!machine.which('sudo')) {
      throw new UserError(
        `installing with ${manager.key} needs root, and sudo is not on this machine`,
        `run as root: ${hand.replaceAll('sudo ', '')}`,
      )
    }
    // sudo resets the environment; `env` carries DEBIAN_FRONTEND through whatever the sudoers policy.
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`)
    argv = ['sudo', '-n', ...(assignments.length > 0 ? ['env', ...assignments] : []), ...args]
  }
  const result = await ctx.exec(argv, { reject: false, env })
  if (result.exitCode === 0) return

  const sudoLine = viaSudo ? result.stderr.split('\n').find((line) => line.startsWith('sudo:')) : undefined
  if (sudoLine) {
    const needsPassword = /password|terminal is required|askpass/i.test(sudoLine)
    throw new UserError(
      needsPassword
        ? `sudo needs a password to run ${args[0]} (devsetup never waits for one)`
        : `sudo refused to run ${args[0]}: ${sudoLine.replace(/^sudo:\s*/, '')}`,
      `run by hand: ${hand}, then run devsetup again`,
    )
  }
  const tail = result.all.split('\n').slice(-20)
  throw new CommandError(
    result.command,
    result.exitCode,
    tail,
    `${args.slice(0, 2).join(' ')} failed: ${managerMessage(result.all) || `exit code ${result.exitCode}`}`,
  )
}

/**
 * The manager's own error lines: apt "E: Unable to locate package foo", dnf "Error: Unable to
 * find a match: foo", pacman "error: target not found: foo", brew "Error: No available formula…".
 */
export function managerMessage(output: string): string {
  const lines = output.split('\n').map((line) => line.trim())
  const errors = lines.filter((line) => /^(E|Err|Error|ERROR|error|No match for argument):/.test(line))
  if (errors.length > 0) return [...new Set(errors)].slice(0, 3).join(' / ')
  return lines.filter(Boolean).at(-1) ?? ''
}
