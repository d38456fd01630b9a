// Work a step hands off so that its failure is reported first. Stopping a crashed dev server's
// process group (26 processes under `concurrently`, each closing its pools on SIGTERM) takes up
// to a couple of seconds, and the failure, with the server's log, must not wait for it. The run
// still does not end before that work is done: `up` finishes it after its failure report and
// before its last line and the lock's release, so nothing the run meant to stop is running when
// it exits, and a `doctor` or `ps` after it sees the end state. Each piece ends in one line
// saying what it did ("stopped its process group 4120 (SIGTERM in 0.6s)").

interface HandedOff {
  stepId: string
  done: Promise<string>
}

const pending: HandedOff[] = []

export function handOff(stepId: string, work: Promise<string>): void {
  // Settled at once: a rejection must not go unhandled while the report is being written.
  pending.push({ stepId, done: work.catch((error: unknown) => (error as Error).message ?? String(error)) })
}

/** Waits for everything handed off so far; each piece's step and line, in the order handed off. */
export async function finishHandedOff(): Promise<{ stepId: string; line: string }[]> {
  const all = pending.splice(0)
  return Promise.all(all.map(async ({ stepId, done }) => ({ stepId, line: await done })))
}
