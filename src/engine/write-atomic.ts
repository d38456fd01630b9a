// Writes a file so that a crash or Ctrl-C never leaves half of it: a temp file, then a rename.
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs'

export function writeFileAtomic(file: string, text: string, mode?: number): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temp, text)
    // Exactly this mode, whatever the umask (a new file's mode is masked by it).
    if (mode !== undefined) chmodSync(temp, mode)
    renameSync(temp, file)
  } catch (error) {
    // A full disk leaves the temp file half-written: the old file stays whole, and no debris.
    rmSync(temp, { force: true })
    throw error
  }
}
