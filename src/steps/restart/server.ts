// The server process: finding it through pidfiles (trusting a pid only when it is provably
// the server), starting it detached so it outlives devsetup, and stopping its whole group.
//
// What devsetup starts is recorded in server.pid (a bare pid, for `kill $(cat …)`) and
// server.json (pid, process group, start time, command line) in the state folder, outside
// the repository (src/engine/state-dir.ts). A start that daemonizes is followed to the pid
// its pidfile names, and the record then points at that daemon (daemon.ts). The record is
// written directly, not through the step's staged state: a started process exists whether
// or not the step then passes, and forgetting it would leave it unmanaged.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import path from 'node:path'
import { addServerMembers, stopTargets } from '../../engine/processes.js'
import { repoStateDir } from '../../engine/state-dir.js'
import { formatDuration } from '../../recipe/duration.js'
import { type EnvPrint, envPrint } from './env-files.js'
import { withoutGoDump } from './group-report.js'
import { isRunning, type ProcessInfo, processInfo } from './processes.js'
import type { SeenSqlite } from './sqlite-seen.js'

export { findServer, inspectPidfile } from './pidfile.js'

export interface ServerRecord {
  pid: number
  pgid: number
  startTime: string | undefined
  cmdline: string
  command: string
  log: string
  startedAt: string
  /** `DEVSETUP_SERVER=<token>` in the started command's environment: inherited by a daemon it forks. */
  marker?: string
  /** Where it answers, as the step named it when starting it: what `devsetup ps` asks, without the recipe. */
  port?: number
  health?: string
  healthStatus?: number[]
  /** Found, not named: the ports its process group listened on when `up` saw it come up (group-ready.ts). */
  listening?: number[]
  /** The step's `stop_timeout`: `devsetup stop` gives the server as long, without the recipe. */
  stopTimeoutMs?: number
  /** `app_log:`, absolute: where the app writes its own output; and its size when this server started. */
  appLog?: string
  appLogOffset?: number
  /** The env files the app loads as they were at its start, hashed (env-files.ts): their change restarts it. */
  env?: EnvPrint
  /** The files it holds open that `up` saw to be SQLite databases (sqlite-seen.ts); absent: none noted. */
  sqlite?: SeenSqlite[]
}

/** What the step knows about where the server answers, kept in its record. */
export type ServerAddress = Pick<ServerRecord, 'port' | 'health' | 'healthStatus' | 'stopTimeoutMs'>

/** How the `start` command itself ended, while devsetup waits: a daemonizing start exits 0. */
export interface StartExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export type PidfileStatus =
  | { kind: 'absent'; file: string }
  | { kind: 'running'; file: string; info: ProcessInfo; ours: boolean }
  | { kind: 'stale'; file: string; why: string }

export type Running = PidfileStatus & { kind: 'running' }
export type Stale = PidfileStatus & { kind: 'stale' }

export interface ServerFiles {
  root: string
  /** The app's own pidfile (`pidfile:`), absolute; the app usually writes it itself. */
  appPidfile: string | undefined
  ownPidfile: string
  recordFile: string
  /** The `start` command: without a start time (no /proc), a hand-started server must run it. */
  start: string | undefined
}

export function serverFiles(
  root: string,
  cwd: string,
  pidfile: string | undefined,
  start: string | undefined,
): ServerFiles {
  const dir = repoStateDir(root)
  return {
    root,
    start,
    appPidfile: pidfile === undefined ? undefined : path.resolve(cwd, pidfile),
    ownPidfile: path.join(dir, 'server.pid'),
    recordFile: path.join(dir, 'server.json'),
  }
}

export function readRecord(files: ServerFiles): ServerRecord | undefined {
  try {
    return JSON.parse(readFileSync(files.recordFile, 'utf8')) as ServerRecord
  } catch {
    return undefined
  }
}

export function removePidfile(file: string): void {
  rmSync(file, { force: true })
}

export function forgetServer(files: ServerFiles): void {
  rmSync(files.ownPidfile, { force: true })
  rmSync(files.recordFile, { force: true })
}

/**
 * Starts `command` through the shell, detached in its own session and process group, its
 * output appended to `logFile`. Not through ctx.exec: exec's groups are killed when devsetup
 * exits, and this server must outlive devsetup.
 */
