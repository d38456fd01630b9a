// state.json in the state folder (src/engine/state-dir.ts): what devsetup remembers between runs (fingerprints, resolved
// versions, a pending restart, timings). Written atomically so a crash or Ctrl-C never
// leaves half a file; a corrupt file is set aside and rebuilt with a warning.
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import path from 'node:path'
import type { StepStore } from '../steps/define.js'
import { explainFsFault } from './fs-fault.js'
import type { RecipeSnapshot } from './recipe-changes.js'
import { writeFileAtomic } from './write-atomic.js'

export interface StepRecord {
  data: Record<string, unknown>
  lastStatus?: string
  lastRunAt?: string
  durationMs?: number
  /** For handler steps and `when_changed` steps: the change counter they have handled up to. */
  handledSeq?: number
  /** The change counter at this step's last change, and at its last change of each kind. */
  changedSeq?: number
  changeKinds?: Record<string, number>
}

export interface RunRecord {
  startedAt: string
  durationMs: number
  status: 'ok' | 'changed' | 'failed' | 'interrupted'
  steps: Record<string, number>
}

interface StateFile {
  version: 1
  /** Incremented whenever a step changes something; handler steps compare against it. */
  changeSeq: number
  steps: Record<string, StepRecord>
  runs: RunRecord[]
  /** The recipe as of the last successful `up` (recipe-changes.ts). */
  recipe?: RecipeSnapshot
  /** The clone these records are about (workdir.ts cloneIdentity). */
  clone?: string
}

// History stays bounded whatever the recipe's size: the last runs, and in each the timings of
// its slowest steps only (what `devsetup stats` is for). Every step's timing in every run made
// state.json grow by ~40 kB a run for a 2,000-step recipe.
const keptRuns = 10
const timedStepsPerRun = 100

const emptyState = (): StateFile => ({ version: 1, changeSeq: 0, steps: {}, runs: [] })

export class StateStore {
  private data: StateFile

  private constructor(
    readonly file: string,
    data: StateFile,
    private readonly readOnly: boolean,
  ) {
    this.data = data
  }

  /**
   * Loads state; `readOnly` (doctor, dry runs) never writes. `clone`: the repository's clone
   * identity now; records written for another clone at the same path are not used.
   */
  static load(
    stateDir: string,
    options: { readOnly: boolean; warn: (message: string) => void; clone?: string },
  ): StateStore {
    const file = path.join(stateDir, 'state.json')
    let data = emptyState()
    let read = false
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as StateFile
        if (parsed?.version !== 1 || typeof parsed.steps !== 'object') throw new Error('unknown format')
        data = { ...emptyState(), ...parsed }
        read = true
      } catch (error) {
        // Not JSON.parse's message: it quotes the file's first bytes, whatever they are.
        const why = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message
        options.warn(`${file} was unreadable (${why}); starting from an empty state`)
        if (!options.readOnly) renameSync(file, `${file}.corrupt`)
      }
    }
    if (read && options.clone !== undefined && data.clone !== options.clone) {
      options.warn(
        `${file} was written for an earlier clone at this path: its records are not used, every step is checked afresh`,
      )
      if (!options.readOnly) renameSync(file, `${file}.earlier-clone`)
      data = emptyState()
    }
    if (options.clone !== undefined) data.clone = options.clone
    return new StateStore(file, data, options.readOnly)
  }

  get changeSeq(): number {
    return this.data.changeSeq
  }

  record(stepId: string): StepRecord {
    this.data.steps[stepId] ??= { data: {} }
    return this.data.steps[stepId]
  }

  /** A store whose writes are staged until `commit` — a failed step records nothing. */
  draft(stepId: string): StepStore & { commit(): void } {
    const record = this.data.steps[stepId]
    const staged: Record<string, unknown> = { ...(record?.data ?? {}) }
    return {
      get: <T>(key: string) => staged[key] as T | undefined,
      set: (key, value) => {
        staged[key] = value
      },
      delete: (key) => {
        delete staged[key]
      },
      persist: (key, value) => {
        staged[key] = value
        const record = this.record(stepId)
        record.data = { ...record.data, [key]: value }
        this.save()
      },
      commit: () => {
        this.record(stepId).data = staged
      },
    }
  }

  /** A step changed something (of these kinds: `created`, `migrated`): later handlers see it. */
  noteChange(stepId?: string, kinds: readonly string[] = []): void {
    this.data.changeSeq++
    if (stepId === undefined) return
    const record = this.record(stepId)
    record.changedSeq = this.data.changeSeq
    record.changeKinds = { ...record.changeKinds }
    for (const kind of kinds) record.changeKinds[kind] = this.data.changeSeq
  }

  addRun(run: RunRecord): void {
    const slowest = Object.entries(run.steps)
      .sort(([, a], [, b]) => b - a)
      .slice(0, timedStepsPerRun)
    this.data.runs = [...this.data.runs, { ...run, steps: Object.fromEntries(slowest) }].slice(-keptRuns)
  }

  get runs(): readonly RunRecord[] {
    return this.data.runs
  }

  get recipeSnapshot(): RecipeSnapshot | undefined {
    return this.data.recipe
  }

  rememberRecipe(snapshot: RecipeSnapshot): void {
    this.data.recipe = snapshot
  }

  save(): void {
    if (this.readOnly) return
    explainFsFault(this.file, () => {
      mkdirSync(path.dirname(this.file), { recursive: true })
      writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`)
    })
  }
}
