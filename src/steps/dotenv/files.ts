// Reading and writing the env files, with every file-system failure turned into a
// UserError that says what is wrong and how to fix it (never a raw EACCES or EEXIST).
import { appendFile, lstat, mkdir, readFile, readlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { UserError } from '../../errors.js'
import { type DotenvFile, parseDotenv } from './parse.js'

export interface EnvFile {
  /** The raw text, for the safety net that must not depend on the parser. */
  text: string
  parsed: DotenvFile
}

/** The file read and parsed; undefined when it does not exist. */
export async function readEnvFile(cwd: string, file: string): Promise<EnvFile | undefined> {
  const full = path.resolve(cwd, file)
  try {
    const text = await readFile(full, 'utf8')
    return { text, parsed: parseDotenv(text) }
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT') {
      await rejectDanglingLink(full, file)
      return undefined
    }
    if (code === 'EISDIR')
      throw new UserError(`${file} is a folder, not a .env file`, 'point the step at a file')
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UserError(`${file} is not readable`, `make it readable: chmod u+r ${file}`)
    }
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`)
  }
}

/** A new file: mode 0600 (it holds secrets), never replacing one that appeared meanwhile. */
export async function createEnvFile(cwd: string, file: string, text: string): Promise<void> {
  const full = path.resolve(cwd, file)
  try {
    await mkdir(path.dirname(full), { recursive: true })
    await writeFile(full, text, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    const code = errorCode(error)
    if (code === 'EEXIST') {
      await rejectDanglingLink(full, file)
      throw new UserError(`${file} appeared while devsetup was creating it`, 'run devsetup again')
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new UserError(
        `cannot create ${file}: its folder is not writable`,
        `make ${path.dirname(file)} writable by you, or create ${file} yourself`,
      )
    }
    throw new UserError(`cannot create ${file}: ${(error as Error).message}`)
  }
}

/** Appending (not rewriting) keeps every existing byte, the mode, the owner and a symlink. */
export async function appendToEnvFile(cwd: string, file: string, text: string, keys: string): Promise<void> {
  try {
    await appendFile(path.resolve(cwd, file), text)
  } catch (error) {
    const code = errorCode(error)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new UserError(
        `${file} is not writable`,
        `make it writable (chmod u+w ${file}) and run again, or add ${keys} to it by hand`,
      )
    }
    throw new UserError(`cannot append to ${file}: ${(error as Error).message}`)
  }
}

/** Rewritten in place (a symlink followed, mode and owner kept): only to fill values that were empty. */
export async function rewriteEnvFile(cwd: string, file: string, text: string): Promise<void> {
  try {
    await writeFile(path.resolve(cwd, file), text)
  } catch (error) {
    const code = errorCode(error)
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new UserError(`${file} is not writable`, `make it writable (chmod u+w ${file}) and run again`)
    throw new UserError(`cannot write ${file}: ${(error as Error).message}`)
  }
}

/** A symlink whose target is missing reads as ENOENT but cannot be created: say so. */
async function rejectDanglingLink(full: string, file: string): Promise<void> {
  const stats = await lstat(full).catch(() => undefined)
  if (!stats?.isSymbolicLink()) return
  const target = await readlink(full)
  throw new UserError(
    `${file} is a link to ${target}, which does not exist`,
    `create ${target}, or remove the link so devsetup can create ${file}`,
  )
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}
