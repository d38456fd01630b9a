// Typed errors. Commands throw these; only src/cli.ts prints them and exits.

export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Base class for errors whose message is meant for the user (no stack trace). */
export class DevsetupError extends Error {
  readonly exitCode: ExitCode
  readonly hint: string | undefined
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = new.target.name
    this.exitCode = options.exitCode ?? ExitCode.failed
    this.hint = options.hint
  }
}

/** Bad usage or environment: a flag, a missing file, an unknown id. Exit 2. */
export class UserError extends DevsetupError {
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? { exitCode: ExitCode.usage } : { exitCode: ExitCode.usage, hint })
  }
}

/** One problem in a recipe, located at file:line:col. */
export interface RecipeProblem {
  message: string
  line: number
  col: number
  /** The offending source line, shown with a caret under `col`. */
  sourceLine?: string
  hint?: string
}

/** Every recipe problem found in one pass, reported together. Exit 2. */
export class RecipeError extends DevsetupError {
  readonly file: string
  readonly problems: RecipeProblem[]
  constructor(file: string, problems: RecipeProblem[]) {
    super(problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`).join('\n') || 'invalid recipe', {
      exitCode: ExitCode.usage,
    })
    this.file = file
    this.problems = [...problems].sort((a, b) => a.line - b.line || a.col - b.col)
  }

  /** The full, human report: location, message, source line with a caret, and the fix. */
  format(): string {
    return this.problems
      .map((p) => {
        const lines = [`${this.file}:${p.line}:${p.col}: ${p.message}`]
        if (p.sourceLine !== undefined) {
          const gutter = `${p.line} | `
          lines.push(`  ${gutter}${p.sourceLine}`)
          lines.push(`  ${' '.repeat(gutter.length + Math.max(0, p.col - 1))}^`)
        }
        if (p.hint) lines.push(`  hint: ${p.hint}`)
        return lines.join('\n')
      })
      .join('\n\n')
  }
}

/** A shell command that exited non-zero (or could not start). Carries its output tail for the report. */
export class CommandError extends DevsetupError {
  readonly command: string
  readonly commandExitCode: number | undefined
  readonly tail: string[]
  constructor(command: string, exitCode: number | undefined, tail: string[], reason: string) {
    super(reason)
    this.command = command
    this.commandExitCode = exitCode
    this.tail = tail
  }
}

/** Ctrl-C or SIGTERM. Exit 130. */
export class InterruptedError extends DevsetupError {
  constructor() {
    super('interrupted', { exitCode: ExitCode.interrupted })
  }
}

/** Another devsetup run holds the repository's lock. */
export class LockedError extends DevsetupError {
  constructor(message: string, hint: string) {
    super(message, { exitCode: ExitCode.failed, hint })
  }
}
