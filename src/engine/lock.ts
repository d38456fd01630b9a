// One run at a time per repository. proper-lockfile provides an atomic mkdir lock whose
// mtime it refreshes while we run, so a crashed run's lock goes stale by itself; next to it
// we record our pid, so a waiting run can say who holds the lock or take over a dead one's.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import { LockedError } from '../errors.js'
import { isRunning } from './processes.js'

interface Owner {
  pid: number
  startedAt: string
  command: string
}

export type Release = () => void

export async function acquireLock(stateDir: string, command: string, waitMs = 3000): Promise<Release> {
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
    if (!isLocked(error)) throw error
    const holder = readOwner(ownerFile)
    if (holder && !isRunning(holder.pid)) {
      // The holder died without releasing (SIGKILL, power loss): its lock is ours to take.
      rmSync(lockDir, { recursive: true, force: true })
    }
    try {
      release = await attempt(Math.ceil(waitMs / 250))
    } catch (again) {
      if (!isLocked(again)) throw again
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
  writeFileSync(ownerFile, JSON.stringify(owner))
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

function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner
  } catch {
    return undefined
  }
}
