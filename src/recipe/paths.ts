// Whether a path written in a recipe stays inside the repository. Plain code, no zod: step
// types use it while they run, and the schemas (src/recipe/schema.ts) while a recipe is parsed.

/** Absolute, home-relative, or a `..` that climbs above the start. */
export function isEscapingPath(p: string): boolean {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('~')) return true
  let depth = 0
  for (const part of p.split(/[\\/]+/)) {
    if (part === '..') depth--
    else if (part !== '.' && part !== '') depth++
    if (depth < 0) return true
  }
  return false
}
