// Recipe keys are snake_case (`health_timeout`, `when_changed`, `migrations_table`). Recipes
// written when some keys were camelCase (`migrationsTable`, `startTimeout`, `urlVar`,
// `createDatabase`) are in the wild: such a key still works, read as its snake_case form, with
// a warning that says the new spelling.
import type { Node } from 'yaml'
import { keyNode, type RecipeSource } from './source.js'

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

/**
 * `map` with each camelCase key that `known` has in snake_case renamed to it; a warning for
 * each, at the key. When both spellings are given, nothing is renamed: the schema then names the
 * unknown one.
 */
export function renameOldSpellings(
  source: RecipeSource,
  node: Node | null | undefined,
  map: Record<string, unknown>,
  known: readonly string[],
  warnings: string[],
): Record<string, unknown> {
  const renamed: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(map)) {
    const snake = snakeCase(key)
    if (snake === key || !known.includes(snake) || known.includes(key) || snake in map) {
      renamed[key] = value
      continue
    }
    renamed[snake] = value
    const { line, col } = source.position(keyNode(node, key)?.range?.[0] ?? node?.range?.[0] ?? 0)
    warnings.push(
      `${source.file}:${line}:${col}: \`${key}\` is now spelled \`${snake}\`: rename it (the old spelling still works, for now)`,
    )
  }
  return renamed
}
