// `run`: the escape hatch. A command, plus how to tell it is already done:
// `check` (a command that exits 0), `creates` (a path or glob that exists) or
// `inputs` (globs whose content fingerprint matches the last success). All given must hold.
import { lstat } from 'node:fs/promises'
import path from 'node:path'
import * as z from 'zod'
import { fingerprintFiles, mayBeGlob } from '../engine/fingerprint.js'
import { relativePath } from '../recipe/schema.js'
import { type CheckResult, defineStepType } from './define.js'
import { shorten } from './text.js'

const globList = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]))

const schema = z.strictObject({
  run: z.string().min(1).describe('The shell command to run'),
  check: z.string().min(1).optional().describe('A command that exits 0 when the step is already done'),
  creates: z
    .union([relativePath, z.array(relativePath).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .describe('A path or glob (relative to the step cwd) that exists once the step is done'),
  inputs: globList.optional().describe('Globs whose content, unchanged since the last success, means done'),
})

type RunConfig = z.output<typeof schema>

export const run = defineStepType({
  type: 'run',
  description: 'run a shell command, unless `check`, `creates` or `inputs` says it is done',
  form: 'flat',
  schema,
  title: (cfg) => `Run ${shorten(cfg.run.split('\n')[0]!)}`,

  async check(cfg, ctx): Promise<CheckResult> {
    if (!cfg.check && !cfg.creates && !cfg.inputs) {
      // Nothing to ask: the command's own success is all there is to verify.
      if (ctx.phase === 'verify') return { met: true, reason: 'ran' }
      return { met: false, reason: 'no check, creates or inputs: runs every time' }
    }
    if (cfg.creates) {
      const missing = await missingPaths(cfg.creates, ctx.cwd)
      if (missing.length > 0) return { met: false, reason: `${missing.join(', ')} missing` }
    }
    if (cfg.inputs) {
      const recorded = ctx.state.get<string>('inputs')
      if (recorded === undefined) return { met: false, reason: 'never run here' }
      const { hash } = await fingerprintFiles(cfg.inputs, ctx.cwd)
      if (hash !== recorded)
        return { met: false, reason: `${cfg.inputs.join(', ')} changed since the last run` }
    }
    if (cfg.check) {
      const result = await ctx.exec(cfg.check, { reject: false })
      if (result.exitCode !== 0)
        return { met: false, reason: `check \`${shorten(cfg.check)}\` exited ${result.exitCode}` }
    }
    return { met: true, reason: metReason(cfg) }
  },

  async run(cfg, ctx) {
    await ctx.exec(cfg.run)
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
  // A plain path is asked of the file system directly: that is faster, and it counts a
  // symbolic link (`node_modules/.bin/tsc`), which the glob walker leaves out. tinyglobby is
  // loaded only for a pattern that may be a glob.
  const tinyglobby = mayBeGlob(pattern) ? await import('tinyglobby') : undefined
  if (!tinyglobby?.isDynamicPattern(pattern)) {
    return lstat(path.resolve(cwd, pattern)).then(
      () => true,
      () => false,
    )
  }
  const matches = await tinyglobby.glob(pattern, {
    cwd,
    dot: true,
    onlyFiles: false,
    expandDirectories: false,
  })
  return matches.length > 0
}
