// Finds a language's binary the way later steps will (the step's PATH, not devsetup's own)
// and reads its exact version.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { findOnPath } from '../../engine/which.js'
import type { CheckContext } from '../define.js'
import type { Language } from './languages.js'
import { SemverNotLoaded } from './semver.js'

export type Probe =
  | { found: true; binary: string; version: string }
  | { found: false; binary?: string; problem: string }

export async function probe(lang: Language, ctx: Pick<CheckContext, 'env' | 'exec'>): Promise<Probe> {
  let binary: string | undefined
  for (const name of lang.binaries) {
    binary = await findOnPath(name, ctx.env)
    if (binary) break
  }
  if (!binary) return { found: false, problem: `${lang.binaries.join(' or ')} not found on PATH` }
  // The node running devsetup knows its own version: starting it again to ask costs a process.
  if (lang.name === 'node' && (await isSameFile(binary, process.execPath))) {
    return { found: true, binary, version: process.versions.node }
  }
  const result = await ctx.exec([binary, ...lang.versionArgs], { reject: false, timeoutMs: 30_000 })
  const output = lang.versionOn === 'stderr' ? `${result.stderr}\n${result.stdout}` : result.stdout
  if (result.exitCode !== 0) {
    // A shim (pyenv, asdf) exits non-zero when the pinned version is not installed: say so.
    const firstLine = (result.stderr || result.stdout).trim().split('\n')[0] ?? ''
    const shown = `${path.basename(binary)} ${lang.versionArgs.join(' ')}`
    return { found: false, binary, problem: `\`${shown}\` exited ${result.exitCode}: ${firstLine}` }
  }
  const version = lang.parseVersion(output.trim())
  if (!version) return { found: false, binary, problem: `cannot read a version from \`${output.trim()}\`` }
  return { found: true, binary, version }
}

/**
 * The language's binary in `binDir` only (a binary elsewhere on PATH cannot answer for it), with
 * `binDir` first on PATH for what it runs. A binary that cannot even start (a truncated download)
 * is a problem, not a crash.
 */
export async function probeFolder(
  lang: Language,
  binDir: string,
  ctx: Pick<CheckContext, 'env' | 'exec'>,
): Promise<Probe> {
  const PATH = [binDir, ctx.env.PATH].filter(Boolean).join(path.delimiter)
  try {
    return await probe(lang, {
      env: { ...ctx.env, PATH: binDir },
      exec: (command, options) => ctx.exec(command, { ...options, env: { ...options?.env, PATH } }),
    })
  } catch (error) {
    // Not a problem of the install: the check starts again with semver (semver.ts).
    if (error instanceof SemverNotLoaded) throw error
    return { found: false, problem: (error as Error).message }
  }
}

/** Both paths lead (through links) to the same file. */
async function isSameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]).catch(() => [undefined, undefined])
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino
}
