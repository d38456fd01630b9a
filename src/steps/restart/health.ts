// Health checks: an HTTP(S) URL that must answer, or tcp://host:port that must accept a
// connection. A server that answers with any status below 500 is up: a root page that
// redirects (302) to a login or setup page is a working app, and waiting for a 2xx there
// would wait out the whole health_timeout. The recipe asks for exact statuses with
// `health_status`. `probe` tries once (for check); `waitUntilUp` retries until a deadline and
// reports the last status or connection error, so a timeout says what was seen.
import net from 'node:net'

export interface Probe {
  ok: boolean
  /** "200", "HTTP 503", "connection refused", "timed out after 2s". */
  detail: string
}

const probeTimeoutMs = 2000

/** Up: one of `expected` when the recipe names statuses, else anything below 500. */
export function statusIsUp(status: number, expected: readonly number[] | undefined): boolean {
  return expected ? expected.includes(status) : status < 500
}

export async function probe(
  target: string,
  signal?: AbortSignal,
  expected?: readonly number[],
): Promise<Probe> {
  const url = new URL(target)
  if (url.protocol === 'tcp:') return probeTcp(url.hostname, Number(url.port), signal)
  const timeout = AbortSignal.timeout(probeTimeoutMs)
  try {
    const response = await fetch(target, {
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
    await response.body?.cancel()
    const ok = statusIsUp(response.status, expected)
    const wanted = ok || !expected ? '' : ` (expected ${expected.join(' or ')})`
    return { ok, detail: `HTTP ${response.status}${wanted}` }
  } catch (error) {
    if (timeout.aborted) return { ok: false, detail: `no answer within ${probeTimeoutMs / 1000}s` }
    return { ok: false, detail: describeNetError(error) }
  }
}

function probeTcp(host: string, port: number, signal?: AbortSignal): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port, timeout: probeTimeoutMs })
    const done = (result: Probe) => {
      socket.destroy()
      signal?.removeEventListener('abort', onAbort)
      resolve(result)
    }
    const onAbort = () => done({ ok: false, detail: 'interrupted' })
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', () => done({ ok: true, detail: 'accepting connections' }))
    socket.once('error', (error) => done({ ok: false, detail: describeNetError(error) }))
    socket.once('timeout', () =>
      done({ ok: false, detail: `no connection within ${probeTimeoutMs / 1000}s` }),
    )
  })
}

function describeNetError(error: unknown): string {
  // fetch wraps the socket error: the useful code is on `cause`.
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause ?? (error as NodeJS.ErrnoException)
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
      return 'connection reset'
    case 'ENOTFOUND':
      return 'host not found'
    default:
      return cause?.message ?? String(error)
  }
}

/**
 * Tries `attempt` until it is up or `timeoutMs` passes. `gaveUp` is asked between attempts:
 * a server that died or crashed while starting fails at once instead of after the whole
 * timeout. `what` names the target in the timeout message ("http://…/health not healthy").
 */
export async function waitUntilUp(
  attempt: () => Promise<Probe>,
  what: string,
  timeoutMs: number,
  signal: AbortSignal,
  gaveUp: () => Promise<string | undefined>,
): Promise<{ ok: true; ms: number } | { ok: false; detail: string; gaveUp?: true }> {
  const started = Date.now()
  let last: Probe = { ok: false, detail: 'not tried' }
  while (!signal.aborted) {
    last = await attempt()
    if (last.ok) return { ok: true, ms: Date.now() - started }
    const dead = await gaveUp()
    if (dead) return { ok: false, detail: `${dead} (last check: ${last.detail})`, gaveUp: true }
    if (Date.now() - started >= timeoutMs) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const seconds = Math.round(timeoutMs / 1000)
  return { ok: false, detail: `${what} after ${seconds}s: ${last.detail}` }
}

/** The local port a health URL points at, used to find who holds it. */
export function localPort(target: string | undefined): number | undefined {
  if (!target) return undefined
  const url = new URL(target)
  if (!['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(url.hostname)) return undefined
  if (url.port) return Number(url.port)
  return url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined
}
