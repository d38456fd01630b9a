// Who holds a port a command wanted, and whether that is devsetup's own doing: this
// repository's dev server (its record in the state folder), another devsetup server or
// command (the variables devsetup puts in what it starts), or a process of someone else.
import { readFileSync } from 'node:fs'
import { portHolder, processLabel } from '../../steps/restart/port.js'
import { readRecord, serverFiles } from '../../steps/restart/server.js'
import { procStat } from '../processes.js'

export interface PortOwner {
  pid: number | undefined
  command: string | undefined
  /** 'this-server': the repository's `restart` server; 'devsetup': started by devsetup; 'other'. */
  whose: 'this-server' | 'devsetup' | 'other' | 'unknown'
}

function environNames(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .map((entry) => entry.slice(0, entry.indexOf('=')))
  } catch {
    return []
  }
}

export async function portOwner(port: number, root: string): Promise<PortOwner | undefined> {
  const holder = await portHolder(port)
  if (!holder) return undefined
  const { pid, command } = holder
  if (pid === undefined) return { pid, command, whose: 'unknown' }
  const record = readRecord(serverFiles(root, root, undefined, undefined))
  const group = Number(procStat(pid)?.[2])
  if (record && (record.pid === pid || record.pgid === group)) return { pid, command, whose: 'this-server' }
  const names = environNames(pid)
  if (names.includes('DEVSETUP_SERVER') || names.includes('DEVSETUP_RUN'))
    return { pid, command, whose: 'devsetup' }
  return { pid, command, whose: 'other' }
}

export function describeOwner(port: number, owner: PortOwner | undefined): { cause: string; fix: string } {
  if (!owner)
    return {
      cause: `port ${port} was in use; nothing listens on it now`,
      fix: 'it was held only for a moment (a server still stopping?): run devsetup again',
    }
  if (owner.pid === undefined)
    return {
      cause: `port ${port} is in use by a process devsetup may not inspect (another user's)`,
      fix: `stop it, or give this step another port (its \`env:\`, e.g. PORT)`,
    }
  const who = processLabel(owner.pid, owner.command)
  switch (owner.whose) {
    case 'this-server':
      return {
        cause: `port ${port} is held by this repository's dev server, ${who}, which the \`restart\` step started`,
        fix: 'a command must not start a second server: `devsetup stop` stops the running one, or give this step another port',
      }
    case 'devsetup':
      return {
        cause: `port ${port} is held by ${who}, which devsetup started (for this or another repository)`,
        fix: '`devsetup stop` in the repository that started it, or give this step another port',
      }
    default:
      return {
        cause: `port ${port} is held by ${who}, not started by devsetup`,
        fix: `stop it (\`kill ${owner.pid}\`), or give this step another port (its \`env:\`, e.g. PORT)`,
      }
  }
}
