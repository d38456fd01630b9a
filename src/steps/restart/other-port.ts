// A server that comes up on another TCP port than the one devsetup waits on: Wiki.js with
// `port: 3005` in its config.yml, NodeBB with 4568 in its config.json, the recipe's health on
// 3000. No crash happens, so the wait for health ran out its whole health_timeout (2 minutes)
// and then advised raising it. Given up early only on the app's own word: its log says it
// listens on that port (`listening on 0.0.0.0:4568`, `Server listening at http://…:3005`), a
// process of its group does listen there, nothing listens on the wanted port, and that has held
// for 3 seconds. A front end's dev server beside an API still compiling (vite's `Local:
// http://localhost:5173/`) says no such word, so it never counts; a second server of the app
// that logs it listens (a websocket port) while the main one is still starting would, past 3 s.
import { readTail } from './crash.js'
import type { Started } from './daemon.js'
import { canSeeListeners, groupListenPorts } from './port.js'

const settleMs = 3000
const listensLine = /\blisten(?:s|ing)?\b[^\n]*?[:\s](\d{2,5})\b/gi
// Node's inspector (`--inspect`: "Debugger listening on ws://127.0.0.1:9229/…") is no port of the
// app: uptime-kuma's dev script starts it, and its first boot (making its database) outlasted 3 s.
const inspectorLine = /^.*\bDebugger listening on ws:\/\/.*$/gm

export class OtherPort {
  private since: { at: number; ports: string } | undefined

  constructor(
    private readonly started: Started,
    private readonly wanted: number | undefined,
  ) {}

  /** "it listens on port 4568, not on 3000 …" once that has held for settleMs; else undefined. */
  verdict(): string | undefined {
    if (this.wanted === undefined || !canSeeListeners()) return undefined
    const ports = groupListenPorts(this.started.record.pgid, this.started.record.marker)
    const said = new Set(
      [
        ...readTail(this.started.record.log, 16 * 1024, this.started.logOffset)
          .replace(inspectorLine, '')
          .matchAll(listensLine),
      ].map((m) => Number(m[1])),
    )
    const announced = ports.filter((p) => said.has(p))
    if (ports.includes(this.wanted) || announced.length === 0) {
      this.since = undefined
      return undefined
    }
    const key = announced.join(',')
    if (this.since?.ports !== key) {
      this.since = { at: Date.now(), ports: key }
      return undefined
    }
    if (Date.now() - this.since.at < settleMs) return undefined
    return `its log says it listens on port ${key}, and it does, not on ${this.wanted}: check the port the app is configured with, or the recipe's \`health:\``
  }
}

/**
 * Out of time while the server listens, but not on the port waited on (and its log did not
 * say so, or the verdict above had no time): said, instead of only "raise health_timeout".
 */
export function listensElsewhere(started: Started, wanted: number | undefined): string {
  if (wanted === undefined || !canSeeListeners()) return ''
  const ports = groupListenPorts(started.record.pgid, started.record.marker)
  if (ports.length === 0 || ports.includes(wanted)) return ''
  return `; it listens on port ${ports.join(', ')}, not on ${wanted}: check the port the app is configured with, or the recipe's \`health:\``
}
