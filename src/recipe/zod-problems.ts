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
  for (const issue of issues) {
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
          source.problem(node, `${where}: expected ${issue.expected}, got ${describeValue(input)}`),
        )
      }
    } else if (issue.code === 'invalid_value') {
      const values = issue.values.map((v) => JSON.stringify(v)).join(', ')
      const hint = typeof input === 'string' ? didYouMean(input, issue.values.map(String)) : undefined
      problems.push(
        source.problem(node, `${where}: expected one of ${values}, got ${describeValue(input)}`, hint),
      )
    } else if (issue.code === 'invalid_union') {
      const expected = unionExpectation(issue)
      problems.push(source.problem(node, `${where}: expected ${expected}, got ${describeValue(input)}`))
    } else {
      const got = input === undefined ? '' : `, got ${describeValue(input)}`
      problems.push(source.problem(node, `${where}: ${issue.message}${got}`))
    }
  }
  return problems
}

function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): string {
  const expected = new Set<string>()
  for (const branch of issue.errors) {
    for (const inner of branch) {
      if (inner.code === 'invalid_type' && inner.path.length === 0) expected.add(inner.expected)
      else if (inner.path.length > 0 || inner.code !== 'invalid_type') expected.add('a valid value')
    }
  }
  const list = [...expected].filter((e) => e !== 'a valid value')
  return list.length > 0 ? list.join(' or ') : 'a valid value'
}
