// Who holds the port a service wants, said in the refusal: a pid and its command, and — when it
// is a server devsetup made for another clone or repository — which one, so the fix is not
// "stop another program" when the program is devsetup's own (a second clone of the same app).
import { readlinkSync } from 'node:fs'
import path from 'node:path'
import { maskCommandLine } from '../../engine/mask.js'
import { portHolder, processLabel } from '../restart/port.js'
import { shorten } from '../text.js'
import { readRecord } from './paths.js'

export interface ServiceHolder {
  /** ` by pid 812 (`postgres -D …`)`, or '' when the holder cannot be seen (another user's process). */
  by: string
  /** The process as a person recognises it: `pid 812 `postgres -D …``, or undefined when unseen. */
  process: string | undefined
  /** Set when the holder is devsetup's server of another repository (or clone): its root. */
  otherRepository: string | undefined
}

/** The service folder a devsetup server runs from: PostgreSQL's -D, MariaDB's my.cnf, Redis's working folder. */
function serviceFolder(pid: number, command: string): string | undefined {
  const pg = /\s-D\s+(\S+)\/data(?:\s|$)/.exec(command)?.[1]
  const my = /--defaults-file=(\S+)\/my\.cnf\b/.exec(command)?.[1]
  if (pg ?? my) return pg ?? my
  try {
    return readlinkSync(`/proc/${pid}/cwd`)
  } catch {
    return undefined
  }
}

/** Who listens on `port`, as seen from the repository at `root`. */
export async function holderOf(port: number, root: string): Promise<ServiceHolder> {
  const holder = await portHolder(port)
  if (!holder?.pid) return { by: '', process: undefined, otherRepository: undefined }
  const command = holder.command ?? ''
  const proc = `pid ${holder.pid}${command ? ` \`${shorten(maskCommandLine(command), 80)}\`` : ''}`
  const who = ` by ${processLabel(holder.pid, command)}`
  const folder = serviceFolder(holder.pid, command)
  const record = folder && path.basename(path.dirname(folder)) === 'services' ? readRecord(folder) : undefined
  const other = record?.repository && record.repository !== root ? record.repository : undefined
  return {
    by: other ? `${who}, devsetup's server for ${other} (\`devsetup stop\` there stops it)` : who,
    process: proc,
    otherRepository: other,
  }
}
