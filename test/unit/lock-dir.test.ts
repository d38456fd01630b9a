// The folder lock under `up` (src/engine/lock-dir.ts): one holder, a stale folder taken over, a
// fresh one respected, kept fresh while held, and left alone once another holder has it.
import { existsSync, mkdirSync, statSync, utimesSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { lockDir } from '../../src/engine/lock-dir.js'
import { tempRepo } from '../helpers.js'

const options = { staleMs: 10_000, retries: 0, retryMs: 50 }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const secondsAgo = (s: number) => new Date(Date.now() - s * 1000)

describe('lock folder', () => {
  it('has one holder at a time, and is free again once released', async () => {
    const dir = path.join(tempRepo({}, { git: false }), 'run.lock')
    const release = await lockDir(dir, options)
    expect(existsSync(dir)).toBe(true)
    await expect(lockDir(dir, { ...options, retries: 2 })).rejects.toMatchObject({ code: 'ELOCKED' })
    release()
    expect(existsSync(dir)).toBe(false)
    ;(await lockDir(dir, options))()
  })

  it('waits for a holder that releases within its retries', async () => {
    const dir = path.join(tempRepo({}, { git: false }), 'run.lock')
    const release = await lockDir(dir, options)
    setTimeout(release, 100)
    const second = await lockDir(dir, { ...options, retries: 40 })
    expect(existsSync(dir)).toBe(true)
    second()
  })

  it('takes over a folder not renewed for staleMs, and respects a fresh one', async () => {
    const dir = path.join(tempRepo({}, { git: false }), 'run.lock')
    mkdirSync(dir)
    utimesSync(dir, secondsAgo(9), secondsAgo(9))
    await expect(lockDir(dir, options)).rejects.toMatchObject({ code: 'ELOCKED' })
    utimesSync(dir, secondsAgo(11), secondsAgo(11))
    const release = await lockDir(dir, options)
    expect(statSync(dir).mtimeMs).toBeGreaterThan(secondsAgo(5).getTime())
    release()
  })

  it('a folder holding something is not silently removed', async () => {
    const dir = path.join(tempRepo({}, { git: false }), 'run.lock')
    mkdirSync(path.join(dir, 'inside'), { recursive: true })
    utimesSync(dir, secondsAgo(60), secondsAgo(60))
    await expect(lockDir(dir, options)).rejects.toMatchObject({ code: 'ENOTEMPTY' })
  })

  it('renews its mtime while held, and stops once another holder has taken it over', async () => {
    const dir = path.join(tempRepo({}, { git: false }), 'run.lock')
    const release = await lockDir(dir, { ...options, renewMs: 50 })
    utimesSync(dir, secondsAgo(1), secondsAgo(1))
    // Not ours any more (another run took it over): never renewed again, not removed at release.
    await sleep(300)
    expect(statSync(dir).mtimeMs).toBeLessThan(secondsAgo(0.5).getTime())
    release()
    expect(existsSync(dir)).toBe(true)

    const other = path.join(tempRepo({}, { git: false }), 'run.lock')
    const held = await lockDir(other, { ...options, renewMs: 50 })
    const first = statSync(other).mtimeMs
    for (let i = 0; i < 100 && statSync(other).mtimeMs === first; i++) await sleep(20)
    expect(statSync(other).mtimeMs).toBeGreaterThan(first)
    held()
    expect(existsSync(other)).toBe(false)
  })
})
