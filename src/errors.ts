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
  /** The value at fault was read from an env file (`${PORT}` from .env), not written in the recipe. */
  fromEnvFile?: boolean
}

/** Every recipe problem found in one pass, reported together. Exit 2. */
export class RecipeError extends DevsetupError {
  readonly file: string
  readonly problems: RecipeProblem[]
  constructor(file: string, problems: RecipeProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col)
    super(
      [
        ...sorted.slice(0, shownProblems).map((p) => `${file}:${p.line}:${p.col}: ${showable(p.message)}`),
        ...moreProblems(sorted.length),
      ].join('\n') || 'invalid recipe',
      {
        exitCode: ExitCode.usage,
      },
    )
    this.file = file
    this.problems = sorted
  }

  /** The full, human report: location, message, source line with a caret, and the fix. */
  format(): string {
    const shown = this.problems.slice(0, shownProblems).map((p) => {
      const lines = [`${this.file}:${p.line}:${p.col}: ${showable(p.message)}`]
      if (p.sourceLine !== undefined) {
        const gutter = `${p.line} | `
        // The caret goes under the column as shown, after escapes widened what precedes it.
        const before = showable(p.sourceLine.slice(0, Math.max(0, p.col - 1))).length
        lines.push(`  ${gutter}${showable(p.sourceLine)}`)
        lines.push(`  ${' '.repeat(gutter.length + before)}^`)
      }
      if (p.hint) lines.push(`  hint: ${showable(p.hint)}`)
      return lines.join('\n')
    })
    return [...shown, ...moreProblems(this.problems.length)].join('\n\n')
  }
}

/** A generated or corrupted recipe can hold 20,000 problems: the first few say enough. */
const shownProblems = 20

function moreProblems(total: number): string[] {
  if (total <= shownProblems) return []
  return [
    `… and ${(total - shownProblems).toLocaleString('en-US')} more (fix these first, then validate again)`,
  ]
}

/**
 * Text from a recipe, safe to print: a binary or hostile file must not send escape sequences
 * (clear the screen, retitle the window) or NULs to the terminal, so control characters other
 * than tab and newline are shown as `\x1b`.
 */
export function showable(text: string): string {
  return text.replace(
    /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  )
}

/** A shell command that exited non-zero (or could not start). Carries its output tail for the report. */
export class CommandError extends DevsetupError {
  readonly command: string
  readonly commandExitCode: number | undefined
  readonly tail: string[]
  /** More of the output than the tail (its last part), for the failure diagnosis to read. */
  readonly output: string | undefined
  constructor(
    command: string,
    exitCode: number | undefined,
    tail: string[],
    reason: string,
    output?: string,
  ) {
    super(reason)
    this.command = command
    this.commandExitCode = exitCode
    this.tail = tail
    this.output = output
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
