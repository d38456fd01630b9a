// Long synchronous work in slices. Node runs a signal handler only when the event loop is
// free, so a 60,000-line recipe parsed in one go would hold Ctrl-C and SIGTERM for seconds.
// The work is written once as a generator that yields between slices; the CLI runs it with
// pauses (and stops once interrupted), tests and `parseRecipe` run it straight through.

/** Lets pending signal handlers run, then stops if one of them aborted `signal`. */
export async function pause(signal?: AbortSignal): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  signal?.throwIfAborted()
}

export function runStraight<T>(work: Generator<void, T>): T {
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
  }
}

export async function runSliced<T>(work: Generator<void, T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
    await pause(signal)
  }
}
