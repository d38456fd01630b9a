// The dependency install (minutes: Bundler compiling native gems, a yarn install) and the
// services (seconds: a PostgreSQL or Redis start) need nothing from each other, so the recipe init
// writes runs them together, in one `parallel:` group. The database step needs both: it stays
// after the group. Only init's own adjacent steps are grouped; a template's order is kept.
import { type Document, isMap, isSeq, type Node } from 'yaml'
import { describeItem } from './render.js'

export function overlapInstallsAndServices(doc: Document, items: Node[]): Node[] {
  const first = items.findIndex((n) => describeItem(n).type === 'dependencies')
  if (first === -1) return items
  let end = first + 1
  while (end < items.length && describeItem(items[end]!).type === 'service') end++
  if (end === first + 1) return items
  const members = items.slice(first, end)
  const group = doc.createNode({ name: 'Install dependencies, start services', parallel: [] }) as Node
  if (!isMap(group)) return items
  const list = group.get('parallel', true)
  if (!isSeq(list)) return items
  list.items = members
  for (const [i, node] of members.entries()) node.spaceBefore = i > 0 && Boolean(node.commentBefore)
  group.commentBefore = ' The installs and the services do not need each other: they run at the same time.'
  return [...items.slice(0, first), group, ...items.slice(end)]
}
