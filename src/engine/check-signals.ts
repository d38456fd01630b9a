// The abort signals of checks. A check is bounded by the run's signal and its step's timeout,
// and is stopped once nobody needs its answer (a fresh check of the step replaced it, or the
// run ended): devsetup must not linger for it. The signal is made when the check first asks
// for it, since most never do (a stat, a state lookup) and a 1,000-step no-op paid for 1,000
// combined signals; a check that does not look at its signal cannot be stopped by one either.
// One that asks after it was abandoned gets a signal that is already aborted.

interface LatestCheck {
  controller?: AbortController
  abandoned?: Error
}

export class CheckSignals {
  private readonly latest = new Map<string, LatestCheck>()

  constructor(private readonly run: AbortSignal) {}

  /** For a new check of `stepId` (abandoning the one before it): makes its signal on demand. */
  fresh(stepId: string, timeoutMs: number | undefined): () => AbortSignal {
    abandon(this.latest.get(stepId), new Error('replaced by a fresh check'))
    const latest: LatestCheck = {}
    this.latest.set(stepId, latest)
    return () => {
      latest.controller = new AbortController()
      if (latest.abandoned) latest.controller.abort(latest.abandoned)
      const limits = [this.run, latest.controller.signal]
      if (timeoutMs !== undefined) limits.push(AbortSignal.timeout(timeoutMs))
      return AbortSignal.any(limits)
    }
  }

  /** The run is over: every check still going is stopped. */
  abandonAll(): void {
    for (const latest of this.latest.values()) abandon(latest, new Error('no longer needed'))
  }
}

function abandon(latest: LatestCheck | undefined, reason: Error): void {
  if (!latest) return
  latest.abandoned = reason
  latest.controller?.abort(reason)
}
