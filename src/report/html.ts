// `doctor --report html`: one self-contained page a person reads at a glance — the verdict, the
// checklist with reasons and fixes, what changed in the recipe since the last successful run,
// and how long recent `up` runs took per step. Inline CSS and SVG only: no script, no network
// (its Content-Security-Policy forbids both), and every text from the recipe or a command escaped.
import { timeAgo } from '../engine/recipe-changes.js'
import { formatDuration } from '../recipe/duration.js'
import { escapeMarkup as x } from './escape.js'
import { stepTimings } from './history.js'
import { runsChart, sparkline, stepColor } from './html-chart.js'
import { reportStyle } from './html-style.js'
import {
  countVerdicts,
  type DoctorReport,
  headline,
  type ReportStep,
  unmetFirst,
  type Verdict,
  verdictOf,
} from './model.js'
import { type Checkout, checkoutLabel } from './repository.js'

const icons: Record<Verdict, (size: number) => string> = {
  pass: (s) =>
    `<svg class="icon" width="${s}" height="${s}" viewBox="0 0 24 24" aria-label="met"><circle cx="12" cy="12" r="11" style="fill:var(--pass)"/><path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/></svg>`,
  fail: (s) =>
    `<svg class="icon" width="${s}" height="${s}" viewBox="0 0 24 24" aria-label="unmet"><circle cx="12" cy="12" r="11" style="fill:var(--fail)"/><path d="M8 8l8 8M16 8l-8 8" stroke="#fff" stroke-width="2.4" stroke-linecap="round"/></svg>`,
  skip: (s) =>
    `<svg class="icon" width="${s}" height="${s}" viewBox="0 0 24 24" aria-label="skipped"><circle cx="12" cy="12" r="10" style="fill:none;stroke:var(--skip)" stroke-width="2"/><path d="M8 12h8" style="stroke:var(--skip)" stroke-width="2.4" stroke-linecap="round"/></svg>`,
}

const localTime = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0')
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())} (${zone})`
}

/** The repository's name, branch and commit, so two pages of two checkouts differ at a glance. */
function checkoutLine(c: Checkout | undefined): string {
  if (!c) return ''
  const branch = c.branch ? ` <span class="branch mono">${x(c.branch)}</span>` : ''
  const commit = c.commit ? ` <span class="commit mono">${x(c.commit)}</span>` : ''
  return `<p class="repo"><strong>${x(c.name)}</strong>${branch}${commit}</p>`
}

function header(report: DoctorReport): string {
  const counts = countVerdicts(report.steps)
  const chips = [
    `<li class="pass">${counts.pass} ok</li>`,
    counts.fail ? `<li class="fail">${counts.fail} unmet</li>` : '',
    counts.skip ? `<li class="skip">${counts.skip} skipped</li>` : '',
  ].join('')
  return `<header class="verdict ${report.ready ? 'ready' : 'not-ready'}">
${icons[report.ready ? 'pass' : 'fail'](44)}
<div>${checkoutLine(report.checkout)}<h1>${report.ready ? 'Ready' : 'Not ready'}</h1>
<p class="headline">${x(headline(report).replace(/^(not )?ready: /, ''))}${report.ready ? '' : ' — run <code>devsetup</code> to fix'}</p>
<p class="meta"><span class="mono">${x(report.recipeFile)}</span> · checked ${x(localTime(report.generatedAt))} in ${x(formatDuration(report.durationMs))}</p></div>
<ul class="counts">${chips}</ul>
</header>`
}

function row(
  step: ReportStep,
  index: number,
  recent: { durations: number[]; medianMs: number | undefined },
): string {
  const verdict = verdictOf(step.status)
  const reason = verdict === 'skip' ? `skipped: ${step.reason}` : step.reason
  const fix =
    verdict === 'fail' && step.fix
      ? `<div class="fix"><span class="label">Fix</span><code>${x(step.fix)}</code></div>`
      : ''
  // `dotenv`, not `dotenv · dotenv`: a derived id often is the type.
  const where = [step.id, step.type === step.id ? '' : step.type, step.group ? 'in parallel' : '']
    .filter(Boolean)
    .join(' · ')
  const time =
    recent.medianMs === undefined
      ? '<span class="median">no runs yet</span>'
      : `${sparkline(recent.durations, stepColor(index))}<span class="median">median ${x(formatDuration(recent.medianMs))} · ${recent.durations.length} run${recent.durations.length === 1 ? '' : 's'}</span>`
  return `<tr class="step ${verdict}" data-step="${x(step.id)}" data-verdict="${verdict}">
