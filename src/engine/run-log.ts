// logs/<timestamp>.log in the state folder (state-dir.ts): every command's full output for one run.
// The file is made at the first line written: a no-op run whose checks start no command leaves
// none, so ten no-op runs do not push out the log of the run that failed. The last 10 are kept.
import { closeSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import { fsFault } from './fs-fault.js'
import { maskSecrets } from './mask.js'

const keep = 10

export class RunLog {
  private fd: number | undefined
  private closed = false
  private created = false
  /** Why the log stopped being written (a full disk): the run goes on, the user is told at the end. */
  lost: string | undefined

  private constructor(readonly file: string) {}

  static open(stateDir: string, now = new Date()): RunLog {
    const name = `${now.toISOString().replace(/[:.]/g, '-')}.log`
    return new RunLog(path.join(stateDir, 'logs', name))
  }

  /** Whether anything was written: only then does the file exist. */
  get written(): boolean {
    return this.created
  }

  private create(): number {
    const dir = path.dirname(this.file)
    const fd = openSync(this.file, 'a')
    this.fd = fd
    this.created = true
    const old = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .sort()
      .slice(0, -keep)
    for (const file of old) rmSync(path.join(dir, file), { force: true })
    return fd
  }

  /** Synchronous on purpose: lines written just before a crash or Ctrl-C are not lost. */
  write(stepId: string, text: string): void {
    if (this.closed) return
    let fd = this.fd
    if (fd === undefined) {
      try {
        fd = this.create()
      } catch (error) {
        this.lost = `the run log could not be written: ${fsFault(error, this.file)?.message ?? (error as Error).message}`
        this.close()
        return
      }
    }
    const lines = maskSecrets(text.endsWith('\n') ? text.slice(0, -1) : text)
    const bytes = Buffer.from(
      `${lines
        .split('\n')
        .map((line) => `[${stepId}] ${line}`)
        .join('\n')}\n`,
    )
    try {
      // On a full disk a write may stop short without an error; the next one then fails.
      const written = writeSync(fd, bytes)
      if (written < bytes.length) writeSync(fd, bytes.subarray(written))
    } catch (error) {
      // A log that cannot grow must not fail the setup it records.
      this.lost = `the run log is incomplete: ${fsFault(error, this.file)?.message ?? (error as Error).message}`
      this.close()
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    this.closed = true
  }
}
