// Faults of the machine, not the recipe: a full disk, someone else's read-only checkout, a
// lock left behind by a process whose pid was reused. Each gets a clear error or a safe
// takeover that says so — never an internal error, never half a file left behind.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoStateDir } from '../../src/engine/state-dir.js'
import { runCli, stateDirOf, tempRepo } from '../helpers.js'

const isRoot = process.getuid?.() === 0
const noInternal = /internal error|\n\s+at /
const recipe = 'version: 1\nsteps:\n  - run: "true"\n    creates: devsetup.yml\n'

/** A tiny tmpfs (root only), or undefined when this machine does not let us mount one. */
const mounted: string[] = []
function tinyDisk(size = '64k'): string | undefined {
  if (!isRoot) return undefined
  const dir = tempRepo({}, { git: false })
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status !== 0) return undefined
  mounted.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of mounted) spawnSync('umount', [dir])
})
const canMount = (() => {
  const dir = tinyDisk()
  return dir !== undefined
})()

/** Fills the file system holding `dir` to the last byte. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(4096, 120)
  const filler = path.join(dir, 'filler')
  writeFileSync(filler, '')
  for (;;) {
    try {
      writeFileSync(filler, chunk, { flag: 'a' })
    } catch {
      break
    }
  }
  for (;;) {
    try {
      writeFileSync(path.join(dir, `f${Math.random()}`), 'x')
    } catch {
      break
    }
  }
}

// devsetup keeps its state outside the repository (src/engine/state-dir.ts): the state folder,
// not the checkout, is what fills up or belongs to someone else. These tests put it there.

/** A repository and its state home, both on the tiny disk `disk`. */
function onDisk(
  disk: string,
  recipeText: string,
): { repo: string; env: Record<string, string>; state: string } {
  const repo = path.join(disk, 'repo')
  mkdirSync(repo)
  writeFileSync(path.join(repo, 'devsetup.yml'), recipeText)
  const env = { DEVSETUP_STATE_DIR: path.join(disk, 'state') }
  return { repo, env, state: repoStateDir(repo, env) }
}

describe.skipIf(!canMount)('a full disk', () => {
  it('locking: a clear error naming the path and the free space; nothing half-written', async () => {
    const { repo, env, state } = onDisk(tinyDisk()!, recipe)
    mkdirSync(path.join(state, 'logs'), { recursive: true })
    fill(path.dirname(repo))
    const r = await runCli(['up'], { cwd: repo, env })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/run\.lock\S* .*the disk is full \(\d+ (B|kB) free/)
    expect(readdirSync(state).filter((n) => n !== 'logs')).toEqual([])
  })

  it('from the start: the state folder cannot even be made', async () => {
    const { repo, env } = onDisk(tinyDisk()!, recipe)
    fill(path.dirname(repo))
    const r = await runCli(['up'], { cwd: repo, env })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/disk is full|no room/)
  })

  it('while a step writes: the log is said to be incomplete, state.json is named, no temp file left', async () => {
    const flood = 'head -c 400000 /dev/zero | tr "\\\\0" x | fold -w 100'
    const { repo, env, state } = onDisk(tinyDisk('256k')!, `version: 1\nsteps:\n  - run: ${flood}\n`)
    const r = await runCli(['up'], { cwd: repo, env })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/warning: the run log is incomplete: .*the disk is full/)
    expect(r.stderr).toMatch(/cannot write \S*state\.json: the disk is full/)
    expect(readdirSync(state).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('doctor still answers on a full disk', async () => {
    const { repo, env } = onDisk(tinyDisk()!, recipe)
    fill(path.dirname(repo))
    const r = await runCli(['doctor'], { cwd: repo, env })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(0)
  })
})

describe.skipIf(!isRoot)("another user's read-only checkout (run as nobody)", () => {
  function othersCheckout(): string {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    chmodSync(repo, 0o755)
    chmodSync(path.join(repo, 'devsetup.yml'), 0o644)
    return repo
  }
  /** A state home that belongs to root: nobody can create a state folder in it. */
  function rootsStateHome(): string {
    const home = tempRepo({}, { git: false })
    chmodSync(home, 0o755)
    return home
  }

  it("up works without writing into the checkout, since state lives in the runner's own state folder", async () => {
    const repo = othersCheckout()
    const r = await runCli(['up'], { cwd: repo, asNobody: true })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(path.join(repo, '.devsetup'))).toBe(false)
  })

  it('up: a clear error when the state folder cannot be made; doctor still works', async () => {
    const repo = othersCheckout()
    const env = { DEVSETUP_STATE_DIR: rootsStateHome() }
    const r = await runCli(['up'], { cwd: repo, asNobody: true, env })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot create \S+: permission denied/)
    expect(existsSync(path.join(repo, '.devsetup'))).toBe(false)
    expect(r.stderr).toMatch(/owned by root/)
    expect(r.stderr).toContain('devsetup doctor')
    const doctor = await runCli(['doctor'], { cwd: repo, asNobody: true, env })
    expect(doctor.stderr).not.toMatch(noInternal)
    expect(doctor.code).toBe(0)
    expect(doctor.stdout).toContain('ready')
  })
})

describe('a lock left behind', () => {
  function lockedRepo(owner: string): string {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    mkdirSync(path.join(stateDirOf(repo), 'run.lock'), { recursive: true })
    writeFileSync(path.join(stateDirOf(repo), 'run.lock.json'), owner)
    return repo
  }

  it('naming a pid that a later process reuses (pid 1, locked in 2020) is taken over, and said so', async () => {
    const repo = lockedRepo(
      JSON.stringify({ pid: 1, startedAt: '2020-01-01T00:00:00.000Z', command: 'devsetup up' }),
    )
    // Exit 0 with the takeover said: a lock it respected would have ended in exit 1 after its wait.
    const r = await runCli(['up'], { cwd: repo })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/took over the lock .*pid 1\b.*started .*after the lock was taken/)
    expect(existsSync(path.join(stateDirOf(repo), 'run.lock'))).toBe(false)
  })

  it('a garbage lock record is taken over, and said so', async () => {
    const repo = lockedRepo('\0\0garbage{')
    const r = await runCli(['up'], { cwd: repo })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/took over the lock: its record \S*run\.lock\.json is unreadable/)
  })

  it('a live holder is still respected', async () => {
    const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: sleep 8\n' })
    const first = runCli(['up'], { cwd: repo })
    const lockFile = path.join(stateDirOf(repo), 'run.lock.json')
    for (let i = 0; i < 100 && !(existsSync(lockFile) && statSync(lockFile).size > 0); i++)
      await new Promise((r) => setTimeout(r, 50))
    const second = await runCli(['up'], { cwd: repo })
    expect(second.code).toBe(1)
    expect(second.stderr).toContain('another devsetup run is working in this repository')
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBeGreaterThan(1)
    expect((await first).code).toBe(0)
  })
})
