// Who holds the port a service wants, said in the refusal: a pid and its command, and — when it
// is a server devsetup made for another clone or repository — which one, so the fix is not
// "stop another program" when the program is devsetup's own (a second clone of the same app).
import { readlinkSync } from 'node:fs'
import path from 'node:path'
import { portHolder } from '../restart/port.js'
import { shorten } from '../text.js'
import { readRecord } from './paths.js'

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

/** ` by pid 812 (`postgres -D …`), devsetup's PostgreSQL of /home/me/other-clone` — or '' when nobody is found. */
export async function heldBy(port: number, root: string): Promise<string> {
  const holder = await portHolder(port)
  if (!holder?.pid) return ''
  const command = holder.command ?? ''
  const who = ` by pid ${holder.pid}${command ? ` (\`${shorten(command, 80)}\`)` : ''}`
  const folder = serviceFolder(holder.pid, command)
  const record = folder && path.basename(path.dirname(folder)) === 'services' ? readRecord(folder) : undefined
  if (!record?.repository || record.repository === root) return who
  return `${who}, devsetup's server for ${record.repository} (\`devsetup stop\` there stops it)`
}
