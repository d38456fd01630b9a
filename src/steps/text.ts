// Small text helpers shared by step types' titles and reasons.
import { maskSecrets } from '../engine/mask.js'

/**
 * `text` masked (engine/mask.ts), then cut to at most `max` characters, ending in … when cut.
 * Masked first: a secret cut short is no longer recognised by the masking (`ghp_AbCdEf…`), and
 * a cut inside a `***` keeps the whole mask (a title may be longer by up to two characters).
 */
export function shorten(text: string, max = 60): string {
  const shown = maskSecrets(text)
  if (shown.length <= max) return shown
  let cut = max - 1
  while (cut < shown.length && shown[cut] === '*' && shown[cut - 1] === '*') cut++
  return `${shown.slice(0, cut)}…`
}
