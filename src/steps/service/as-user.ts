// PostgreSQL refuses to run as root (containers, CI). There devsetup runs initdb and pg_ctl as
// the `postgres` system user through runuser, owning the service folder, or refuses with the fix.
import { chownSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { DevsetupError } from '../../errors.js'

export interface RunAs {
  /** Prefix for commands: [] when devsetup is not root, else runuser -u postgres --. */
  prefix: string[]
  uid: number
  gid: number
  name: string | undefined
  /** The server's name, for messages ("PostgreSQL"). */
  product: string
}

interface PasswdEntry {
  uid: number
  gid: number
}

function passwdEntry(name: string): PasswdEntry | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':')
      if (fields[0] === name) return { uid: Number(fields[2]), gid: Number(fields[3]) }
    }
  } catch {
    // No passwd file: no such user.
  }
  return undefined
}

/** The system user each server runs as under root, and the package that creates it. */
const serverUsers = {
  PostgreSQL: { user: 'postgres', home: '/var/lib/postgresql', pkg: 'postgresql' },
  MariaDB: { user: 'mysql', home: '/var/lib/mysql', pkg: 'mariadb-server' },
} as const

/** Who runs the server; throws with the fix when devsetup is root and no unprivileged user fits. */
export function serverRunAs(
  runuser: string | undefined,
  product: keyof typeof serverUsers = 'PostgreSQL',
): RunAs {
  const uid = process.getuid?.() ?? 1000
  if (uid !== 0) return { prefix: [], uid, gid: process.getgid?.() ?? uid, name: undefined, product }
  const { user, home, pkg } = serverUsers[product]
  const entry = passwdEntry(user)
  if (!entry || entry.uid === 0)
    throw new DevsetupError(
      `${product} does not run as root, and there is no \`${user}\` user to run it as`,
      {
        hint: `create one: \`useradd --system --create-home --home-dir ${home} ${user}\` (Debian's ${pkg} package does), or run devsetup as a regular user`,
      },
    )
  if (!runuser)
    throw new DevsetupError(`${product} does not run as root, and \`runuser\` (util-linux) is missing`, {
      hint: 'install util-linux (apt-get install util-linux), or run devsetup as a regular user',
    })
  return { prefix: [runuser, '-u', user, '--'], uid: entry.uid, gid: entry.gid, name: user, product }
}

/**
 * The server user must reach its folder: every folder above it needs the x bit for that user.
 * Throws with the exact chmod (or the state folder to choose) instead of a raw initdb error.
 */
export function assertReachable(dir: string, as: RunAs): void {
  if (as.name === undefined) return
  let current = path.dirname(dir)
  const closed: string[] = []
  for (;;) {
    const st = statSync(current)
    const mode = st.mode
    const ok =
      st.uid === as.uid
        ? (mode & 0o100) !== 0
        : st.gid === as.gid
          ? (mode & 0o010) !== 0
          : (mode & 0o001) !== 0
    if (!ok) closed.push(current)
    const parent = path.dirname(current)
    if (parent === current) break
    current = parent
  }
  if (closed.length > 0)
    throw new DevsetupError(
      `the \`${as.name}\` user that runs ${as.product} cannot reach ${dir}: ${closed.join(', ')} ${closed.length > 1 ? 'are' : 'is'} closed to it`,
      {
        hint: `\`chmod o+x ${closed.map(quote).join(' ')}\`, or set DEVSETUP_STATE_DIR to a folder it can reach (e.g. /var/lib/devsetup)`,
      },
    )
}

/** Hands the service folder to the server user (it must own its data folder). */
export function giveTo(dir: string, as: RunAs): void {
  if (as.name !== undefined) chownSync(dir, as.uid, as.gid)
}

function quote(p: string): string {
  return /^[\w./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`
}
