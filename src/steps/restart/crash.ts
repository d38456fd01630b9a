// A dev server that crashed while its process keeps running. Under a file watcher the start
// command never exits when the app dies (`node --watch` and nodemon wait for a file change,
// ts-node-dev --respawn and tsx watch too), so "the start exited" alone would wait out the
// whole health_timeout on "connection refused" and leave the dead watcher running. Two
// signals tell instead, read while devsetup polls health:
//   - the watcher's own crash line in the server's log (devsetup writes that log itself,
//     outside the repository, so the repository cannot fake one into it);
//   - the port: something listened on it since the start (or since the watcher last
//     restarted the app), and nothing has for a second;
//   - the process group, for a watcher with no line of its own (group-watch.ts): the app's
//     process exited right after an error report, only its watcher chain is left, idle.
// A crash line is not believed while the port is known to be listening: a helper process
// (a CSS watcher under `concurrently`) may crash while the server itself is fine.
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { GroupWatch } from './group-watch.js'
import type { Listener } from './listener.js'

// Node's last line for an uncaught error: all tsx watch shows of a crash is the app's own
// report, and the same line ends one under any watcher devsetup does not know by name.
const nodeFatal = /^Node\.js v\d+\.\d+\.\d+$/

// Verbatim from each watcher's source; the log is no TTY, so none is colored (colors are
// stripped anyway).
const crashLines: RegExp[] = [
  /^Failed running '/, // node --watch (Node 20+): the script exited non-zero
  /^Completed running '/, // node --watch: the script exited 0; a server that ends is down too
  /^\[nodemon\] app crashed - waiting for file changes/,
  /^\[nodemon\] clean exit - waiting for changes/,
  /^\[ERROR\] \d\d:\d\d:\d\d \w*Error\b/, // ts-node-dev's report of the app's uncaught error
  // @adonisjs/assembler 7 (`node ace serve --watch`, and --hmr after a reload), via cliui's logger.
  /^\[ info \] Underlying HTTP server (?:died|closed)\. Still watching for changes/,
  nodeFatal,
]

