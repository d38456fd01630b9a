// The recipe cache's part for env files (cache.ts): a step after a dotenv step may take a value
// from that step's files (env-file-scope.ts). The files read are kept with a hash of their text
// (a missing one as null), so that any change is a miss; each value taken is kept as where it
// is (file, key, which definition) and a hash of it, and read from the file again on a hit —
// never stored itself.
import { createHash } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { noteSecretEnv } from '../engine/mask.js'
import { definitionOf, type Pick, parseDotenv } from '../steps/dotenv/parse.js'
import type { FileValue } from './env-file-scope.js'

/** The env files a parse read (their text then; null: no such file) and the values it took from them. */
export interface EnvFilesUsed {
  texts: ReadonlyMap<string, string | null>
  values: readonly FileValue[]
  /** A file that could not be read: the parse is not kept. */
  unreadable: boolean
}

export const noFiles: EnvFilesUsed = { texts: new Map(), values: [], unreadable: false }

/** What is stored of the env files: each path with a hash of its text (salted by the slot's key). */
export function hashedFiles(
  salt: string,
  texts: Iterable<[string, string | null]>,
): [string, string | null][] {
  return [...texts].map(([file, text]) => [file, text === null ? null : saltedHash(salt, file, text)])
}

/** What is stored of a value taken from a file: where it is, and a hash of it. */
type StoredFileValue = [file: string, key: string, pick: Pick, hash: string]

/** A hash of `parts`, salted by the cache slot's key: the same value hashes differently per recipe. */
export const saltedHash = (salt: string, ...parts: string[]) =>
  createHash('sha256')
    .update([salt, ...parts].join('\0'))
    .digest('hex')

export function storedFileValues(salt: string, values: readonly FileValue[]): StoredFileValue[] {
  return values.map(({ file, key, pick, value }) => [file, key, pick, saltedHash(salt, file, key, value)])
}

/**
 * An env file's text; null when there is no such file. Anything but a regular file throws
 * (a FIFO would block the read forever: a `.env` that is one is the dotenv step's to report).
 */
export function readEnvText(file: string): string | null {
  let fd: number
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${file} is not a regular file`)
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

/**
 * The values taken from env files, read again (undefined: a miss) once the files are the same:
 * index → value, as the references `\0@index\0` name them.
 */
export function valuesFromFiles(salt: string, files: unknown, values: unknown): string[] | undefined {
  if (!Array.isArray(files) || !Array.isArray(values)) return undefined
  const texts = new Map<string, string | null>()
  try {
    for (const [file] of files as [string][]) texts.set(file, readEnvText(file))
  } catch {
    return undefined
  }
  if (JSON.stringify(hashedFiles(salt, texts)) !== JSON.stringify(files)) return undefined
  const found: string[] = []
  for (const [file, key, pick, hash] of values as StoredFileValue[]) {
    const text = texts.get(file)
    const value = typeof text === 'string' ? definitionOf(parseDotenv(text), key, pick)?.value : undefined
    if (value === undefined || saltedHash(salt, file, key, value) !== hash) return undefined
    // Masked as the parse masked it (env-file-scope.ts).
    noteSecretEnv({ [key]: value })
    found.push(value)
  }
  return found
}

/** The password of a URL with one (decoded, as a step that parses the URL holds it); else undefined. */
export function passwordOf(value: string): string | undefined {
  if (!value.includes('@') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined
  try {
    const password = new URL(value).password
    return password ? decodeURIComponent(password) : undefined
  } catch {
    return undefined
  }
}
