// The recipe's text and YAML tree, and the means to point at any node of it as file:line:col.
import {
  Composer,
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type Node,
  Parser,
  parseDocument,
  YAMLParseError,
} from 'yaml'
import { maskSecrets } from '../engine/mask.js'
import type { RecipeProblem } from '../errors.js'
import { pause } from './slices.js'

// `merge`: `<<: *defaults` works as most YAML users expect.
const parseOptions = { prettyErrors: false, uniqueKeys: true, merge: true } as const

/** Lexemes read between two pauses in which Ctrl-C / SIGTERM can be handled. */
const lexemesPerSlice = 5000

export class RecipeSource {
  /** A step an env file's value broke (broken-by-env.ts): such a parse is not kept in the cache. */
  uncacheable = false
  readonly lines: string[]
  readonly lineCounter: LineCounter
  readonly doc: Document.Parsed

  constructor(
    readonly file: string,
    readonly text: string,
    parsed?: { doc: Document.Parsed; lineCounter: LineCounter },
  ) {
    this.lines = text.split(/\r?\n/)
    this.lineCounter = parsed?.lineCounter ?? new LineCounter()
    this.doc = parsed?.doc ?? parseDocument(text, { lineCounter: this.lineCounter, ...parseOptions })
  }

  /**
   * The same parse, in slices: a huge recipe must not block the event loop for seconds, or
   * a Ctrl-C while it loads would wait for the whole parse. Stops early once `signal` aborts.
   */
  static async parse(file: string, text: string, signal?: AbortSignal): Promise<RecipeSource> {
    const lineCounter = new LineCounter()
    const parser = new Parser(lineCounter.addNewLine)
    lineCounter.addNewLine(0)
    const tokens = []
    let count = 0
    for (const lexeme of new Lexer().lex(text)) {
      tokens.push(...parser.next(lexeme))
      if (++count % lexemesPerSlice === 0) await pause(signal)
    }
    tokens.push(...parser.end())
    await pause(signal)
    const composer = new Composer(parseOptions)
    const docs = [...composer.compose(tokens, true, text.length)]
    const doc = docs[0]!
    // As parseDocument does: a second document is an error, not silently ignored.
    if (docs[1]) {
      const [start, end] = docs[1].range
      doc.errors.push(new YAMLParseError([start, end], 'MULTIPLE_DOCS', 'Source contains multiple documents'))
    }
    return new RecipeSource(file, text, { doc, lineCounter })
  }

  position(offset: number): { line: number; col: number } {
    const { line, col } = this.lineCounter.linePos(offset)
    return { line, col }
  }

  /** A problem at a node (or at the start of the file when there is none). */
  /** Where a value interpolated into a node came from, when that is not the recipe (`.env`): said with its problems. */
  private readonly origins = new WeakMap<Node, string>()

  noteOrigin(node: Node, origin: string): void {
    this.origins.set(node, origin)
  }

  problem(node: Node | null | undefined, message: string, hint?: string): RecipeProblem {
    const origin = node ? this.origins.get(node) : undefined
    const hints = [hint, origin].filter((h): h is string => h !== undefined)
    const problem = this.problemAt(
      node?.range?.[0] ?? 0,
      message,
      hints.length > 0 ? hints.join('; ') : undefined,
    )
    if (origin) problem.fromEnvFile = true
    return problem
  }

  problemAt(offset: number, message: string, hint?: string): RecipeProblem {
    const { line, col } = this.position(offset)
    // A recipe's URL may hold a password; its error report must not.
    const problem: RecipeProblem = {
      message: maskSecrets(message),
      line,
      col,
      sourceLine: maskSecrets(this.lines[line - 1] ?? ''),
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