<td class="mark">${icons[verdict](20)}</td>
<td class="name"><strong>${x(step.title)}</strong><span class="id mono">${x(where)}</span></td>
<td class="reason"><p>${x(reason)}</p>${fix}</td>
<td class="time">${time}</td>
</tr>`
}

function changesSection(report: DoctorReport): string {
  const { changes } = report
  const ago = changes ? ` (${x(timeAgo(changes.since))})` : ''
  const title = `<h2>Recipe changes <span class="note">since the last successful <code>devsetup up</code>${ago}</span></h2>`
  if (!changes) {
    const text = report.lastSuccessAt
      ? `No changes since the last successful run (${x(timeAgo(report.lastSuccessAt))}).`
      : 'No successful <code>devsetup up</code> is recorded here yet, so there is nothing to compare with.'
    return `<section id="changes">${title}<p class="empty">${text}</p></section>`
  }
  const item = (kind: string, what: string, detail = '') =>
    `<li class="${kind}"><span class="badge ${kind}">${kind}</span><span>${what}${detail ? ` <span class="id">— ${detail}</span>` : ''}</span></li>`
  const step = (s: { title: string; step: string }) =>
    `<strong>${x(s.title)}</strong> <span class="id mono">${x(s.step)}</span>`
  const items = [
    ...changes.added.map((s) => item('added', step(s))),
    ...changes.removed.map((s) => item('removed', step(s))),
    ...changes.changed.map((s) =>
      item('changed', step(s), `keys: ${s.keys.map((k) => `<code>${x(k)}</code>`).join(', ')}`),
    ),
    ...(['added', 'removed', 'changed'] as const).flatMap((kind) =>
      changes.env[kind].length
        ? [
            item(
              kind,
              `recipe <code>env</code>: ${changes.env[kind].map((n) => `<code>${x(n)}</code>`).join(', ')}`,
            ),
          ]
        : [],
    ),
  ]
  return `<section id="changes">${title}<ul class="changes">${items.join('')}</ul></section>`
}

function runsSection(report: DoctorReport, order: string[], titles: Map<string, string>): string {
  const title =
    '<h2>Recent <code>devsetup up</code> runs <span class="note">time per step, newest first</span></h2>'
  if (report.runs.length === 0) {
    return `<section id="runs">${title}<p class="empty">No <code>devsetup up</code> run is recorded here yet.</p></section>`
  }
  const legend = order.map(
    (id, index) =>
      `<li><span class="swatch" style="background:${stepColor(index)}"></span>${x(titles.get(id) ?? id)}</li>`,
  )
  return `<section id="runs">${title}${runsChart(report.runs, order, titles)}<ul class="legend">${legend.join('')}</ul></section>`
}

export function renderHtml(report: DoctorReport): string {
  const timings = stepTimings(
    report.runs,
    report.steps.map((s) => s.id),
  )
  const order = timings.filter((t) => t.durations.length > 0).map((t) => t.step)
  const titles = new Map(report.steps.map((s) => [s.id, s.title]))
  const byStep = new Map(timings.map((t) => [t.step, t]))
  // A step's color is the same in its sparkline and in the runs chart.
  const rows = unmetFirst(report.steps).map((step) =>
    row(
      step,
      Math.max(0, order.indexOf(step.id)),
      byStep.get(step.id) ?? { durations: [], medianMs: undefined },
    ),
  )
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${report.ready ? 'Ready' : 'Not ready'} — ${x(report.checkout ? checkoutLabel(report.checkout) : report.recipeFile)} — devsetup doctor</title>
<style>${reportStyle}</style>
</head>
<body>
<main>
${header(report)}
<section id="checklist"><h2>Checklist</h2>
<table><thead><tr><th></th><th>Step</th><th>Result</th><th>Recent <code>up</code> time</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>
${changesSection(report)}
${runsSection(report, order, titles)}
<footer>Made by <code>devsetup doctor</code>. A self-contained page: nothing was fetched, nothing was sent.</footer>
</main>
</body>
</html>
`
}
