// logs/<timestamp>.log in the state folder (state-dir.ts): every command's full output for one run. The last 10 are kept.
import { closeSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import { fsFault } from './fs-fault.js'
import { maskUrls } from './mask.js'

const keep = 10

export class RunLog {
  private fd: number | undefined
  /** Why the log stopped being written (a full disk): the run goes on, the user is told at the end. */
  lost: string | undefined

  private constructor(readonly file: string) {
    this.fd = openSync(file, 'a')
  }

  static open(stateDir: string, now = new Date()): RunLog {
    const dir = path.join(stateDir, 'logs')
    const name = `${now.toISOString().replace(/[:.]/g, '-')}.log`
    const log = new RunLog(path.join(dir, name))
    const old = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .sort()
      .slice(0, -keep)
    for (const file of old) rmSync(path.join(dir, file), { force: true })
    return log
  }

  /** Synchronous on purpose: lines written just before a crash or Ctrl-C are not lost. */
  write(stepId: string, text: string): void {
    if (this.fd === undefined) return
    const lines = maskUrls(text.endsWith('\n') ? text.slice(0, -1) : text)
    const bytes = Buffer.from(
      `${lines
        .split('\n')
        .map((line) => `[${stepId}] ${line}`)
        .join('\n')}\n`,
    )
    try {
      // On a full disk a write may stop short without an error; the next one then fails.
      const written = writeSync(this.fd, bytes)
      if (written < bytes.length) writeSync(this.fd, bytes.subarray(written))
    } catch (error) {
      // A log that cannot grow must not fail the setup it records.
      this.lost = `the run log is incomplete: ${fsFault(error, this.file)?.message ?? (error as Error).message}`
      this.close()
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}
