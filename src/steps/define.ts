// The contract every step type implements. A step type answers two questions:
// check (is it already true? read-only, safe to run any time and in parallel)
// and run (make it true). The engine calls check → run → check.
import type { z } from 'zod'

export interface CheckResult {
  met: boolean
  /** Why: "node_modules missing", "3 files, 12 kB", "already met". Shown next to the step. */
  reason: string
  /** A command or instruction that fixes an unmet step, shown by `doctor`. */
  fix?: string
  /** The commands `run` would start to make it true (an install), for `--dry-run`. */
  commands?: string[]
  /**
   * Variables this step provides to every later step of the run when it is met, e.g. the PATH
   * to a runtime installed by an earlier run that the developer's shell does not have yet.
   */
  env?: Record<string, string>
}

export interface ExecOptions {
  /** Relative to the step's cwd, or absolute. */
  cwd?: string
  /** Added to the step's environment. */
  env?: Record<string, string>
  /** Resolve instead of throwing when the command exits non-zero. */
  reject?: boolean
  /** Text written to the command's stdin. */
  input?: string
  /** Kill the command (and its process group) after this many milliseconds. */
  timeoutMs?: number
  /**
   * A multi-line script's failure names the line that failed (engine/script-trace.ts). Its
   * stderr then comes merged into stdout, in the order written: for a script whose output is
   * only shown, never parsed.
   */
  nameFailedLine?: boolean
  /**
   * Asked every second while the command runs, with its process group and how long it has been
   * silent (its last line, a prompt without its newline too): a reason stops the command and
   * fails it (a `run` step whose command turned out to be a server, or waits on a prompt, which
   * would otherwise keep `up` waiting for ever). `endInput` closes a held stdin (end-of-file).
   */
  watch?: (
    pgid: number,
    output: { lastLine: string; silentMs: number; endInput: () => void },
  ) => string | undefined
  /**
   * stdin is a pipe held open and never written, instead of /dev/null: a command that asks a
   * question then blocks reading it (where end-of-file let it go on with no answer, or hang on
   * something else), so `watch` can see it waiting.
   */
  holdStdin?: boolean
}

export interface ExecResult {
  /** The command line as shown to the user. */
  command: string
  exitCode: number
  stdout: string
  stderr: string
  /** stdout and stderr interleaved, as the user would have seen them. */
  all: string
  /** A multi-line script's failing line, when its trace names one (engine/script-trace.ts). */
  failedLine?: { line: number; text: string }
}

/**
 * Runs a command in its own process group (so Ctrl-C and timeouts kill its children too),
 * with the step's cwd and env, its output written to the run's log. A string runs
 * through the shell; an array runs the file directly. Throws CommandError on a
 * non-zero exit unless `reject: false`.
 */
export type Exec = (command: string | readonly string[], options?: ExecOptions) => Promise<ExecResult>

/** A step's own record in state.json (fingerprints, resolved versions, ...). */
export interface StepStore {
  get<T = unknown>(key: string): T | undefined
  /** Staged while the step runs; kept only if the step then passes its check. */
  set(key: string, value: unknown): void
  delete(key: string): void
  /**
   * Sets `key` and writes it to state.json at once, kept even when the step then fails or is
   * interrupted: for a mark such as "an install started" that must outlive the run it warns about.
   */
  persist(key: string, value: unknown): void
}

export interface CheckContext {
  /** The repository root: the folder holding the recipe. */
  root: string
  /** The step's working directory (root + the step's `cwd`). */
  cwd: string
  /** The step's environment: process env, recipe env, step env, and what earlier steps set. */
  env: Record<string, string>
  stepId: string
  /**
   * `check` before deciding whether to run; `verify` right after this step ran in this run.
   * Most types ignore it; a step with nothing to check (a bare `run`) is met once it has run.
   */
  phase: 'check' | 'verify'
  state: StepStore
  /** For checks: output is logged, never streamed to the task. */
  exec: Exec
  signal: AbortSignal
  /**
   * Changes this step should react to (used by handler steps such as `restart`):
   * ids of steps changed earlier in this run, and whether changes from an earlier,
   * unfinished run are still waiting for this step.
   */
  changes: {
    thisRun: readonly string[]
    pendingFromEarlierRun: boolean
    /** Each step whose change this step has not handled yet, this run's and earlier runs'. */
    steps: readonly ChangedStep[]
  }
}

/** A step's change waiting for a handler: what kind, whether it needs a restart, and when. */
export interface ChangedStep {
  id: string
  /** What the step said it did (`created`, `migrated`); empty when it did not say. */
  kinds: readonly string[]
  /** The step's `restarts:` (its type's default unless the recipe says otherwise). */
  restarts: boolean
  /** Changed in this run (else in an earlier run the handler never finished). */
  thisRun: boolean
}

