// One run at a time per repository. proper-lockfile provides an atomic mkdir lock whose
// mtime it refreshes while we run, so a crashed run's lock goes stale by itself; next to it
// we record our pid and when we took the lock, so a waiting run can say who holds it, or take
// over one whose holder is provably gone (dead, or its pid since reused by a later process).
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { LockedError } from '../errors.js'
import { fsFault } from './fs-fault.js'
import { isRunning, processStartedAtMs } from './processes.js'
import { writeFileAtomic } from './write-atomic.js'

interface Owner {
  pid: number
  startedAt: string
  command: string
}

export type Release = () => void

export interface LockOptions {
  waitMs?: number
  /** Told when a stale lock is taken over, and why. */
  warn?: (message: string) => void
}

export async function acquireLock(
  stateDir: string,
  command: string,
  options: LockOptions = {},
): Promise<Release> {
  const { waitMs = 3000, warn = () => {} } = options
  const lockDir = path.join(stateDir, 'run.lock')
  const ownerFile = path.join(stateDir, 'run.lock.json')
  const attempt = (retries: number) =>
    lockfile.lock(stateDir, {
      lockfilePath: lockDir,
      realpath: false,
      stale: 10_000,
      retries: { retries, factor: 1, minTimeout: 250, maxTimeout: 250 },
      // A missed refresh (a blocked event loop) must not crash the run it protects.
      onCompromised: () => {},
    })
  const isLocked = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ELOCKED'
  let release: () => Promise<void>
  try {
    release = await attempt(0)
  } catch (error) {
    if (!isLocked(error)) throw fsFault(error, lockDir, 'create') ?? error
    const stale = staleness(ownerFile)
    if (stale) {
      rmSync(lockDir, { recursive: true, force: true })
      rmSync(ownerFile, { force: true })
      warn(stale)
    }
    try {
      release = await attempt(Math.ceil(waitMs / 250))
    } catch (again) {
      if (!isLocked(again)) throw fsFault(again, lockDir, 'create') ?? again
      const owner = readOwner(ownerFile)
      const who = owner
        ? `pid ${owner.pid}, \`${owner.command}\`, started ${owner.startedAt}`
        : 'another process'
      throw new LockedError(
        `another devsetup run is working in this repository (${who})`,
        owner
          ? `wait for it to finish, or stop it with: kill ${owner.pid}`
          : `wait for it, or remove ${lockDir}`,
      )
    }
  }
  const owner: Owner = { pid: process.pid, startedAt: new Date().toISOString(), command }
  try {
    // Whole or not at all: a half-written record (a full disk) would read as garbage.
    writeFileAtomic(ownerFile, JSON.stringify(owner))
  } catch (error) {
    rmSync(lockDir, { recursive: true, force: true })
    release().catch(() => {})
    throw fsFault(error, ownerFile) ?? error
  }
  let released = false
  return () => {
    if (released) return
    released = true
    rmSync(ownerFile, { force: true })
    // Synchronous removal: release must also work from an exit handler.
    rmSync(lockDir, { recursive: true, force: true })
    release().catch(() => {})
  }
}

/** How a process started this long after the lock was taken cannot be its holder (clock jitter aside). */
const startSlackMs = 2000

/**
 * Why the lock's holder is provably gone (said to the user as the takeover's reason), or undefined when it may still be working (or its
 * record is not written yet: the lock folder comes first, the record a moment later).
 */
function staleness(ownerFile: string): string | undefined {
  let text: string
  try {
    text = readFileSync(ownerFile, 'utf8')
  } catch {
    return undefined
  }
  const owner = parseOwner(text)
  const shown = path.relative(process.cwd(), ownerFile) || ownerFile
  // devsetup writes its record atomically: anything else is debris (a crash of an old version, a full disk).
  if (!owner)
    return `took over the lock: its record ${shown} is unreadable (${text.length} bytes, not a lock record)`
  const taken = Date.parse(owner.startedAt)
  if (!isRunning(owner.pid)) return `took over the lock left by pid ${owner.pid}, which is no longer running`
  const started = processStartedAtMs(owner.pid)
  // Without a readable time of taking, a live pid may be the holder: wait for it.
  if (started !== undefined && !Number.isNaN(taken) && started > taken + startSlackMs) {
    return `took over the lock left by pid ${owner.pid}: that pid now belongs to a process started ${new Date(started).toISOString()}, after the lock was taken (${owner.startedAt}); its holder is gone and the pid reused`
  }
  return undefined
}

function parseOwner(text: string): Owner | undefined {
  try {
    const value = JSON.parse(text) as Partial<Owner>
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return undefined
    return {
      pid: value.pid as number,
      startedAt: String(value.startedAt ?? 'at an unknown time'),
      command: String(value.command ?? 'devsetup'),
    }
  } catch {
    return undefined
  }
}

function readOwner(file: string): Owner | undefined {
  try {
    return parseOwner(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}
