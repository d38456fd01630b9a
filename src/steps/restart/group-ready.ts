// A start with no `health:` and no known port: what tells it is up? "It survived its first
// second" called feathers-chat's `npm run dev` up although ts-node needed ~3 s to reach listen()
// and then crashed on a bad port. So the started process group itself is asked:
//   - a process of it listens on a TCP port (its own sockets, /proc/net/tcp mapped to its
//     pids): a server that serves. Up, and the port is recorded, so that later checks ask
//     whether the group still listens there (a fact seen from the server, not a guess);
//   - it has been idle and silent (no CPU, no output, no process came or went: group-watch.ts)
//     for workerQuietMs with nothing listening: a worker (sidekiq, a queue consumer) that will
//     never listen. Started, and the summary says nothing of it listens;
//   - it exited or crashed (startFailure, CrashWatch): down.
// A server still compiling or booting uses CPU or prints, so it keeps being waited for, up to
// `health_timeout`. Limit: a worker that keeps working or printing for the whole
// `health_timeout` from its start is never seen idle, and fails as "never listened".
import { formatDuration } from '../../recipe/duration.js'
import type { RunContext } from '../define.js'
import type { CrashWatch } from './crash.js'
import { type Started, startFailure } from './daemon.js'
import { waitUntilUp } from './health.js'
import type { groupListener } from './listener.js'
import { groupAlive } from './processes.js'
import type { RefusedConnection } from './refused.js'
import type { RestartConfig } from './schema.js'
import { writeRecord } from './server.js'
import { unixSocketOnly } from './unix-socket.js'

/** Idle and silent this long with nothing listening: a worker, not a server still booting. */
export const workerQuietMs = 3000

const none = 'nothing of its process group listens on a TCP port'

export type GroupReady = { ok: true; note: string } | { ok: false; detail: string; crashed: boolean }

/** Waits until the started group listens, settles idle as a worker, or fails; returns the summary's note. */
export async function waitForGroup(
  cfg: RestartConfig,
  ctx: RunContext,
  started: Started,
  watch: CrashWatch,
  listener: ReturnType<typeof groupListener>,
  refused: RefusedConnection,
): Promise<GroupReady> {
  let idle = 0
  const result = await waitUntilUp(
    async () => {
      if (await listener.listening()) return { ok: true, detail: 'listening' }
      const quiet = watch.quietMs()
      // Idle while a refused address is being asked about: waiting on it, not a worker (refused.ts).
      if (quiet >= workerQuietMs && groupAlive(started.record.pgid) && !refused.asking()) idle = quiet
      return { ok: idle > 0, detail: none }
    },
    `\`${started.record.command}\` kept working or printing and never listened on a TCP port`,
    cfg.health_timeout,
    ctx.signal,
    async () =>
      startFailure(started) ?? (await refused.verdict()) ?? (await refused.explain(await watch.crashed())),
  )
  if (!result.ok)
    return {
      ok: false,
      crashed: result.gaveUp === true,
      detail: result.gaveUp
        ? result.detail
        : `${result.detail}: if it serves, give \`health:\` (raise \`health_timeout\` if it only needs longer)`,
    }
  if (idle > 0) {
    // PORT=-1 with no port in the recipe: Node's socket file is all it listens on.
    const socket = unixSocketOnly(started)
    const why = socket
      ? `it listens on the Unix socket ${socket.shown} and on no TCP port: if it should serve on a port, ${socket.fix}`
      : `${none}: if it serves, give \`health:\``
    return { ok: true, note: `, running (idle and silent for ${formatDuration(idle)}); ${why}` }
  }
  const ports = listener.ports()
  // The ports it listens on, kept in its record: later checks ask whether the group still does.
  started.record = { ...started.record, listening: ports }
  writeRecord(started.files, started.record)
  const where =
    ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.slice(0, -1).join(', ')} and ${ports.at(-1)}`
  const url = `http://127.0.0.1:${ports[0]}/`
  return {
    ok: true,
    note: `, listening on ${where} after ${formatDuration(result.ms)}; write \`health: ${url}\` to check it answers`,
  }
}
