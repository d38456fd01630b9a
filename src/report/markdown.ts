// `doctor --report markdown`: a compact table for a pull-request comment or
// $GITHUB_STEP_SUMMARY. Every cell is escaped: a `|` or a newline in a reason cannot break the table.
import { formatDuration } from '../recipe/duration.js'
import { escapeMarkdownCell as cell, markdownCode } from './escape.js'
import { countVerdicts, type DoctorReport, headline, type Verdict, verdictOf } from './model.js'

const marks: Record<Verdict, string> = { pass: '✓', fail: '✗', skip: '–' }

export function renderMarkdown(report: DoctorReport): string {
  const counts = countVerdicts(report.steps)
  const rows = report.steps.map((step) => {
    const verdict = verdictOf(step.status)
    const name = `${cell(step.title)} <sub>${cell(step.id)}</sub>`
    const reason = verdict === 'skip' ? `_skipped: ${cell(step.reason)}_` : cell(step.reason)
    const fix = verdict === 'fail' && step.fix ? markdownCode(step.fix) : ''
    return `| ${marks[verdict]} | ${name} | ${reason} | ${fix} |`
  })
  const tally = [
    `${counts.pass} ok`,
    counts.fail ? `${counts.fail} unmet` : '',
    counts.skip ? `${counts.skip} skipped` : '',
  ].filter(Boolean)
  return [
    `### ${report.ready ? '✓' : '✗'} devsetup doctor — ${headline(report)}`,
    '',
    '| | Step | Reason | Fix |',
    '| :-: | --- | --- | --- |',
    ...rows,
    '',
    `<sub>${cell(report.recipeFile)} · ${tally.join(' · ')} · checked in ${formatDuration(report.durationMs)}</sub>`,
    '',
  ].join('\n')
}
