// Inserts a step into a recipe's text. The YAML Document API finds where the steps are and
// stringifies the new step; the text is then spliced, so every other byte of the file (comments,
// blank lines, quoting, comment alignment) stays exactly as the user wrote it.
import { Document, isMap, isScalar, isSeq, type Node, parseDocument, type YAMLSeq } from 'yaml'
import { UserError } from '../errors.js'

export type Placement = { kind: 'end' } | { kind: 'before' | 'after'; index: number }

export interface Inserted {
  text: string
  /** 1-based line of the new step's `- `. */
  line: number
}

export function insertStep(text: string, step: unknown, placement: Placement): Inserted {
  const doc = parseDocument(text)
  if (doc.errors.length > 0)
    throw new UserError(`the recipe is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
  const root = doc.contents
  if (!isMap(root)) throw new UserError('the recipe is not a YAML map', 'run `devsetup validate` to see why')
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'steps')
  const value = pair?.value as Node | null | undefined

  if (!pair) {
    const prefix = text === '' || text.endsWith('\n') ? '' : '\n'
    const at = text.length
    return withLine(text, at, `${prefix}steps:\n${render(step, 2)}`, at + prefix.length + 'steps:\n'.length)
  }
  const keyStart = (pair.key as Node).range![0]
  const keyIndent = keyStart - lineStart(text, keyStart)
  if (!isSeq(value) || (value.flow && value.items.length === 0)) {
    if (value && !isSeq(value) && !(isScalar(value) && value.value === null))
      throw new UserError('`steps` must be a list', 'run `devsetup validate` to see the problem')
    // `steps:` or `steps: []`: the list starts with this step, in block style.
    const keyLineEnd = lineEnd(text, keyStart)
    const start = value && isSeq(value) ? trimSpacesBefore(text, value.range![0]) : keyLineEnd
    const end = value && isSeq(value) ? value.range![1] : keyLineEnd
    const block = render(step, keyIndent + 2)
    const rest = text.slice(end)
    const joined = `${text.slice(0, start)}\n${block.replace(/\n$/, rest.startsWith('\n') ? '' : '\n')}`
    return { text: joined + rest, line: lineOf(joined, start + 1) }
  }
  if (value.flow) return viaDocument(doc, value, step, placement)

  const items = value.items as Node[]
  const dash = (item: Node) => text.lastIndexOf('-', item.range![0])
  const indent = dash(items[0]!) - lineStart(text, dash(items[0]!))
  // The comment lines right above an item go with it, but never lines of the item before it: a
  // block scalar's last line may start with `#` and is text, not a comment.
  const blockStart = (index: number) => {
    const item = items[index]!
    const floor = index > 0 ? items[index - 1]!.range![1] : 0
    let start = lineStart(text, dash(item))
    while (start > floor) {
      const previous = lineStart(text, start - 1)
      if (previous < floor || !text.slice(previous, start).trim().startsWith('#')) break
      start = previous
    }
    return start
  }
  // A file that separates its steps with blank lines gets a blank line around the new one too.
  const spaced = items.length > 1 && /\n[ \t]*\n$/.test(text.slice(0, blockStart(1)))
  const block = render(step, indent)

  if (placement.kind === 'before') {
    const at = blockStart(placement.index)
    return withLine(text, at, `${block}${spaced ? '\n' : ''}`, at)
  }
  const after = items[placement.kind === 'end' ? items.length - 1 : placement.index]!
  let end = after.range![1]
  while (end > 0 && /\s/.test(text[end - 1]!)) end--
  const newline = text.indexOf('\n', end)
  const at = newline === -1 ? text.length : newline + 1
  const prefix = `${newline === -1 ? '\n' : ''}${spaced ? '\n' : ''}`
  return withLine(text, at, `${prefix}${block}`, at + prefix.length)
}

/** Flow-style `steps: [a, b]` has no lines to splice between: re-stringify (formatting may change). */
function viaDocument(doc: Document, seq: YAMLSeq, step: unknown, placement: Placement): Inserted {
  const index =
    placement.kind === 'end'
      ? seq.items.length
      : placement.kind === 'before'
        ? placement.index
        : placement.index + 1
  seq.items.splice(index, 0, doc.createNode(step))
  const text = doc.toString()
  return { text, line: lineOf(text, text.indexOf('steps')) }
}

/** The step as a block-sequence item: `- key: value` at `indent`, its body two columns deeper. */
function render(step: unknown, indent: number): string {
  const doc = new Document(step)
  flowScalarLists(doc.contents)
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '')
  const pad = ' '.repeat(indent)
  return `${body
    .split('\n')
    .map((line, i) => (i === 0 ? `${pad}- ${line}` : line === '' ? '' : `${pad}  ${line}`))
    .join('\n')}\n`
}

/** `paths: [log/*.log, tmp/cache]` reads better than a block list for short scalar lists. */
export function flowScalarLists(node: unknown): void {
  if (isSeq(node) && node.items.every((i) => isScalar(i))) node.flow = true
  if (isSeq(node)) for (const item of node.items) flowScalarLists(item)
  if (isMap(node)) for (const pair of node.items) flowScalarLists(pair.value)
}

function withLine(text: string, at: number, insert: string, dashAt: number): Inserted {
  const result = `${text.slice(0, at)}${insert}${text.slice(at)}`
  return { text: result, line: lineOf(result, dashAt) }
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset)
  return end === -1 ? text.length : end
}

function trimSpacesBefore(text: string, offset: number): number {
  while (offset > 0 && text[offset - 1] === ' ') offset--
  return offset
}
