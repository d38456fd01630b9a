// Shared by the restart tests: the fixture server, liveness as /proc sees it, and cleanup of
// whatever a test started (servers devsetup left running, orphans), whatever its outcome.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { afterEach, expect } from 'vitest'
import { repoRoot, stateDirOf } from '../../helpers.js'

export { freePort } from '../database/postgres-cluster.js'

export const serverSource = readFileSync(path.join(repoRoot, 'test/fixtures/restart/server.js'), 'utf8')

export const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // An unreaped zombie still answers kill(0); it holds no port and runs nothing.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\S+ \(.*\) Z/.test(stat)
  } catch {
    return false
  }
}

export const kill = (target: number) => {
  try {
    process.kill(target, 'SIGKILL')
  } catch {}
}

export const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '')

/** How many times devsetup started the server so far (one line per start in its log). */
export const serverStarts = (dir: string) =>
  readFileSync(path.join(stateDirOf(dir), 'server.log'), 'utf8').split('devsetup started:').length - 1

/** Members of a process group, as /proc sees them (zombies excluded). */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      const stat = readIfExists(`/proc/${entry}/stat`)
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(fields[2]) === pgid && fields[0] !== 'Z'
    })
    .map(Number)
}

/** A crashed server's report: its process group (devsetup's own) is stopped, and forgotten. */
export function expectGroupStopped(output: string, repo: string): void {
  const pgid = Number(output.match(/stopped its process group (\d+) \(SIG/)?.[1])
  expect(pgid, output).toBeGreaterThan(0)
  expect(groupMembers(pgid)).toEqual([])
  expect(readIfExists(path.join(stateDirOf(repo), 'server.pid'))).toBe('')
}

/** Kills whatever server devsetup started in `repo`, whatever the test's outcome. */
export function killServersAfterwards(repo: string, extraPidfiles: string[] = []): void {
  cleanups.push(() => {
    const pidfiles = [
      path.join(stateDirOf(repo), 'server.pid'),
      ...extraPidfiles.map((f) => path.join(repo, f)),
    ]
    for (const file of pidfiles) {
      const pid = Number(readIfExists(file).trim())
      if (pid) kill(-pid)
      if (pid) kill(pid)
    }
    // Anything still working in the repository (an orphan, should a test fail midway).
    for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        if (readlinkSync(`/proc/${entry}/cwd`).startsWith(repo)) kill(Number(entry))
      } catch {}
    }
  })
}

export async function health(port: number): Promise<{ status: number; pid: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/health`)
  return { status: response.status, pid: Number(await response.text()) }
}
