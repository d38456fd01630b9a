// `doctor --report markdown`: a compact table for a pull-request comment or
// $GITHUB_STEP_SUMMARY — which checkout, unmet steps first with a red or green mark a reader
// sees in a rendered comment, each unmet step's fix, and the recipe's changes since the last
// successful run. Every cell is escaped: a `|` or a newline in a reason cannot break the table.
import { describeRecipeChanges } from '../engine/recipe-changes.js'
import { formatDuration } from '../recipe/duration.js'
import { escapeMarkdownCell as cell, markdownCode } from './escape.js'
import { countVerdicts, type DoctorReport, headline, unmetFirst, type Verdict, verdictOf } from './model.js'
import { checkoutLabel } from './repository.js'

// Colored in every Markdown renderer (GitHub, GitLab, Slack): ✓/✗ alone are plain text.
const marks: Record<Verdict, string> = { pass: '🟢 met', fail: '🔴 unmet', skip: '⚪ skipped' }

/** The recipe's changes since the last successful `up`, as a list (empty when none). */
function changesList(report: DoctorReport): string[] {
  if (!report.changes) return []
  const [title, ...items] = describeRecipeChanges(report.changes, report.generatedAt.getTime())
  // `  + Title (id) — new step`: the sign as a word, since `- + …` would nest a list.
  const kinds: Record<string, string> = { '+': 'added', '-': 'removed', '~': 'changed' }
  const item = (line: string) => `- **${kinds[line.trim()[0]!]}** ${cell(line.trim().slice(1).trim())}`
  return ['', `**${cell(title!)}**`, '', ...items.map(item)]
}

export function renderMarkdown(report: DoctorReport): string {
  const counts = countVerdicts(report.steps)
  const rows = unmetFirst(report.steps).map((step) => {
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
  const where = report.checkout ? ` — ${cell(checkoutLabel(report.checkout))}` : ''
  return [
    `### ${report.ready ? '🟢' : '🔴'} devsetup doctor${where} — ${headline(report)}`,
    '',
    '| | Step | Reason | Fix |',
    '| :-: | --- | --- | --- |',
    ...rows,
    ...changesList(report),
    '',
    `<sub>${cell(report.recipeFile)} · ${tally.join(' · ')} · checked in ${formatDuration(report.durationMs)}</sub>`,
    '',
  ].join('\n')
}
