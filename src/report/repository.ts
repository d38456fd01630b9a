// Which checkout a report is about — the repository's folder name, its branch and commit — so
// two reports (two browser tabs, two CI artifacts) of two repositories or branches differ at
// a glance. Asked of git itself; outside a git repository (or without git) only the name.
import { spawnSync } from 'node:child_process'
import path from 'node:path'

export interface Checkout {
  /** The repository's folder name (git's top level, else the recipe's folder). */
  name: string
  /** Undefined on a detached HEAD or outside git. */
  branch?: string
  /** The abbreviated commit; undefined before the first commit or outside git. */
  commit?: string
}

function git(root: string, args: string[]): string | undefined {
  const result = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8', timeout: 5000 })
  return result.status === 0 ? result.stdout.trim() || undefined : undefined
}

export function describeCheckout(root: string): Checkout {
  const top = git(root, ['rev-parse', '--show-toplevel'])
  const branch = git(root, ['symbolic-ref', '--short', '-q', 'HEAD'])
  const commit = git(root, ['rev-parse', '--short', '-q', '--verify', 'HEAD'])
  return {
    name: path.basename(top ?? root),
    ...(branch ? { branch } : {}),
    ...(commit ? { commit } : {}),
  }
}

/** `shop @ main · 3f9a1c2`, `shop @ 3f9a1c2` (detached), `shop`. */
export function checkoutLabel(c: Checkout): string {
  const at = [c.branch, c.commit].filter(Boolean).join(' · ')
  return at ? `${c.name} @ ${at}` : c.name
}
