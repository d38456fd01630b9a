// Inline SVG for the HTML report: a stacked bar per recent `up` run (how long each step took)
// and a small bar sparkline per step. No script, no external asset: the page works offline.
import type { RunRecord } from '../engine/state.js'
import { formatDuration } from '../recipe/duration.js'
import { escapeMarkup as x } from './escape.js'

// Tableau 10, without its red: red means "unmet" on this page.
const palette = [
  '#4e79a7',
  '#f28e2b',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#86bcb6',
]

export const stepColor = (index: number): string => palette[index % palette.length]!

/** Round tick values (1, 2, 5 × 10^n) from 0 to at least `max`, about five of them. */
export function ticks(max: number): number[] {
  if (max <= 0) return [0]
  const rough = max / 4
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!
  const values = [0]
  while (values[values.length - 1]! < max) values.push(values.length * step)
  return values
}

const when = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

const whenExactly = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** "Dec 2, 16:38", with seconds when two runs fall in the same minute. */
export function runLabels(runs: readonly RunRecord[]): string[] {
  const short = runs.map((run) => when.format(new Date(run.startedAt)))
  if (new Set(short).size === short.length) return short
  return runs.map((run) => whenExactly.format(new Date(run.startedAt)))
}

/**
 * One row per run, newest first; each row's segments are the steps in `order` (their colors
 * match the legend), on one time scale shared by all rows. A row is HTML around an SVG bar: the
 * run's label and its total are text in grid columns of their own, so a narrow window (420 px)
 * narrows the bars, never the text. One SVG for the whole chart had to be either scaled down to
 * unreadable text or scrolled sideways, which cut the longest bar's total off at the window's
 * edge. A label longer than its column is cut with an ellipsis and shown whole in its title.
 */
export function runsChart(
  runs: readonly RunRecord[],
  order: readonly string[],
  titles: ReadonlyMap<string, string>,
): string {
  const rows = [...runs].reverse()
  const labels = runLabels(rows)
  // The bar's own coordinates: stretched to the column's width (preserveAspectRatio="none").
  const barWidth = 1000
  const rowHeight = 22
  // Steps of a parallel group overlap: a bar (the sum of its steps) may be longer than the run.
  const sums = rows.map((run) => order.reduce((sum, id) => sum + (run.steps[id] ?? 0), 0))
  const scale = ticks(Math.max(1, ...sums))
  const maxMs = scale[scale.length - 1]!
  const px = (ms: number) => (ms / maxMs) * barWidth
  const grid = scale
    .map((value) => `<line class="grid" x1="${px(value)}" x2="${px(value)}" y1="0" y2="${rowHeight}"/>`)
    .join('')
  const bars = rows.map((run, r) => {
    let at = 0
    const segments = order.flatMap((id, index) => {
      const ms = run.steps[id]
      if (ms === undefined) return []
      const w = Math.max(px(ms), ms > 0 ? 1 : 0)
      const rect = `<rect class="segment" data-step="${x(id)}" x="${at.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="${rowHeight}" fill="${stepColor(index)}"><title>${x(`${titles.get(id) ?? id}: ${formatDuration(ms)}`)}</title></rect>`
      at += w
      return [rect]
    })
    const status = run.status === 'failed' || run.status === 'interrupted' ? 'bad' : 'good'
    return [
      `<div class="run" data-status="${x(run.status)}">`,
      `<span class="run-label" title="${x(`${labels[r]!} — ${run.status}`)}"><span class="dot ${status}"></span>${x(labels[r]!)}</span>`,
      `<svg class="bar" viewBox="0 0 ${barWidth} ${rowHeight}" preserveAspectRatio="none" aria-hidden="true">${grid}${segments.join('')}</svg>`,
      `<span class="run-total" title="the whole run, start to end">${x(formatDuration(run.durationMs))}</span>`,
      '</div>',
    ].join('')
  })
  const axis = scale.map(
    (value) => `<span style="left:${((value / maxMs) * 100).toFixed(2)}%">${x(formatDuration(value))}</span>`,
  )
  const label = `Time per step of the last ${rows.length} devsetup up runs, newest first`
  return `<div class="chart" role="img" aria-label="${x(label)}">${bars.join('')}<div class="axis"><span class="ticks">${axis.join('')}</span></div></div>`
}

/**
 * A step's recent durations as little bars (oldest left) from 0 to a round top at or above its
 * slowest run; the top's value is written beside them, so two steps' bars are not read as one scale.
 */
export function sparkline(durations: readonly number[], color: string): string {
  const barWidth = 6
  const gap = 2
  const height = 22
  const scale = ticks(Math.max(1, ...durations))
  const top = scale[scale.length - 1]!
  const bars = durations.map((ms, i) => {
    const h = Math.max(2, (ms / top) * height)
    const last = i === durations.length - 1 ? ' last' : ''
    return `<rect class="spark${last}" x="${i * (barWidth + gap)}" y="${(height - h).toFixed(1)}" width="${barWidth}" height="${h.toFixed(1)}" fill="${color}"><title>${x(formatDuration(ms))}</title></rect>`
  })
  const barsWidth = Math.max(1, durations.length * (barWidth + gap) - gap)
  const axis = barsWidth + 3
  const width = axis + 44
  const scaleMarks = [
    `<line class="spark-axis" x1="${axis}" x2="${axis}" y1="0" y2="${height}"/>`,
    `<text class="spark-scale" x="${axis + 3}" y="8">${x(formatDuration(top))}</text>`,
    `<text class="spark-scale" x="${axis + 3}" y="${height}">0</text>`,
  ]
  return `<svg class="sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${x(`recent runs on a scale from 0 to ${formatDuration(top)}`)}">${bars.join('')}${scaleMarks.join('')}</svg>`
}