export async function startServer(
  command: string,
  options: {
    cwd: string
    env: Record<string, string>
    logFile: string
    files: ServerFiles
    address: ServerAddress
    appLog?: string | undefined
    /** The env files the app loads, relative to the repository root (the recipe's dotenv `to` files). */
    envFiles?: readonly string[]
    /** The note of the server it replaces, for the files that are still the same databases (sqlite-tables.ts). */
    sqlite?: SeenSqlite[]
  },
): Promise<{ record: ServerRecord; exit: () => StartExit | undefined; logOffset: number }> {
  const marker = `DEVSETUP_SERVER=${randomUUID()}`
  // What the app writes to its own log from here on is this server's (appLogTail).
  const appLogOffset = options.appLog === undefined ? undefined : fileSize(options.appLog)
  // Read before the spawn: a change between this read and the app's own is seen as one, never missed.
  const env = options.envFiles?.length ? envPrint(options.files.root, options.envFiles, marker) : undefined
  mkdirSync(path.dirname(options.logFile), { recursive: true })
  mkdirSync(path.dirname(options.files.ownPidfile), { recursive: true })
  const fd = openSync(options.logFile, 'a')
  let child: ReturnType<typeof spawn>
  // Where this server's output begins: a crash line before it is an earlier server's (crash.ts).
  let logOffset: number
  try {
    writeSync(fd, `\n--- ${new Date().toISOString()} devsetup started: ${command}\n`)
    logOffset = fstatSync(fd).size
    child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: { ...options.env, DEVSETUP_SERVER: marker.slice(marker.indexOf('=') + 1) },
      detached: true,
      stdio: ['ignore', fd, fd],
    })
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', reject)
    })
  } finally {
    closeSync(fd)
  }
  let exit: StartExit | undefined
  child.once('exit', (code, signal) => {
    exit = { code, signal }
  })
  child.unref()
  const pid = child.pid!
  const info = await processInfo(pid)
  const record: ServerRecord = {
    pid,
    pgid: pid,
    startTime: info?.startTime,
    cmdline: info?.cmdline ?? `/bin/sh -c ${command}`,
    command,
    log: options.logFile,
    startedAt: new Date().toISOString(),
    marker,
    ...options.address,
    ...(options.appLog !== undefined ? { appLog: options.appLog, appLogOffset } : {}),
    ...(env ? { env } : {}),
    ...(options.sqlite?.length ? { sqlite: options.sqlite } : {}),
  }
  writeRecord(options.files, record)
  return { record, exit: () => exit, logOffset }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

export function writeRecord(files: ServerFiles, record: ServerRecord): void {
  writeFileSync(files.ownPidfile, `${record.pid}\n`)
  writeFileSync(files.recordFile, `${JSON.stringify(record, null, 2)}\n`)
}

/** The last lines of the server's log, for a failure report (a Go crash dump left out: it is never the app's words). */
export function logTail(logFile: string, lines = 15): string[] {
  try {
    const all = readFileSync(logFile, 'utf8').trimEnd().split('\n')
    // Blank lines go with the dump's: one between each goroutine's frames would fill the tail.
    return withoutGoDump(all)
      .filter((line) => line.trim() !== '')
      .slice(-lines)
  } catch {
    return []
  }
}

/**
 * Stops the running server: the whole process group devsetup started (wrapper and children),
 * or, for a server started by hand, its group when it leads one, else the process alone.
 * Says which signal ended it and after how long ("SIGTERM after 0.3s", or SIGKILL because
 * it ignored SIGTERM for the whole `stop_timeout`); throws when something survives SIGKILL.
 */
export async function stopServer(running: Running[], files: ServerFiles, graceMs: number): Promise<string> {
  const record = readRecord(files)
  const groups = new Set<number>()
  const single = new Set<number>()
  for (const server of running) {
    // A daemon that left the started group (setsid) is stopped through its own group.
    if (server.ours && record && server.info.pgid === record.pgid) groups.add(record.pgid)
    else if (server.info.pgid === server.info.pid) groups.add(server.info.pid)
    else single.add(server.info.pid)
  }
  // What the start spawned into groups of its own (turbo runs each task in a new process group)
  // stays in its session or carries its token: provably ours, stopped with it rather than left
  // holding ports.
  const targets = { groups, single }
  if (record?.marker && running.some((server) => server.ours))
    addServerMembers(record.pgid, record.marker, targets)
  const stopped = await stopTargets(targets, graceMs)
  if (stopped.by === 'survived') {
    const pids = [...groups, ...single].join(', ')
    throw new Error(`the server (pid ${pids}) survived SIGKILL`)
  }
  forgetServer(files)
  // An app that was killed cannot remove its own pidfile; a leftover one blocks some
  // servers from starting ("A server is already running").
  for (const server of running) if (!isRunning(server.info.pid)) removePidfile(server.file)
  const ms = stopped.ms
  const what = groups.size > 0 ? 'process group' : 'process'
  return stopped.by === 'SIGKILL'
    ? `SIGKILL after ${formatDuration(ms)}: its ${what} ignored SIGTERM for ${formatDuration(graceMs)} (stop_timeout)`
    : `SIGTERM in ${formatDuration(ms)}`
}
