// Small text helpers shared by step types' titles and reasons.

/** `text` cut to at most `max` characters, ending in … when cut. */
export function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
