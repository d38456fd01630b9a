// A traced script's trace file (engine/script-trace.ts) is devsetup's own open file: it must be
// closed however the command ends, also when the process cannot even start. Real createExec,
// real spawn, real bash; the open files counted in /proc.
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createExec } from '../../src/engine/exec.js'
import { ScriptTrace } from '../../src/engine/script-trace.js'

const openFiles = () => readdirSync('/proc/self/fd').length

describe("a traced script's trace file", () => {
  const exec = createExec({
    cwd: os.tmpdir(),
    env: () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin' }),
    signal: new AbortController().signal,
  })

  it('is closed after a script that ran (the count this test compares against)', async () => {
    const before = openFiles()
    await exec('echo one\nfalse', { nameFailedLine: true, reject: false })
    expect(openFiles()).toBe(before)
  })

  it('is closed when spawn throws before the script starts (a NUL byte in it)', async () => {
    const before = openFiles()
    await expect(exec('echo one\0\nfalse', { nameFailedLine: true })).rejects.toThrow(/null bytes/)
    expect(openFiles()).toBe(before)
  })

  it('is emptied and closed once: a second close leaves the file that took its fd number alone', async () => {
    const trace = await ScriptTrace.open('echo one\nfalse', { PATH: process.env.PATH ?? '/usr/bin:/bin' })
    if (!trace) throw new Error('no bash on PATH')
    trace.failedLine()
    const other = path.join(os.tmpdir(), `devsetup-other-${process.pid}`)
    writeFileSync(other, 'keep me')
    const fd = openSync(other, 'r+')
    try {
      // The lowest free number: the one the trace had. Else this test could not fail.
      expect(fd).toBe(trace.fd)
      trace.close()
      expect(readFileSync(other, 'utf8')).toBe('keep me')
    } finally {
      closeSync(fd)
    }
  })
})
