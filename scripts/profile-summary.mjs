// Where a run's CPU time goes, by source file: `node scripts/build.mjs --readable`, then
// `node --cpu-prof --cpu-prof-dir=DIR bin/devsetup.js …`, then
// `node scripts/profile-summary.mjs DIR/*.cpuprofile`. Chunk positions are mapped back to
// src/ and node_modules/ files through the build's source maps. Prints self time per file
// (the code that ran) and total time per file (its code and what it called), top 25 each.
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'

const file = process.argv[2]
if (!file) {
  console.error('usage: node scripts/profile-summary.mjs PROFILE.cpuprofile')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8'))
const maps = new Map()
function sourceOf(frame) {
  const { url, lineNumber, columnNumber } = frame
  if (!url) return `(${frame.functionName || 'native'})`
  if (!url.startsWith('file:')) return url.startsWith('node:') ? url : `node:${url}`
  const path = fileURLToPath(url)
  if (!maps.has(path)) {
    const mapFile = `${path}.map`
    maps.set(path, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null)
  }
  const map = maps.get(path)
  const entry = map?.findEntry(lineNumber, columnNumber)
  const original = entry?.originalSource
  if (!original) return path.replace(/.*\/dist\//, 'dist/')
  return original.replace(/^.*?(node_modules\/|src\/|scripts\/)/, '$1')
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parent = new Map()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
const self = new Map()
const total = new Map()
let all = 0
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000
  all += dt
  const leaf = sourceOf(byId.get(id).callFrame)
  self.set(leaf, (self.get(leaf) ?? 0) + dt)
  const seen = new Set()
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const source = sourceOf(byId.get(at).callFrame)
    if (seen.has(source)) continue
    seen.add(source)
    total.set(source, (total.get(source) ?? 0) + dt)
  }
})
const top = (table) =>
  [...table]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([source, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${source}`)
    .join('\n')
console.log(
  `sampled: ${all.toFixed(1)} ms\n\nself time by file:\n${top(self)}\n\ntotal time by file:\n${top(total)}`,
)