// The watcher started the app again (a file changed): what came before no longer counts.
const restartLines: RegExp[] = [
  /^Restarting '/, // node --watch
  /^\[nodemon\] (?:restarting due to changes|starting `)/,
  /^\[INFO\] \d\d:\d\d:\d\d Restarting/, // ts-node-dev
  /\[tsx\] .*(?:Restarting|Rerunning)\.\.\./,
  // @adonisjs/assembler 7: the file that changed (`change app/x.ts`), or hot-hook's full reload.
  /^(?:add|change|unlink|full-reload) [\w./@-]+$/,
]

// The server did not get its port (Next, Vite, Nuxt hop to the next one; CRA asks; Node's
// EADDRINUSE): whatever answers on the port then is not this app, so the start has failed even
// when something answers there. Believed while the port listens, unlike a crash line.
const portTakenLines: RegExp[] = [
  /\bPort \d+ is (?:already )?in use\b/i, // Next `…, trying 3001 instead.`, Vite `…, trying another one...`
  /\bSomething is already running on port \d+/, // create-react-app
  /\bEADDRINUSE\b|\baddress already in use\b/i,
]

// Printed by startServer before each start: the log's part for the current server follows it.
const startHeader = /^--- \S+ devsetup started: /

type Event = { kind: 'crash' | 'restart' | 'start' | 'taken'; line: string }

export const ansi = /\x1b\[[0-9;]*[A-Za-z]/g

// The name a runner of several commands puts before each line: concurrently's `[api] `, and
// `api | ` of foreman/overmind-style runners. The watcher's own line follows it.
const runnerPrefix = /^(?:\[[\w:.@/-]+\]|[\w.-]+\s*\|)\s+/

function classify(raw: string): Event | undefined {
  const line = raw.replace(ansi, '').trim()
  if (startHeader.test(line)) return { kind: 'start', line }
  // Both forms: `[nodemon] app crashed` must keep its own bracket, `[api] Node.js v22` lose its.
  const bare = line.replace(runnerPrefix, '')
  const matches = (patterns: RegExp[]) => patterns.some((p) => p.test(line) || p.test(bare))
  if (matches(portTakenLines)) return { kind: 'taken', line }
  if (matches(crashLines)) return { kind: 'crash', line }
  if (matches(restartLines)) return { kind: 'restart', line }
  return undefined
}

/** The last `kind` line of the current server's log, unless the watcher restarted the app since. */
function lastLine(lines: string[], kind: 'crash' | 'taken'): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const event = classify(lines[i]!)
    if (event?.kind === kind) return event.line
    if (event && event.kind !== 'crash' && event.kind !== 'taken') return undefined
  }
  return undefined
}

const tailBytes = 256 * 1024

/** Up to `max` bytes of `file` from `offset` ('' when it cannot be read). */
export function readFrom(file: string, offset: number, max: number): string {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return ''
  }
  try {
    const buffer = Buffer.alloc(max)
    return buffer.subarray(0, readSync(fd, buffer, 0, max, offset)).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/** For a check: the crash line that ends the log of the server devsetup last started, if any. */
export const crashInLog = (logFile: string) => lastLine(logTail(logFile), 'crash')

/** For a check: the current server's line saying its port was taken ("Port 3000 is in use…"), if any. */
export const portTakenInLog = (logFile: string) => lastLine(logTail(logFile), 'taken')

export const portTakenReason = (line: string) => `the server did not get its port: its log says "${line}"`

/** The last `bytes` of `file`, none from before `floor` ('' when it cannot be read). */
export function readTail(file: string, bytes: number, floor = 0): string {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    return ''
  }
  const from = Math.max(floor, size - bytes)
  return size > from ? readFrom(file, from, size - from) : ''
}

function logTail(logFile: string): string[] {
  const text = readTail(logFile, tailBytes)
  return text ? text.split('\n') : []
}

export const crashNote = (line: string | undefined) => (line ? ` (its log ends: "${line}")` : '')

// A socket closed by a watcher's restart reopens within this; a crashed app's never does.
const portGoneMs = 1000

/** Follows a starting server's log from `offset`, its port and its process group, between health probes. */
export class CrashWatch {
  private offset: number
  private partial = ''
  private crash: string | undefined
  private taken: string | undefined
  /** Node's own line was just read: its watcher's line (the better report) usually follows. */
  private fresh = false
  private listened = false
  /** Unlike `listened`, kept over the watcher's restarts: whether the server ever served since the start. */
  private everListened = false
  private goneSince: number | undefined
  /** The current server's last lines, for the group watch's error report. */
  private recent: string[] = []
  private readonly group: GroupWatch | undefined

  constructor(
    private readonly log: string,
    offset: number,
    private readonly listener: Listener | undefined,
    pgid?: number,
    marker?: string,
  ) {
    this.offset = offset
    this.group = pgid === undefined ? undefined : new GroupWatch(pgid, marker)
  }

  /** How long the process group has been idle and silent (no CPU, no output, none came or went): 0 unknown. */
  quietMs(): number {
    return this.group?.quietMs() ?? 0
  }

  /** Reads what the log gained; true when it gained anything. */
  private readNew(): boolean {
    const text = readFrom(this.log, this.offset, tailBytes)
    this.offset += Buffer.byteLength(text)
    const lines = (this.partial + text).split('\n')
    this.partial = lines.pop() ?? ''
    this.recent = [...this.recent, ...lines.map((line) => line.replace(ansi, ''))].slice(-40)
    for (const line of lines) {
      this.group?.line(line.replace(ansi, ''))
      const event = classify(line)
      if (event?.kind === 'crash') {
        this.fresh = nodeFatal.test(event.line)
        this.crash = event.line
      }
      if (event?.kind === 'taken') this.taken = event.line
      if (event?.kind === 'restart') {
        // Down for a moment on purpose: wait for it to listen again.
        this.crash = undefined
        this.taken = undefined
        this.listened = false
        this.goneSince = undefined
        this.group?.reset()
      }
    }
    return text !== ''
  }

  /** Whether the listener was seen listening at any poll since the start. */
  listenedSinceStart(): boolean {
    return this.everListened
  }

  /** Once something answers: the log's line saying the server did not get its port, as a reason. */
  portTaken(): string | undefined {
    this.readNew()
    return this.taken && portTakenReason(this.taken)
  }

  /** Why the server is down for good although its process runs, or undefined. */
  async crashed(): Promise<string | undefined> {
    // Who exited is read before the log: whatever an exited process wrote is in the log by then.
    let grew = false
    const read = () => {
      grew = this.readNew() || grew
    }
    this.group?.sample(() => {
      read()
      return [...this.recent, this.partial]
    })
    read()
    if (this.taken) return portTakenReason(this.taken)
    if (this.listener && (await this.listener.listening())) {
      this.listened = true
      this.everListened = true
      this.goneSince = undefined
      this.group?.reset()
      return undefined
    }
    if (this.crash && this.fresh) this.fresh = false
    else if (this.crash) return `the server crashed: its log says "${this.crash}"`
    const portNote = this.listener?.none ?? ''
    const neverListened = this.listener !== undefined && !this.listened
    const quiet = this.group?.crashed(grew, () => [...this.recent, this.partial], neverListened, portNote)
    if (quiet) return quiet
    if (this.listener === undefined || !this.listened) return undefined
    this.goneSince ??= Date.now()
    if (Date.now() - this.goneSince < portGoneMs) return undefined
    return this.listener.gone()
  }
}
