// The recipe's text and YAML tree, and the means to point at any node of it as file:line:col.
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { maskUrls } from '../engine/mask.js'
import type { RecipeProblem } from '../errors.js'

export class RecipeSource {
  readonly lines: string[]
  readonly lineCounter = new LineCounter()
  readonly doc: Document.Parsed

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = text.split(/\r?\n/)
    // `merge`: `<<: *defaults` works as most YAML users expect.
    this.doc = parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      merge: true,
    })
  }

  position(offset: number): { line: number; col: number } {
    const { line, col } = this.lineCounter.linePos(offset)
    return { line, col }
  }

  /** A problem at a node (or at the start of the file when there is none). */
  problem(node: Node | null | undefined, message: string, hint?: string): RecipeProblem {
    return this.problemAt(node?.range?.[0] ?? 0, message, hint)
  }

  problemAt(offset: number, message: string, hint?: string): RecipeProblem {
    const { line, col } = this.position(offset)
    // A recipe's URL may hold a password; its error report must not.
    const problem: RecipeProblem = {
      message: maskUrls(message),
      line,
      col,
      sourceLine: maskUrls(this.lines[line - 1] ?? ''),
    }
    if (hint) problem.hint = hint
    return problem
  }
}

/** The node at `path` below `node`: map keys and sequence indexes. Stops at the deepest node that exists. */
export function nodeAt(node: Node | null | undefined, path: readonly PropertyKey[]): Node | null | undefined {
  let current = node
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      )
      if (!pair) return current
      current = pair.value as Node | null
    } else if (isSeq(current) && typeof segment === 'number') {
      const item = current.items[segment] as Node | undefined
      if (!item) return current
      current = item
    } else {
      return current
    }
  }
  return current
}

/** The key node of `key` in a map, to point at a misspelled key rather than its value. */
export function keyNode(map: Node | null | undefined, key: string): Node | undefined {
  if (!isMap(map)) return undefined
  const pair = map.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key)
  return (pair?.key as Node | undefined) ?? undefined
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a map'
  if (typeof value === 'string') return `a string (${JSON.stringify(value)})`
  return `${typeof value === 'number' ? 'a number' : `a ${typeof value}`} (${String(value)})`
}
