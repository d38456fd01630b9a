// npm run bench: every speed claim, as ratios against a baseline measured in the same run.
// Each bench/<name>.mjs exports `default async function (tools)` returning rows to print.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { compare, median, timeIt } from '../bench/lib.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const benchDir = path.join(here, '..', 'bench')
const only = process.argv.slice(2)
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

for (const file of files) {
  const { default: bench, title } = await import(pathToFileURL(path.join(benchDir, file)).href)
  console.log(`\n## ${title ?? file}`)
  const rows = await bench({ timeIt, median, compare })
  for (const row of rows) console.log(row)
}
