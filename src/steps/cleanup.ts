// `cleanup`: the `rm -f log/*; rm -rf tmp/cache` of a bin/setup, confined to the repository.
// Patterns that could leave it, or that match everything in the step's folder, are recipe
// errors (cleanup/schema.ts); a match whose real location is outside (through a symlinked
// parent) is left alone; links are removed as links, never followed; `.git` and `.devsetup`
// are never touched; files tracked by git are never deleted.
import type { z } from 'zod'
import { describeTotals, describeTracked } from './cleanup/describe.js'
import { removeListing } from './cleanup/remove.js'
import type { schema } from './cleanup/schema.js'
import { Sweep, type SweepTotals } from './cleanup/sweep.js'
import { resolveKeep, resolveTargets } from './cleanup/targets.js'
import { nothingTracked, type Tracked, trackedFiles } from './cleanup/tracked.js'
import { type CheckResult, defineStepBehavior, type RunContext } from './define.js'

type CleanupConfig = z.output<typeof schema>

export const cleanup = defineStepBehavior<typeof schema>({
  type: 'cleanup',
  // Deleting junk (old logs, caches) is nothing a running server needs to notice.
  restarts: false,
  description: 'delete files matching globs inside the repository (logs, caches); reports count and size',
  form: 'nested',
  title: (cfg) =>
    `Clean ${cfg.paths.join(', ')}${cfg.older_than ? ` older than ${cfg.older_than.text}` : ''}`,

  async check(cfg, ctx): Promise<CheckResult> {
    const counted = await count(cfg, ctx)
    // The run that usually follows deletes this listing instead of walking the tree again.
    if (!cfg.older_than) recentListings.set(cfg, { ...counted, cwd: ctx.cwd, at: Date.now() })
    const { totals, outside } = counted
    const left =
      describeTracked(totals) +
      (outside.length > 0
        ? `; left alone (outside the repository through a link): ${outside.join(', ')}`
        : '')
    if (totals.files === 0 && totals.emptyFolders === 0)
      return { met: true, reason: `nothing to clean${left}` }
    // The app's own log and cache, written again while it runs: there to clean, not a fault.
    if (!cfg.required)
      return {
        met: true,
        reason: `${describeTotals(totals)}${left}; cleaned after a change (required: false)`,
      }
    return { met: false, reason: `${describeTotals(totals)}${left}` }
  },

  async run(cfg, ctx) {
    const recent = recentListings.get(cfg)
    recentListings.delete(cfg)
    const fresh = recent && recent.cwd === ctx.cwd && Date.now() - recent.at < listingMaxAgeMs
    const counted = fresh ? recent : await count(cfg, ctx)
    const { listing, outside, tracked } = counted
    for (const rel of outside) ctx.output(`left alone: ${rel} (a symbolic link leads out of the repository)`)
    const removed = await removeListing(listing, ctx.root, ctx.signal)
    // Whatever appeared since the listing (or could not be listed safely) goes in a second pass.
    const rest = await sweep(cfg, ctx, true, tracked, new Set(counted.asWritten))
    const asWritten = [...new Set([...counted.asWritten, ...rest.asWritten])].sort()
    if (asWritten.length > 0) ctx.state.set(asWrittenKey, asWritten)
    const totals: SweepTotals = {
      files: removed.files + rest.totals.files,
      bytes:
        removed.bytes === undefined || rest.totals.bytes === undefined
          ? undefined
          : removed.bytes + rest.totals.bytes,
      emptyFolders: removed.emptyFolders + rest.totals.emptyFolders,
      tracked: rest.totals.tracked,
    }
    return { summary: `deleted ${describeTotals(totals)}${describeTracked(totals)}` }
  },
})

/** A listing older than this is not trusted for deleting: the run walks the tree again. */
const listingMaxAgeMs = 60_000
const recentListings = new WeakMap<
  CleanupConfig,
  Awaited<ReturnType<typeof count>> & { cwd: string; at: number }
>()

type SweepContext = Pick<RunContext, 'cwd' | 'root' | 'signal' | 'exec' | 'state'>

/** State key: glob-looking patterns that named an existing path (see readPatterns in targets.ts). */
const asWrittenKey = 'namedAsWritten'

function count(cfg: CleanupConfig, ctx: SweepContext) {
  return sweep(cfg, ctx, false)
}

/** `known`: git's answer from the counting sweep, reused when it covers the same targets. */
async function sweep(
  cfg: CleanupConfig,
  ctx: SweepContext,
  remove: boolean,
  known?: Tracked,
  namedBefore: ReadonlySet<string> = new Set(),
) {
  const keep = await resolveKeep(cfg.keep ?? [], ctx.cwd)
  const remembered = new Set([...(ctx.state.get<string[]>(asWrittenKey) ?? []), ...namedBefore])
  const { targets, outside, asWritten } = await resolveTargets(cfg.paths, ctx.cwd, ctx.root, keep, remembered)
  const cutoffMs = cfg.older_than ? Date.now() - cfg.older_than.ms : undefined
  const walk = async (tracked: Tracked, stopAtFirst = false) => {
    const walker = new Sweep({
      remove,
      cutoffMs,
      keep,
      tracked,
      root: ctx.root,
      signal: ctx.signal,
      stopAtFirst,
    })
    for (const target of targets) await walker.target(target)
    if (!remove && !stopAtFirst) walker.measureSizes()
    return { totals: walker.totals, listing: walker.listing, outside, tracked, asWritten }
  }
  if (known?.covers(targets)) return walk(known)
  // Git only ever keeps things: when a walk that ignores it finds nothing to delete, git's
  // answer cannot change that, so a met check (the usual no-op) starts no process.
  if (!remove) {
    const anything = await walk(nothingTracked, true)
    if (anything.totals.files + anything.totals.emptyFolders === 0) return anything
  }
  return walk(await trackedFiles(targets, ctx.root, ctx.exec))
}
