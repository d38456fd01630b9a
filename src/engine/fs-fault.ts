// The machine's faults in words: a full disk or a folder someone else owns is the user's to
// fix, not a bug in devsetup, so it is an error that names the file, the cause and the way out.
import { statfsSync, statSync } from 'node:fs'
import { userInfo } from 'node:os'
import path from 'node:path'
import { DevsetupError, ExitCode } from '../errors.js'
import { formatBytes } from '../steps/cleanup/describe.js'

const denied = new Set(['EACCES', 'EPERM', 'EROFS'])
const full = new Set(['ENOSPC', 'EDQUOT'])

/** True for the errno codes this file explains. */
export function isFsFault(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ''
  return denied.has(code) || full.has(code)
}

/**
 * `error` (from writing or creating `file`) as a DevsetupError, or undefined when it is not a
 * disk or permission fault. `doing` is the verb: "write", "create".
 */
export function fsFault(error: unknown, file: string, doing = 'write'): DevsetupError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ''
  const shown = path.relative(process.cwd(), file) || file
  if (full.has(code)) {
    const free = freeBytes(file)
    const room = free === undefined ? '' : ` (${formatBytes(free)} free on the file system holding it)`
    return new DevsetupError(`cannot ${doing} ${shown}: the disk is full${room}`, {
      exitCode: ExitCode.usage,
      hint: 'free some space there, then run devsetup again; nothing was half-written',
      cause: error,
    })
  }
  if (denied.has(code)) {
    const owner = ownerOf(file)
    const why = code === 'EROFS' ? 'the file system is read-only' : 'permission denied'
    return new DevsetupError(`cannot ${doing} ${shown}: ${why}${owner ? ` (owned by ${owner})` : ''}`, {
      exitCode: ExitCode.usage,
      hint: `devsetup keeps its state and lock in that folder: make it writable by ${userInfo().username}, or point DEVSETUP_STATE_DIR at a folder that is; \`devsetup doctor\` only reads and works as is`,
      cause: error,
    })
  }
  return undefined
}

/** Runs `write`; a disk or permission fault becomes the error above. */
export function explainFsFault<T>(file: string, write: () => T, doing = 'write'): T {
  try {
    return write()
  } catch (error) {
    throw fsFault(error, file, doing) ?? error
  }
}

function nearestExisting(file: string): string {
  let current = path.resolve(file)
  for (;;) {
    try {
      statSync(current)
      return current
    } catch {
      if (path.dirname(current) === current) return current
      current = path.dirname(current)
    }
  }
}

function freeBytes(file: string): number | undefined {
  try {
    const fs = statfsSync(nearestExisting(file))
    return fs.bavail * fs.bsize
  } catch {
    return undefined
  }
}

/** Who owns the nearest existing folder on the path (the one that refused us). */
function ownerOf(file: string): string | undefined {
  try {
    const uid = statSync(nearestExisting(file)).uid
    if (uid === 0) return 'root'
    return uid === process.getuid?.() ? 'you' : `uid ${uid}`
  } catch {
    return undefined
  }
}
