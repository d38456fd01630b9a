// `--report junit|markdown|html` (printed on stdout instead of the checklist) or
// `--report FILE.xml|.md|.html` (written to the file; the checklist stays on the terminal).
// Checked before doctor runs, so a typo is a usage error and never costs a run.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../engine/write-atomic.js'
import { UserError } from '../errors.js'
import type { DoctorReport } from './model.js'

export type ReportFormat = 'junit' | 'markdown' | 'html'

export interface ReportTarget {
  format: ReportFormat
  /** Absolute path; undefined: stdout. */
  file?: string
  /** As the user wrote it. */
  given: string
}

const byName: Record<string, ReportFormat> = {
  junit: 'junit',
  markdown: 'markdown',
  md: 'markdown',
  html: 'html',
}
const byExtension: Record<string, ReportFormat> = {
  '.xml': 'junit',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
}
const formatHint = 'use junit, markdown or html (printed on stdout), or a file ending in .xml, .md or .html'

const extensionOf: Record<ReportFormat, string> = { junit: 'xml', markdown: 'md', html: 'html' }

export const describeFormat: Record<ReportFormat, string> = {
  junit: 'JUnit XML',
  markdown: 'Markdown',
  html: 'HTML',
}

export function parseReportTargets(values: readonly string[], cwd: string, json: boolean): ReportTarget[] {
  const targets = values.map((given): ReportTarget => {
    const named = byName[given.toLowerCase()]
    if (named) return { format: named, given }
    const format = byExtension[path.extname(given).toLowerCase()]
    if (!format) throw new UserError(`--report ${given}: cannot tell the report format`, formatHint)
    const file = path.resolve(cwd, given)
    const folder = path.dirname(file)
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new UserError(
        `--report ${given}: the folder ${folder} does not exist`,
        'create it first, or name a file in an existing folder',
      )
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new UserError(`--report ${given}: that is a folder`, 'name a file, e.g. doctor.html')
    }
    return { format, file, given }
  })
  const onStdout = targets.filter((t) => !t.file)
  if (onStdout.length > 1) {
    throw new UserError(
      `--report ${onStdout.map((t) => t.given).join(' and ')}: only one report can go to stdout`,
      'give the others a file name, e.g. --report doctor.xml',
    )
  }
  if (onStdout.length === 1 && json) {
    throw new UserError(
      `--report ${onStdout[0]!.given} and --json both print on stdout`,
      `give the report a file name, e.g. --report doctor.${extensionOf[onStdout[0]!.format]}`,
    )
  }
  return targets
}

// Loaded only when asked for: a plain `doctor` compiles none of them.
const renderers: Record<ReportFormat, () => Promise<(report: DoctorReport) => string>> = {
  junit: async () => (await import('./junit.js')).renderJunit,
  markdown: async () => (await import('./markdown.js')).renderMarkdown,
  html: async () => (await import('./html.js')).renderHtml,
}

/** Writes every file target (atomically: a CI never uploads half a report); returns stdout's text. */
export async function writeReports(
  targets: readonly ReportTarget[],
  report: DoctorReport,
): Promise<string | undefined> {
  let stdout: string | undefined
  for (const target of targets) {
    const text = (await renderers[target.format]())(report)
    if (!target.file) stdout = text
    else {
      try {
        writeFileAtomic(target.file, text)
      } catch (error) {
        throw new UserError(
          `cannot write the report ${target.given}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        )
      }
    }
  }
  return stdout
}
