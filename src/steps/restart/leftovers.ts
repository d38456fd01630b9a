// What a server devsetup started left running after its own process died: killed with its
// process group, its turbo or nx tasks, in groups of their own, live on holding its ports. They
// stay in the session the start led (or carry its environment token: engine/processes.ts
// serverMembers), so they are provably its, and are stopped before the next start and by `devsetup stop`.
import { serverMembers, stopServerMembers } from '../../engine/processes.js'
import { readRecord, type ServerFiles } from './server.js'

/** Stops them; how many there were. */
export async function stopLeftovers(files: ServerFiles, graceMs: number): Promise<number> {
  const record = readRecord(files)
  if (!record?.marker) return 0
  // Its own group is dead (or it would be running): what is left is in its session, or carries its token.
  const left = serverMembers(record.pgid, record.marker).length
  if (left > 0) await stopServerMembers(record.pgid, record.marker, graceMs)
  return left
}
