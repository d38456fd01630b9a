// Turns zod issues into recipe problems that point at the offending YAML node,
// with "expected X, got Y" and "did you mean" instead of zod's generic wording.
import type { Node } from 'yaml'
import type { z } from 'zod'
import type { RecipeProblem } from '../errors.js'
import { describeValue, keyNode, nodeAt, type RecipeSource } from './source.js'
import { didYouMean } from './suggest.js'

// biome-ignore lint/suspicious/noExplicitAny: walking zod's internal definitions
type AnyDef = any

/** The keys an object schema accepts at `path`, looking through optional/default/pipe/union wrappers. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const found = new Set<string>()
  const visit = (def: AnyDef, rest: readonly PropertyKey[]): void => {
    if (!def) return
    if (['optional', 'nullable', 'default', 'prefault', 'readonly'].includes(def.type)) {
      visit(def.innerType?._zod.def, rest)
    } else if (def.type === 'pipe') {
      visit(def.in?._zod.def, rest)
    } else if (def.type === 'union') {
      for (const option of def.options) visit(option._zod.def, rest)
    } else if (def.type === 'array' && rest.length > 0) {
      visit(def.element?._zod.def, rest.slice(1))
    } else if (def.type === 'object' && rest.length === 0) {
      for (const key of Object.keys(def.shape)) found.add(key)
    } else if (def.type === 'object') {
      visit(def.shape[String(rest[0])]?._zod.def, rest.slice(1))
    }
  }
  visit(schema._zod.def, path)
  return [...found]
}

export function zodProblems(
  source: RecipeSource,
  base: Node | null | undefined,
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  label: string,
): RecipeProblem[] {
  const problems: RecipeProblem[] = []
  for (const issue of issues.flatMap(matchedBranch)) {
    const path = issue.path as PropertyKey[]
    const where = path.length > 0 ? `\`${path.join('.')}\`` : `\`${label}\``
    if (issue.code === 'unrecognized_keys') {
      const parent = nodeAt(base, path)
      const known = knownKeysAt(schema, path)
      for (const key of issue.keys) {
        problems.push(
          source.problem(
            keyNode(parent, key) ?? parent,
            `unknown key \`${key}\` in ${where}`,
            didYouMean(key, known),
          ),
        )
      }
      continue
    }
    const node = nodeAt(base, path)
    const input = (issue as { input?: unknown }).input
    if (issue.code === 'invalid_type') {
      if (input === undefined && path.length > 0) {
        problems.push(source.problem(node, `missing required key \`${String(path.at(-1))}\` in \`${label}\``))
      } else {
        problems.push(
          source.problem(node, `${where}: expected ${friendly(issue.expected)}, got ${describeValue(input)}`),
        )
      }
    } else if (issue.code === 'invalid_value') {
      const values = issue.values.map((v) => JSON.stringify(v)).join(', ')
      const hint = typeof input === 'string' ? didYouMean(input, issue.values.map(String)) : undefined
      problems.push(
        source.problem(node, `${where}: expected one of ${values}, got ${describeValue(input)}`, hint),
      )
    } else if (issue.code === 'invalid_union') {
      const { expected, values } = unionExpectation(issue)
      const hint = typeof input === 'string' && values.length > 0 ? didYouMean(input, values) : undefined
      problems.push(source.problem(node, `${where}: expected ${expected}, got ${describeValue(input)}`, hint))
    } else {
      // A refinement's message already says what is wrong; a whole map or list as "got" adds nothing.
      const got =
        input === undefined || (typeof input === 'object' && input !== null)
          ? ''
          : `, got ${describeValue(input)}`
      problems.push(source.problem(node, `${where}: ${issue.message}${got}`))
    }
  }
  return problems
}

/**
 * When exactly one branch of a union accepted the value's type (a map for a map), its
 * deeper issues are the real problem: report those, not "expected X or Y".
 */
function matchedBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue]
  const typeMatched = issue.errors.filter(
    (branch) =>
      !branch.some(
        (inner) =>
          inner.path.length === 0 && (inner.code === 'invalid_type' || inner.code === 'invalid_value'),
      ),
  )
  if (typeMatched.length !== 1) return [issue]
  return typeMatched[0]!.flatMap((inner) =>
    matchedBranch({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue),
  )
}

/** What a union accepts, from the first-level issues of each branch: types and literal values. */
function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): { expected: string; values: string[] } {
  const types = new Set<string>()
  const values: string[] = []
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.path.length > 0) continue
      if (inner.code === 'invalid_type') types.add(friendly(inner.expected))
      if (inner.code === 'invalid_value') values.push(...inner.values.map(String))
    }
  }
  const parts = [...(values.length > 0 ? [`one of ${values.join(', ')}`] : []), ...types]
  return { expected: parts.length > 0 ? parts.join(', or ') : 'a valid value', values }
}

const typeNames: Record<string, string> = {
  array: 'a list',
  object: 'a map',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  record: 'a map',
}

function friendly(expected: string): string {
  return typeNames[expected] ?? expected
}
