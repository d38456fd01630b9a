// Content fingerprints of files named by globs: what `inputs`, lockfiles and migrations
// are compared against to decide whether a step must run again.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { glob } from 'tinyglobby'

/** Folders nobody means when they write `**`: skipping them keeps fingerprints fast. */
const ignored = ['**/node_modules/**', '**/.git/**', '**/.devsetup/**']

export async function matchFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const files = await glob([...patterns], {
    cwd,
    ignore: ignored,
    dot: true,
    onlyFiles: true,
    // Links are followed: `config/db.yml -> ../shared/db.yml` changes when the shared file does.
    followSymbolicLinks: true,
  })
  return files.sort()
}

/** sha256 over the sorted relative paths and contents of every matching file. */
export async function fingerprintFiles(
  patterns: readonly string[],
  cwd: string,
): Promise<{ hash: string; files: number }> {
  const files = await matchFiles(patterns, cwd)
  const hash = createHash('sha256')
  const contents = await Promise.all(files.map((file) => readFile(`${cwd}/${file}`)))
  files.forEach((file, i) => {
    hash.update(file)
    hash.update('\0')
    hash.update(contents[i]!)
    hash.update('\0')
  })
  return { hash: hash.digest('hex'), files: files.length }
}
