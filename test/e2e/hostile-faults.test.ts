// Faults of the machine, not the recipe: a full disk, someone else's read-only checkout, a
// lock left behind by a process whose pid was reused. Each gets a clear error or a safe
// takeover that says so — never an internal error, never half a file left behind.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, tempRepo } from '../helpers.js'

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

describe.skipIf(!canMount)('a full disk', () => {
  it('locking: a clear error naming the path and the free space; nothing half-written', async () => {
    const disk = tinyDisk()!
    writeFileSync(path.join(disk, 'devsetup.yml'), recipe)
    mkdirSync(path.join(disk, '.devsetup', 'logs'), { recursive: true })
    fill(disk)
    const r = await runCli(['up'], { cwd: disk })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/\.devsetup\/run\.lock\S* .*the disk is full \(\d+ (B|kB) free/)
    expect(readdirSync(path.join(disk, '.devsetup')).filter((n) => n !== 'logs')).toEqual([])
  })

  it('from the start: .devsetup cannot even be made', async () => {
    const disk = tinyDisk()!
    writeFileSync(path.join(disk, 'devsetup.yml'), recipe)
    fill(disk)
    const r = await runCli(['up'], { cwd: disk })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/disk is full|no room/)
  })

  it('while a step writes: the log is said to be incomplete, state.json is named, no temp file left', async () => {
    const disk = tinyDisk('256k')!
    const flood = 'head -c 400000 /dev/zero | tr "\\\\0" x | fold -w 100'
    writeFileSync(path.join(disk, 'devsetup.yml'), `version: 1\nsteps:\n  - run: ${flood}\n`)
    const r = await runCli(['up'], { cwd: disk })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/warning: the run log is incomplete: .*the disk is full/)
    expect(r.stderr).toMatch(/cannot write \.devsetup\/state\.json: the disk is full/)
    expect(readdirSync(path.join(disk, '.devsetup')).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('doctor still answers on a full disk', async () => {
    const disk = tinyDisk()!
    writeFileSync(path.join(disk, 'devsetup.yml'), recipe)
    fill(disk)
    const r = await runCli(['doctor'], { cwd: disk })
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

  it('up: a clear error when .devsetup cannot be made', async () => {
    const repo = othersCheckout()
    const r = await runCli(['up'], { cwd: repo, asNobody: true })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot create \S*\.devsetup: permission denied/)
  })

  it('up: a clear error when .devsetup exists but is not writable; doctor still works', async () => {
    const repo = othersCheckout()
    mkdirSync(path.join(repo, '.devsetup', 'logs'), { recursive: true })
    const r = await runCli(['up'], { cwd: repo, asNobody: true })
    expect(r.stderr).not.toMatch(noInternal)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot (write|create) \S*\.devsetup\S*: permission denied/)
    expect(r.stderr).toMatch(/owned by root/)
    expect(r.stderr).toContain('devsetup doctor')
    const doctor = await runCli(['doctor'], { cwd: repo, asNobody: true })
    expect(doctor.stderr).not.toMatch(noInternal)
    expect(doctor.code).toBe(0)
    expect(doctor.stdout).toContain('ready')
  })
})

describe('a lock left behind', () => {
  function lockedRepo(owner: string): string {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    mkdirSync(path.join(repo, '.devsetup', 'run.lock'), { recursive: true })
    writeFileSync(path.join(repo, '.devsetup', 'run.lock.json'), owner)
    return repo
  }

  it('naming a pid that a later process reuses (pid 1, locked in 2020) is taken over, and said so', async () => {
    const repo = lockedRepo(
      JSON.stringify({ pid: 1, startedAt: '2020-01-01T00:00:00.000Z', command: 'devsetup up' }),
    )
    const started = Date.now()
    const r = await runCli(['up'], { cwd: repo })
    expect(r.code, r.stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(2500)
    expect(r.stderr).toMatch(/took over the lock .*pid 1\b.*started .*after the lock was taken/)
    expect(existsSync(path.join(repo, '.devsetup', 'run.lock'))).toBe(false)
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
    const lockFile = path.join(repo, '.devsetup', 'run.lock.json')
    for (let i = 0; i < 100 && !(existsSync(lockFile) && statSync(lockFile).size > 0); i++)
      await new Promise((r) => setTimeout(r, 50))
    const second = await runCli(['up'], { cwd: repo })
    expect(second.code).toBe(1)
    expect(second.stderr).toContain('another devsetup run is working in this repository')
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBeGreaterThan(1)
    expect((await first).code).toBe(0)
  })
})
