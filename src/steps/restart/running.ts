// The dev server a `restart` step started, for `devsetup ps` and `devsetup stop`: found through
// devsetup's own record (server.json), running only when the process it names is provably the
// one devsetup started (pidfile.ts), healthy only when it also answers where the step said it
// would: its `health` URL, else its port.

import type { Kept } from '../running.js'
import { shorten } from '../text.js'
import { localPort, probe } from './health.js'
import { stopLeftovers } from './leftovers.js'
import { notTheServer } from './owner.js'
import { portListening, stoppedListening } from './port.js'
import { findServer, readRecord, type ServerRecord, serverFiles, stopServer } from './server.js'

// What `stop` waits after SIGTERM before SIGKILL when the record (older than `stopTimeoutMs`)
// does not say: the step's default `stop_timeout`. `stop` does not read the recipe.
const stopGraceMs = 10_000

async function answer(record: ServerRecord) {
  // What answers must be this server (owner.ts): another process on its port is not it.
  const foreign = await notTheServer(localPort(record.health) ?? record.port, { record, log: record.log })
  if (foreign) return { healthy: false, detail: foreign }
  if (record.health) {
    const seen = await probe(record.health, undefined, record.healthStatus)
    return { healthy: seen.ok, detail: `${record.health}: ${seen.detail}` }
  }
  if (record.port !== undefined) {
    const listening = await portListening(record.port)
    return {
      healthy: listening,
      detail: `${listening ? 'listens' : 'nothing listens'} on port ${record.port}`,
    }
  }
  if (record.listening?.length) {
    const gone = stoppedListening(record)
    return { healthy: !gone, detail: gone ?? `listens on port ${record.listening.join(', ')}` }
  }
  return { healthy: true, detail: 'running (no port or health URL to ask)' }
}

/** The dev server devsetup started for the repository at `root`, when it has a record of one. */
export async function devServer(root: string): Promise<Kept | undefined> {
  const files = serverFiles(root, root, undefined, undefined)
  const record = readRecord(files)
  if (!record) return undefined
  const found = { ...files, start: record.command }
  const ours = (await findServer(found)).running.filter((r) => r.ours)
  const server = ours[0]
  const asked = server ? await answer(record) : { healthy: false, detail: 'stopped' }
  return {
    name: 'server',
    title: `dev server (${shorten(record.command, 40)})`,
    ...(server ? { pid: server.info.pid, since: record.startedAt } : {}),
    ...(record.port !== undefined
      ? { port: record.port }
      : record.listening?.length
        ? { port: record.listening[0]! }
        : {}),
    log: record.log,
    running: server !== undefined,
    ...asked,
    stop: async () => {
      const still = (await findServer(found)).running.filter((r) => r.ours)
      // Its own process gone, what it left in groups of their own (turbo's tasks) still is its.
      if (still.length === 0) return (await stopLeftovers(files, record.stopTimeoutMs ?? stopGraceMs)) > 0
      await stopServer(still, files, record.stopTimeoutMs ?? stopGraceMs)
      return true
    },
  }
}
