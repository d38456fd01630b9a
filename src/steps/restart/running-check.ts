// The check of a server devsetup tracks (`start:` or `pidfile:`): is it running, serving where
// the step says, on the database it opened, and is what answers on its port the server itself?
// Each answer is a reason the step is unmet (with its fix, where `up`'s restart may not be it);
// undefined when all hold.
import type { CheckContext } from '../define.js'
import { deletedDatabase } from './deleted-data.js'
import { envChangedSince } from './env-files.js'
import { localPort } from './health.js'
import { notTheServer } from './owner.js'
import { describeHolder, type knownPort, portHolder, portListening, stoppedListening } from './port.js'
import type { RestartConfig } from './schema.js'
import { findServer, type Running, readRecord, type ServerFiles, serverFiles } from './server.js'
import { seenSqlite } from './sqlite-seen.js'

export async function trackedServerProblem(
  cfg: RestartConfig,
  ctx: CheckContext,
  port: ReturnType<typeof knownPort>,
  crash: () => string,
): Promise<string | { reason: string; fix: string } | undefined> {
  const files = serverFiles(ctx.root, ctx.cwd, cfg.pidfile, cfg.start)
  const { running, stale } = await findServer(files)
  if (running.length === 0 && cfg.start) {
    const holder = port === undefined ? undefined : await portHolder(port.port)
    const staleNote = stale.length
      ? ` (stale pidfile: ${[...new Set(stale.map((s) => s.why))].join('; ')})`
      : ''
    const portNote = holder && port !== undefined ? `; ${describeHolder(port.port, holder)}` : ''
    const reason = `server not running${staleNote}${portNote}`
    const lost = await lostOnDisk(files, ctx.root, ctx.stepId)
    // Started again it dies again on the lost table: the fix is the loss's (restore, or accept).
    return lost ? { reason: `${reason}; ${lost.reason}`, fix: lost.fix } : reason
  }
  if (running.length === 0) return `server not running (${cfg.pidfile}: ${stale[0]?.why ?? 'missing'})`
  // Without `health`, a running process is not yet a serving one: ask its port, else its log.
  const pid = running[0]!.info.pid
  if (!cfg.health && port !== undefined && !(await portListening(port.port)))
    return `server runs (pid ${pid}) but nothing listens on port ${port.port} (${port.from})${crash()}`
  // The app's database deleted while it runs: it answers from the deleted file until it restarts.
  const record = readRecord(files)
  const ours = record && running.some((server) => server.ours)
  const lost = ours
    ? deletedDatabase(record.pgid, ctx.root, record.marker, seenSqlite(record))
    : deletedDatabase(running[0]!.info.pgid ?? pid, ctx.root)
  if (lost) return `server runs (pid ${pid}) ${lost}`
  // A table gone from a SQLite database the app made itself (no `database` step sees it).
  // Loaded only for a note with tables: a no-op check of an app without one reads no database code.
  if (ours && seenSqlite(record).some((seen) => seen.tables)) {
    const { lostTables, lostTablesText } = await import('./sqlite-tables.js')
    const gone = await lostTables(record, ctx.root)
    if (gone) {
      const { reason, fix } = lostTablesText(gone, false, ctx.stepId)
      return { reason: `server runs (pid ${pid}) but ${reason}`, fix }
    }
  }
  // The app read its env files once, at boot: values changed since are not what it runs on.
  const envChanged = ours ? envChangedSince(ctx.root, record) : undefined
  if (envChanged) return envChanged
  const stopped = !cfg.health && port === undefined ? stoppedListening(record) : undefined
  if (stopped) return `server runs (pid ${pid}) but ${stopped}${crash()}`
  if (!cfg.health && port === undefined && crash()) return `server runs (pid ${pid}) but crashed${crash()}`
  const notOurs = await notOurServer(cfg, port?.port, files, running)
  if (notOurs) return `server runs (pid ${pid}) but ${notOurs}`
  return undefined
}

/**
 * For the check: why what answers on the port is not the server devsetup started and runs
 * (owner.ts), or its log says it did not get its port. Only for a server devsetup started
 * (its record): a hand-started one, or a `touch:`/`command:` restart, has no owner to compare.
 */
async function notOurServer(
  cfg: RestartConfig,
  port: number | undefined,
  files: ServerFiles,
  running: Running[],
): Promise<string | undefined> {
  const record = readRecord(files)
  if (!record || !running.some((server) => server.ours)) return undefined
  return notTheServer(localPort(cfg.health) ?? port, {
    record,
    appPidfile: files.appPidfile,
    log: record.log,
  })
}

/** Why a server that died at boot may have: a noted table gone from its database (sqlite-tables.ts). */
async function lostOnDisk(
  files: ServerFiles,
  root: string,
  stepId: string,
): Promise<{ reason: string; fix: string } | undefined> {
  const record = readRecord(files)
  if (!seenSqlite(record).some((seen) => seen.tables)) return undefined
  const { lostTablesOnDisk, lostTablesText } = await import('./sqlite-tables.js')
  const loss = await lostTablesOnDisk(record!, root).catch(() => undefined)
  return loss ? lostTablesText(loss, false, stepId) : undefined
}
