// logs/<timestamp>.log in the state folder (state-dir.ts): every command's full output for one run. The last 10 are kept.
import { closeSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import { maskUrls } from './mask.js'

const keep = 10

export class RunLog {
  private fd: number | undefined

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
    writeSync(
      this.fd,
      `${lines
        .split('\n')
        .map((line) => `[${stepId}] ${line}`)
        .join('\n')}\n`,
    )
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}
