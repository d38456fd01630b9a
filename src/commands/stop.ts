// `devsetup stop [name...]`: stops what devsetup keeps running for this repository (what
// `devsetup ps` lists): the servers `service` steps started and the dev server a `restart` step
// started — all found in its state folder, so a recipe edited since still stops them — or only
// the ones named. Nothing else: a server someone started by hand is left alone. Data is kept.
import chalk from 'chalk'
import { displayPath } from '../engine/state-dir.js'
import { ExitCode as Exit, type ExitCode, UserError } from '../errors.js'
import { didYouMean } from '../recipe/suggest.js'
import type { Kept } from '../steps/running.js'
import { type Output, processOutput } from './options.js'
import { type PsOptions, repositoryKept } from './ps.js'

export interface StopOptions extends PsOptions {
  /** `postgres`, `redis`, `mysql`, `server`: only these (all when empty). */
  names?: string[] | undefined
}

interface Stopped {
  name: string
  title: string
  stopped: boolean
  pid?: number
  /** The dev server's log, outside the repository. */
  log?: string
  /** Where a service's data is kept (its folder, a compose file). */
  data?: string
}

/** What can be named: the service engines and the dev server. */
const kinds = ['postgres', 'redis', 'mysql', 'server']

function chosen(kept: Kept[], names: readonly string[]): Kept[] {
  if (names.length === 0) return kept
  for (const name of names) {
    if (!kinds.includes(name))
      throw new UserError(
        `\`${name}\` is not something devsetup runs`,
        `${didYouMean(name, kinds)}; \`devsetup ps\` lists what runs for this repository`,
      )
  }
  return kept.filter((k) => names.includes(k.name))
}

export async function stop(options: StopOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const { root, kept } = await repositoryKept(options)
  const names = options.names ?? []
  const results: Stopped[] = []
  // The dev server first, then the services it uses: stopped the other way round, the app logs
  // a burst of connection errors (NodeBB's Redis) and may be mid-write when its database goes.
  const serversFirst = [...chosen(kept, names)].sort(
    (a, b) => Number(b.name === 'server') - Number(a.name === 'server'),
  )
  for (const k of serversFirst) {
    const stopped = k.running && (await k.stop())
    results.push({
      name: k.name,
      title: k.title,
      stopped,
      ...(stopped && k.pid !== undefined ? { pid: k.pid } : {}),
      ...(k.log !== undefined ? { log: k.log } : {}),
      ...(k.data !== undefined ? { data: k.data } : {}),
    })
  }
  if (options.json) {
    output.out(JSON.stringify({ repository: root, stopped: results }))
    return Exit.ok
  }
  if (results.length === 0)
    output.out(
      names.length > 0
        ? `devsetup runs no ${names.join(', ')} for this repository`
        : 'nothing devsetup started runs for this repository',
    )
  const shown = (file: string) => displayPath(file, root, options.env ?? process.env)
  for (const r of results) {
    const kept = r.data ? `data kept in ${shown(r.data)}` : `its log: ${shown(r.log!)}`
    const pid = r.pid === undefined ? '' : `; it was pid ${r.pid}`
    output.out(
      r.stopped
        ? `${chalk.green('■')} ${r.title} stopped (${kept}${pid})`
        : `${chalk.dim('·')} ${r.title} was not running`,
    )
  }
  return Exit.ok
}
