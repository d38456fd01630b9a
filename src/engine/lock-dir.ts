// An atomic folder lock, kept fresh: what proper-lockfile provided, without its load (graceful-fs,
// retry, signal-exit: ~3 ms of every run) or its mtime-precision probe (a disk write per run).
// mkdir either creates the folder or fails: one holder. While held, its mtime is renewed every
// staleMs / 2, so a lock whose holder crashed goes stale by itself and is taken over after staleMs.
import { mkdirSync, rmdirSync, statSync, utimesSync } from 'node:fs'

export interface LockDirOptions {
  /** A lock not renewed for this long is taken over. */
  staleMs: number
  /** Further attempts after the first, `retryMs` apart, while the lock is held by another. */
  retries: number
  retryMs: number
  /** How often the mtime is renewed; staleMs / 2 unless given. */
  renewMs?: number
}

const locked = (dir: string): Error =>
  Object.assign(new Error(`${dir} is held by another process`), { code: 'ELOCKED' as const })

const code = (error: unknown) => (error as NodeJS.ErrnoException).code

/** One attempt: the folder made by us, or ELOCKED; a stale folder is removed and made again once. */
function tryOnce(dir: string, staleMs: number): void {
  try {
    mkdirSync(dir)
    return
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error
  }
  let mtimeMs: number
  try {
    mtimeMs = statSync(dir).mtimeMs
  } catch (error) {
    // Released in between: one more try, without the stale check.
    if (code(error) !== 'ENOENT') throw error
    mkdirOrLocked(dir)
    return
  }
  if (mtimeMs >= Date.now() - staleMs) throw locked(dir)
  try {
    rmdirSync(dir)
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error
  }
  mkdirOrLocked(dir)
}

function mkdirOrLocked(dir: string): void {
  try {
    mkdirSync(dir)
  } catch (error) {
    throw code(error) === 'EEXIST' ? locked(dir) : error
  }
}

/**
 * Takes the lock folder `dir` (waiting up to `retries` × `retryMs` for another holder), keeps it
 * fresh, and removes it at release or, failing that, when the process exits. Throws ELOCKED.
 */
export async function lockDir(dir: string, options: LockDirOptions): Promise<() => void> {
  for (let attempt = 0; ; attempt++) {
    try {
      tryOnce(dir, options.staleMs)
      break
    } catch (error) {
      if (code(error) !== 'ELOCKED' || attempt >= options.retries) throw error
      await new Promise((resolve) => setTimeout(resolve, options.retryMs))
    }
  }
  let ours = statSync(dir).mtimeMs
  let released = false
  let lost = false
  const remove = () => {
    try {
      rmdirSync(dir)
    } catch {}
  }
  // Renewed only while the folder still carries our mtime: one taken over after a long pause
  // (a suspended laptop) belongs to its new holder, and is left alone.
  const renew = setInterval(
    () => {
      try {
        if (statSync(dir).mtimeMs !== ours) {
          lost = true
          return stop()
        }
        const now = new Date()
        utimesSync(dir, now, now)
        ours = statSync(dir).mtimeMs
      } catch {
        lost = true
        stop()
      }
    },
    options.renewMs ?? options.staleMs / 2,
  )
  // The timer must not keep the process alive; the exit hook removes what release did not.
  renew.unref()
  process.on('exit', remove)
  const stop = () => {
    clearInterval(renew)
    process.off('exit', remove)
  }
  return () => {
    if (released) return
    released = true
    stop()
    if (!lost) remove()
  }
}
