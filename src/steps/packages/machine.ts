// What the packages step needs to know about the machine it runs on: the OS family
// (from /etc/os-release), which tools are on the step's PATH, and whether we are root.
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { findOnPath } from '../../engine/which.js'

export interface Machine {
  platform: NodeJS.Platform
  /** os-release ID followed by ID_LIKE, lower case: ['ubuntu', 'debian']. Empty when unknown. */
  osIds: string[]
  /** "debian 12" / "ubuntu 24.04" / "darwin": for reasons shown to the user. */
  osLabel: string
  root: boolean
  /** Absolute path of `name` on the step's PATH, or undefined. */
  which(name: string): string | undefined
}

export async function detectMachine(env: Record<string, string>): Promise<Machine> {
  const osRelease = process.platform === 'linux' ? await readOsRelease() : {}
  const osIds = [osRelease.ID, ...(osRelease.ID_LIKE ?? '').split(/\s+/)]
    .filter((id): id is string => !!id)
    .map((id) => id.toLowerCase())
  const found = await Promise.all(toolNames.map((name) => findOnPath(name, env)))
  const tools = new Map<string, string | undefined>(toolNames.map((name, i) => [name, found[i]]))
  return {
    platform: process.platform,
    osIds,
    osLabel: osRelease.ID ? `${osRelease.ID} ${osRelease.VERSION_ID ?? ''}`.trim() : process.platform,
    root: process.getuid?.() === 0,
    which: (name) => tools.get(name),
  }
}

/** Every tool the managers look for, resolved once per check. */
const toolNames = [
  'brew',
  'dpkg-query',
  'apt-get',
  'rpm',
  'dnf',
  'yum',
  'zypper',
  'pacman',
  'apk',
  'sudo',
] as const

async function readOsRelease(): Promise<Record<string, string>> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return parseOsRelease(await readFile(file, 'utf8'))
    } catch {
      // Try the next location; a machine without either is simply "unknown".
    }
  }
  return {}
}

export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim())
    if (match) fields[match[1]!] = match[2]!.replace(/^(["'])(.*)\1$/, '$2')
  }
  return fields
}

const dayMs = 24 * 60 * 60 * 1000

/**
 * Why apt's package lists need `apt-get update` first, or undefined when they are fresh.
 * File mtimes alone do not tell when apt last updated: apt stamps each list with the server's
 * Last-Modified and leaves unchanged ones alone. The lists folder and its `partial/` folder
 * are touched on every update, so the newest of all of them is the last update.
 */
export async function aptListsStaleness(
  listsDir = '/var/lib/apt/lists',
  now = Date.now(),
): Promise<string | undefined> {
  let entries: string[]
  try {
    entries = await readdir(listsDir)
  } catch {
    return 'apt package lists missing'
  }
  const lists = entries.filter((name) => /_(Packages|Sources|InRelease|Release)(\.\w+)?$/.test(name))
  if (lists.length === 0) return 'apt package lists empty'
  const times = await Promise.all(
    ['.', 'partial', ...lists].map((name) =>
      stat(path.join(listsDir, name)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  )
  const ageMs = now - Math.max(...times)
  return ageMs > dayMs ? `apt package lists are ${Math.floor(ageMs / dayMs)} day(s) old` : undefined
}
