// Ports: a service's port is free when it is first chosen, then recorded and kept, so the URL
// a developer copied into their tools stays right.
import { createHash } from 'node:crypto'
import { createConnection, createServer } from 'node:net'

/** True when nothing listens on 127.0.0.1:port (we could bind it). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/**
 * A free port for a repository: starts from a number derived from its key (so the same
 * repository tends to get the same port even on another machine), below Linux's ephemeral
 * range (32768+) where the kernel hands out outgoing ports.
 */
export async function pickPort(key: string, base: number): Promise<number> {
  const offset = Number.parseInt(createHash('sha256').update(key).digest('hex').slice(0, 6), 16) % 2000
  for (let i = 0; i < 2000; i++) {
    const port = base + ((offset + i) % 2000)
    if (await isPortFree(port)) return port
  }
  throw new Error(`no free port between ${base} and ${base + 1999}`)
}

/**
 * Sends `payload` to 127.0.0.1:port and resolves with the first bytes of the reply ('' if none),
 * once `complete` says the reply is whole (a line, by default) or after `timeoutMs`.
 */
export function ask(
  port: number,
  payload: string | Uint8Array,
  timeoutMs = 2000,
  complete = (reply: string) => reply.includes('\n'),
): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    let reply = ''
    const done = () => {
      socket.destroy()
      resolve(reply)
    }
    socket.setTimeout(timeoutMs, done)
    socket.once('error', done)
    // A peer that accepts and hangs up at once (no error, no data): the reply is what came.
    socket.once('close', done)
    socket.once('connect', () => socket.write(payload))
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1')
      if (complete(reply)) done()
    })
  })
}
