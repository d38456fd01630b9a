// Python specifics the fingerprint and the check need, read from files only: the files a
// requirements file pulls in (-r / -c), and whether a venv can still run pip.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

/** Bounds the walk: include cycles end at the visited set, absurd trees at this count. */
const maxIncludes = 100
const includeLine = /^\s*(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/

/**
 * Every file `requirements` include, recursively, relative to `dir`. pip resolves `-r base.txt`
 * against the including file's folder, so this does too. URLs are left out: they are not files.
 */
export async function requirementIncludes(dir: string, requirements: readonly string[]): Promise<string[]> {
  const seen = new Set(requirements.map((r) => path.resolve(dir, r)))
  const queue = [...seen]
  const found: string[] = []
  while (queue.length > 0 && found.length < maxIncludes) {
    const file = queue.shift()!
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split(/\r?\n/)) {
      const target = includeLine.exec(line)?.[1]
      if (!target || target.includes('://')) continue
      const included = path.resolve(path.dirname(file), target)
      if (seen.has(included)) continue
      seen.add(included)
      queue.push(included)
      found.push(path.relative(dir, included))
    }
  }
  return found.slice(0, maxIncludes)
}

/**
 * Why the venv at `dir/.venv` cannot run pip, or undefined when it looks whole. A venv whose
 * lib folder was deleted still has a working bin/python, but no pip and no packages.
 */
export async function brokenVenv(dir: string): Promise<string | undefined> {
  const venv = path.join(dir, '.venv')
  if (!existsSync(path.join(venv, 'pyvenv.cfg'))) return '.venv/pyvenv.cfg missing'
  if (process.platform === 'win32') {
    return existsSync(path.join(venv, 'Lib', 'site-packages')) ? undefined : '.venv/Lib/site-packages missing'
  }
  const lib = await readdir(path.join(venv, 'lib')).catch(() => [] as string[])
  const hasSitePackages = lib.some(
    (name) => name.startsWith('python') && existsSync(path.join(venv, 'lib', name, 'site-packages')),
  )
  return hasSitePackages ? undefined : '.venv/lib/python*/site-packages missing'
}
