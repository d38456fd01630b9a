// What tells that a starting server serves, for the crash watch (crash.ts) and the readiness
// wait (ready.ts, group-ready.ts): its known port listening, or a TCP port of its own group.
import { groupListenPorts, portListening } from './port.js'

/**
 * What tells a serving server: something listening on its known port, or, with none known, a
 * process of its own group listening on any TCP port (only the group's sockets count).
 */
export interface Listener {
  listening(): Promise<boolean>
  /** ` with nothing listening on port 3030`, for a crash report. */
  none: string
  /** What is gone, once it listened and then no longer does. */
  gone(): string
}

export function portListener(port: number): Listener {
  return {
    listening: () => portListening(port),
    none: ` with nothing listening on port ${port}`,
    gone: () => `nothing listens on port ${port} any more, though it did after the start`,
  }
}

/** `ports()`: the ports it was last seen listening on. */
export function groupListener(pgid: number, marker?: string): Listener & { ports(): number[] } {
  let seen: number[] = []
  return {
    ports: () => seen,
    listening: async () => {
      const ports = groupListenPorts(pgid, marker)
      if (ports.length > 0) seen = ports
      return ports.length > 0
    },
    none: ' with nothing of its process group listening on a TCP port',
    gone: () =>
      `nothing of its process group listens on a TCP port any more, though it did on port ${seen.join(', ')} after the start`,
  }
}
