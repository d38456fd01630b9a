// `run`: the escape hatch. A command, plus how to tell it is already done:
// `check` (a command that exits 0), `creates` (a path or glob that exists) or
// `inputs` (globs whose content fingerprint matches the last success). All given must hold.
import { lstatSync } from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import { fingerprintFiles, mayBeGlob } from '../engine/fingerprint.js'
import { type CheckResult, defineStepBehavior } from './define.js'
import { groupListenPorts } from './restart/port.js'
import type { schema } from './run/schema.js'
import { inputWatch } from './run/waiting-input.js'
import { shorten } from './text.js'

const servingSeconds = 10

type RunConfig = z.output<typeof schema>

export const run = defineStepBehavior<typeof schema>({
  type: 'run',
  description: 'run a shell command, unless `check`, `creates` or `inputs` says it is done',
  form: 'flat',
  title: (cfg) => `Run ${shorten(cfg.run.split('\n')[0]!)}`,

  async check(cfg, ctx): Promise<CheckResult> {
    if (!cfg.check && !cfg.creates && !cfg.inputs) {
      // Nothing to ask: the command's own success is all there is to verify.
      if (ctx.phase === 'verify') return { met: true, reason: 'ran' }
      return { met: false, reason: 'no check, creates or inputs: runs every time' }
    }
    if (cfg.creates) {
      const missing = await missingPaths(cfg.creates, ctx.cwd)
      if (missing.length > 0) return { met: false, reason: `${missing.join(', ')} missing`, fix: cfg.run }
    }
    if (cfg.inputs) {
      const recorded = ctx.state.get<string>('inputs')
      if (recorded === undefined) return { met: false, reason: 'never run here' }
      const { hash } = await fingerprintFiles(cfg.inputs, ctx.cwd)
      if (hash !== recorded)
        return { met: false, reason: `${cfg.inputs.join(', ')} changed since the last run` }
    }
    if (cfg.check) {
      const result = await ctx.exec(cfg.check, { reject: false, nameFailedLine: true })
      if (result.exitCode !== 0)
        return {
          met: false,
          reason: `check ${checkName(cfg.check, result.failedLine)} exited ${result.exitCode}`,
          fix: cfg.run,
        }
    }
    return { met: true, reason: metReason(cfg) }
  },

  async run(cfg, ctx) {
    // A command that serves never ends, and `up` would wait on it for ever. One that starts a
    // daemon and returns (`pg_ctl start -w`) listens for a moment only: 10 s of listening while
    // the command still runs is a server.
    let listeningFor = 0
    const serving = (pgid: number) => {
      const ports = groupListenPorts(pgid)
      listeningFor = ports.length > 0 ? listeningFor + 1 : 0
      return listeningFor >= servingSeconds
        ? `it has served on port ${ports.join(', ')} for ${servingSeconds}s without ending: a server is no \`run\` step; start it with \`restart\` (\`start:\`)`
        : undefined
    }
    // A command that asks a question waits on the stdin devsetup holds and never writes.
    const waiting = inputWatch()
    await ctx.exec(cfg.run, {
      nameFailedLine: true,
      holdStdin: true,
      watch: (pgid, output) => serving(pgid) ?? waiting(pgid, output),
    })
    if (cfg.inputs) ctx.state.set('inputs', (await fingerprintFiles(cfg.inputs, ctx.cwd)).hash)
    // The verify check decides whether this is true; this line is shown only when it is.
    const done = [`ran \`${shorten(cfg.run.split('\n')[0]!)}\``]
    if (cfg.creates) done.push(`now ${cfg.creates.join(', ')} ${cfg.creates.length > 1 ? 'exist' : 'exists'}`)
    if (cfg.inputs) done.push('inputs recorded')
    if (cfg.check) done.push('check passes')
    return { summary: done.join('; ') }
  },

  preview: (cfg) => [cfg.run],

  lint: (cfg) =>
    cfg.check || cfg.creates || cfg.inputs
      ? []
      : ['has no `check`, `creates` or `inputs`, so it runs on every `up` (not idempotent)'],
})

/** A multi-line check by the line that failed (exec traces it), else by its first line. */
function checkName(check: string, failed: { line: number; text: string } | undefined): string {
  if (failed) return `\`${shorten(failed.text)}\` (line ${failed.line})`
  const lines = check.trim().split('\n')
  return `\`${shorten(lines[0]!)}${lines.length > 1 ? ' …' : ''}\``
}

function metReason(cfg: RunConfig): string {
  const reasons: string[] = []
  if (cfg.creates) reasons.push(`${cfg.creates.join(', ')} ${cfg.creates.length > 1 ? 'exist' : 'exists'}`)
  if (cfg.inputs) reasons.push('inputs unchanged')
  if (cfg.check) reasons.push('check passed')
  return reasons.join(', ')
}

async function missingPaths(patterns: string[], cwd: string): Promise<string[]> {
  const found = await Promise.all(patterns.map((pattern) => exists(pattern, cwd)))
  return patterns.filter((_, i) => !found[i])
}

async function exists(pattern: string, cwd: string): Promise<boolean> {
  // A plain path is asked of the file system directly: that is faster (a stat; the glob
  // library is not even loaded), and it counts a symbolic link (`node_modules/.bin/tsc`),
  // which the glob walker leaves out.
  const tinyglobby = mayBeGlob(pattern) ? await import('tinyglobby') : undefined
  if (!tinyglobby?.isDynamicPattern(pattern)) {
    try {
      return lstatSync(path.resolve(cwd, pattern), { throwIfNoEntry: false }) !== undefined
    } catch {
      return false
    }
  }
  const matches = await tinyglobby.glob(pattern, {
    cwd,
    dot: true,
    onlyFiles: false,
    expandDirectories: false,
  })
  return matches.length > 0
}