export interface RunContext extends CheckContext {
  /** A progress line, shown live under the step and written to the log. */
  output(line: string): void
  /** Set environment variables for this and every later step of the run (e.g. a refreshed PATH). */
  setEnv(vars: Record<string, string>): void
  /**
   * A named part of the step, shown as a subtask in the tree ("database exists",
   * "npm"). Resolves with `fn`'s result; a throw marks the subtask failed and is rethrown.
   * Subtasks may run concurrently (Promise.all) when they do not depend on each other.
   */
  subtask<T>(title: string, fn: () => Promise<T>): Promise<T>
  /** The run was asked with `--force`. */
  forced?: boolean
}

export interface RunResult {
  /** What was done, shown after `changed`: "deleted 12 files, 4.1 MB". */
  summary?: string
  /**
   * false: the run found nothing to do (a `--force` of a step that was already met, such as
   * a complete .env). The step then ends `ok`, and nothing counts as changed (no restart).
   */
  changed?: boolean
  /**
   * What kind of change it was, for steps that react to it (`when_changed: [db:created]`):
   * the database step says `created`, `migrated`, `seeded`.
   */
  changes?: string[]
}

/** A step's settle found it not well after all: shown as the step's failure, in the step's words. */
export interface SettleVerdict {
  /** What is still wrong, saying it was found at the end of the run ("after the restart: …"). */
  reason: string
  /** The fix in the recipe's terms, as a DevsetupError's hint. */
  hint?: string
}

/**
 * What a step type does: everything but its schema. A step type's module exports this; its
 * zod schema lives in a module of its own (`<type>/schema.ts`), which the registry loads only
 * when a recipe has to be parsed: a re-run of an unchanged recipe never loads zod
 * (src/recipe/cache.ts). `S` is the schema's type, imported with `import type`.
 */
export interface StepBehavior<S extends z.ZodType = z.ZodType> {
  type: string
  /** One line for `list`, `schema` and unknown-type errors. */
  description: string
  /**
   * `nested` (most types): the config is the value under the type key,
   * `- cleanup: { paths: [...] }`; a bare `- cleanup` passes `undefined`.
   * `flat`: the config is the whole step map minus the common keys,
   * `- { run: make, creates: build/ }` (the `run` type).
   */
  form: 'nested' | 'flat'
  title: (config: z.output<S>) => string
  check: (config: z.output<S>, ctx: CheckContext) => Promise<CheckResult>
  run: (config: z.output<S>, ctx: RunContext) => Promise<RunResult | undefined>
  /**
   * Called at the end of an `up` for each step it left ok or changed, after every later step
   * (a restart) ran: to record what the step's next check compares with (a database's tables,
   * which an app may make at boot). Its `state.set` writes are kept; a throw is logged only
   * (a read that failed proves nothing). A returned verdict fails the step after the fact: what
   * this `up` did is not true at its end (a lost table the restart did not bring back), so
   * the run exits 1 instead of ending green (engine/settle.ts).
   */
  settle?: (config: z.output<S>, ctx: CheckContext) => Promise<SettleVerdict | undefined> | Promise<void>
  /** Warnings for `validate` (e.g. a step that is not idempotent). */
  lint?: (config: z.output<S>) => string[]
  /**
   * For `--dry-run`: the commands `run` would carry out, as a person would type them; `before`
   * is the check that found the step unmet (an install command may depend on what it found).
   */
  preview?: (config: z.output<S>, before: CheckResult) => string[]
  /**
   * A handler reacts to earlier steps' changes (like an Ansible handler): the engine
   * re-checks it after any change, and keeps a pending change across failed runs until
   * the handler succeeds.
   */
  handler?: boolean
  /**
   * Whether this type's changes need the app server restarted (default true). Deleting junk
   * (`cleanup`) does not; new dependencies, env values or a migrated schema do. A step's
   * common key `restarts:` overrides it.
   */
  restarts?: boolean
}

/** A step type as the recipe loader sees it: its behaviour and the schema of its config. */
export interface StepType<S extends z.ZodType = z.ZodType> extends StepBehavior<S> {
  /** Validates and documents the config; recipe errors point at the offending key. */
  schema: S
}

/** Identity function that keeps the config type flowing from the schema to check/run. */
export function defineStepType<S extends z.ZodType>(stepType: StepType<S>): StepType<S> {
  return stepType
}

/**
 * The same for a step type's module, whose schema is in `<type>/schema.ts`:
 * `defineStepBehavior<typeof schema>({ ... })` with `import type { schema }`.
 */
export function defineStepBehavior<S extends z.ZodType>(behavior: StepBehavior<S>): StepBehavior<S> {
  return behavior
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds step types of every config shape
export type AnyStepType = StepType<any>
// biome-ignore lint/suspicious/noExplicitAny: the same for behaviours
export type AnyStepBehavior = StepBehavior<any>
