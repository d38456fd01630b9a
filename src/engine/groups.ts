// The process groups devsetup started and that still run. Kept apart from exec.ts (and its
// execa) so that src/cli.ts can kill them on exit without loading the command runner:
// `devsetup --help` must not pay for what only a step needs.

const liveGroups = new Set<number>()

export function trackGroup(pid: number): void {
  liveGroups.add(pid)
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid)
}

export function killAllGroups(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of liveGroups) killGroup(pid, signal)
}

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}
