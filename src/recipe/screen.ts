// Refuses what YAML accepts but a recipe must not hold, before anything reads the values:
// unknown tags (`!!python/object:os.system` would otherwise be dropped silently and the
// rest would run), unknown directives (`%YAML 9.9`), nesting deep enough to exhaust the
// stack, and NUL bytes, which no command, path or variable can carry.
import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml'
import type { RecipeProblem } from '../errors.js'
import type { RecipeSource } from './source.js'

/** A recipe needs about 6 levels (steps → step → parallel → step → env → value). */
export const maxNestingDepth = 64

const tooDeep = `lists or maps are nested deeper than ${maxNestingDepth} levels`
const tooDeepHint = 'a recipe needs only a few levels (steps → step → its keys): flatten the nesting'

/**
 * The parser's errors and warnings, in words; one problem for runaway nesting, not one per level,
 * and one for an unquoted `: `: what the parser trips over after it on that line (`echo a: - b`,
 * `a: b: c`, `"a" b: c`) is the same slip, fixed by the same quotes.
 */
export function yamlProblems(source: RecipeSource): RecipeProblem[] {
  const problems: RecipeProblem[] = []
  const all = [...source.doc.errors, ...source.doc.warnings]
  const lineOf = (e: (typeof all)[number]) => source.position(e.pos[0]).line
  const unquoted = new Map(
    all
      .filter((e) => e.code === 'BLOCK_AS_IMPLICIT_KEY')
      .reverse()
      .map((e) => [lineOf(e), e]),
  )
  let deep = false
  for (const e of all) {
    const [start, end] = e.pos
    const slip = unquoted.get(lineOf(e))
    if (slip && slip !== e) continue
    if (e.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(e.message)) {
      if (!deep) problems.push(source.problemAt(start, tooDeep, tooDeepHint))
      deep = true
    } else if (e.code === 'TAG_RESOLVE_FAILED') {
      const tag = source.text.slice(start, end).trim() || e.message.replace(/^Unresolved tag: /, '')
      problems.push(
        source.problemAt(
          start,
          `unknown YAML tag \`${tag}\``,
          'a recipe holds plain strings, numbers, lists and maps: remove the tag',
        ),
      )
    } else if (e.code === 'BAD_DIRECTIVE') {
      const { line } = source.position(start)
      const directive = source.lines[line - 1]?.trim() ?? ''
      problems.push({
        ...source.problemAt(start, `unsupported YAML directive \`${directive}\`: ${firstLine(e.message)}`),
        col: 1,
        hint: 'remove the directive line: devsetup reads YAML 1.2 (`%YAML 1.2` or none)',
      })
    } else {
      const hint = e.code === 'BLOCK_AS_IMPLICIT_KEY' ? quoteHint(source, start) : yamlHints[e.code]
      problems.push(source.problemAt(start, `malformed YAML: ${firstLine(e.message)}`, hint))
    }
  }
  return problems
}

/**
 * Walks the tree without recursion (a deep tree must not overflow the walk meant to catch it):
 * nesting beyond maxNestingDepth, and NUL bytes in keys and values.
 */
export function treeProblems(source: RecipeSource): RecipeProblem[] {
  const problems: RecipeProblem[] = []
  const pending: { node: unknown; depth: number }[] = [{ node: source.doc.contents, depth: 0 }]
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.includes('\0')) {
        problems.push(
          source.problem(
            node as Node,
            'this value holds a NUL byte (\\0), which no command, path or variable can carry',
            'remove the \\0 (or the binary content) from the value',
          ),
        )
      }
    } else if (isMap(node) || isSeq(node)) {
      if (depth >= maxNestingDepth) {
        problems.push(source.problem(node as Node, tooDeep, tooDeepHint))
        return problems
      }
      for (const item of node.items) {
        if (isPair(item)) {
          pending.push({ node: item.value, depth: depth + 1 })
          pending.push({ node: item.key, depth: depth + 1 })
        } else if (!isAlias(item)) {
          pending.push({ node: item, depth: depth + 1 })
        }
      }
    }
  }
  return problems.reverse()
}

/**
 * `run: echo a: b` — YAML reads the second `: ` as a nested map. The hint is the user's own
 * line with its value in single quotes (a `'` inside doubled, as YAML wants).
 */
function quoteHint(source: RecipeSource, offset: number): string {
  const line = source.lines[source.position(offset).line - 1] ?? ''
  const match = /^(\s*(?:- )?[\w.-]+:\s+)(.*\S)\s*$/.exec(line)
  if (!match) return yamlHints.BLOCK_AS_IMPLICIT_KEY!
  const quoted = `${match[1]!.trimStart()}'${match[2]!.replaceAll("'", "''")}'`
  return `a value that contains \`: \` must be quoted; write the line as:\n    ${quoted}`
}

const yamlHints: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: 'a value that contains `: ` must be quoted: check: "node -e \'...\'"',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation, and that every [ or { is closed',
  DUPLICATE_KEY: 'a key appears twice in the same map: remove one',
}

export function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}
