// Finds PostgreSQL's server binaries (initdb, pg_ctl) of each installed major version:
// Debian/Ubuntu's /usr/lib/postgresql/<major>/bin, Homebrew's postgresql@<major>, then PATH.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { findOnPath } from '../../engine/which.js'

export interface PgInstall {
  major: string
  bin: string
}

const brewPrefixes = ['/opt/homebrew', '/usr/local', '/home/linuxbrew/.linuxbrew']

function debianInstalls(): PgInstall[] {
  const root = '/usr/lib/postgresql'
  try {
    return readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
      .map((major) => ({ major, bin: path.join(root, major, 'bin') }))
  } catch {
    return []
  }
}

function brewInstalls(): PgInstall[] {
  const found: PgInstall[] = []
  for (const prefix of brewPrefixes) {
    const opt = path.join(prefix, 'opt')
    let names: string[] = []
    try {
      names = readdirSync(opt)
    } catch {
      continue
    }
    for (const name of names) {
      const match = /^postgresql@(\d+)$/.exec(name)
      const bin = path.join(opt, name, 'bin')
      if (match && existsSync(path.join(bin, 'initdb'))) found.push({ major: match[1]!, bin })
    }
  }
  return found
}

async function pathInstall(env: Record<string, string>): Promise<PgInstall | undefined> {
  const pgCtl = await findOnPath('pg_ctl', env)
  if (!pgCtl) return undefined
  const bin = path.dirname(pgCtl)
  if (!existsSync(path.join(bin, 'initdb'))) return undefined
  try {
    const { stdout } = await promisify(execFile)(pgCtl, ['--version'])
    const major = /\(PostgreSQL\)\s+(\d+)/.exec(stdout)?.[1]
    return major ? { major, bin } : undefined
  } catch {
    return undefined
  }
}

/** Every install found, newest major first (one per major: Debian, then Homebrew, then PATH). */
export async function pgInstalls(env: Record<string, string>): Promise<PgInstall[]> {
  const all = [...debianInstalls(), ...brewInstalls()]
  const onPath = await pathInstall(env)
  if (onPath) all.push(onPath)
  const byMajor = new Map<string, PgInstall>()
  for (const install of all) if (!byMajor.has(install.major)) byMajor.set(install.major, install)
  return [...byMajor.values()].sort((a, b) => Number(b.major) - Number(a.major))
}

/** How to install PostgreSQL `major` (or any) on this machine. */
export function pgInstallHint(major: string | undefined): string {
  if (process.platform === 'darwin') return `brew install postgresql@${major ?? '16'}`
  return major ? `apt-get install postgresql-${major}` : 'apt-get install postgresql'
}
