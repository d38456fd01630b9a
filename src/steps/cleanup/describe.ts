// The words for what a sweep found or deleted: `312 files, 48 MB`, `2 empty folders`,
// `3 tracked files left alone`. Sizes are decimal units of apparent file size.
import type { SweepTotals } from './sweep.js'

export function describeTotals(totals: SweepTotals): string {
  const parts: string[] = []
  if (totals.files > 0 || totals.emptyFolders === 0) {
    parts.push(`${totals.files} file${totals.files === 1 ? '' : 's'}`)
    if (totals.bytes !== undefined) parts.push(formatBytes(totals.bytes))
  }
  if (totals.emptyFolders > 0) {
    parts.push(`${totals.emptyFolders} empty folder${totals.emptyFolders === 1 ? '' : 's'}`)
  }
  return parts.join(', ')
}

/** `; 3 tracked files left alone`, or nothing. */
export function describeTracked(totals: SweepTotals): string {
  const n = totals.tracked
  return n === 0 ? '' : `; ${n} tracked file${n === 1 ? '' : 's'} left alone`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = ''
  for (const next of units) {
    value /= 1000
    unit = next
    if (value < 1000) break
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`
}
