// A server that takes its port from a JSON settings file its code names (etherpad's
// `argv.settings || 'settings.json'` with `"port": 9001` in it) listens on that file's value, not on
// the default in its code (`port: process.env.PORT || 9001`, which the file overrides). The file is
// read where the app reads it: beside the package, or in a folder above it up to the repository's
// root (etherpad resolves it from its root, one above src/). A file the repository ships only as an
// example is read in the example init copies to it (settings.json.template). `"${PORT:9001}"` (a
// variable with a default, as such files write it) gives the variable and its default.
import path from 'node:path'
import { importedFiles, type PortChoice } from './port-in-code.js'
import { configOrExample } from './providers/config-examples.js'
import type { RepoProbe } from './repo.js'

// A JSON file named in code: `'settings.json'`, `"./config/app.json"`; never the tooling's own files.
const named = /["'`]((?:\.\/)?(?:[\w-]+\/)*[\w.-]+\.json)["'`]/g
const tooling =
  /(?:^|\/)(?:package|package-lock|tsconfig[\w.-]*|jsconfig|composer|manifest|lerna|nx|turbo|project)\.json$/

/** The top-level `port` of a JSON settings file the server's code (`entry` and its imports) names. */
export function settingsFilePort(root: RepoProbe, probe: RepoProbe, entry: string): PortChoice | undefined {
  const folder = path.relative(root.root, probe.root)
  for (const file of importedFiles(probe, entry)) {
    for (const [i, line] of (probe.read(file) ?? '').split('\n').entries()) {
      // Prose in a comment (` * reads settings.json`) is not what the code opens.
      if (/^\s*(?:\/\/|\*|\/\*)/.test(line)) continue
      for (const m of line.matchAll(named)) {
        const name = m[1]!.replace(/^\.\//, '')
        if (tooling.test(name)) continue
        const found = portOf(root, candidates(folder, name))
        const at = `${folder ? `${folder}/` : ''}${file}:${i + 1}`
        if (found) return { ...found, why: `${found.why}, the settings file ${at} reads` }
      }
    }
  }
  return undefined
}

/** `name` beside the package, then in each folder above it up to the repository's root. */
function candidates(folder: string, name: string): string[] {
  const dirs = folder ? folder.split('/') : []
  return dirs.map((_, i) => [...dirs.slice(0, dirs.length - i), name].join('/')).concat(name)
}

function portOf(root: RepoProbe, files: string[]): PortChoice | undefined {
  for (const target of files) {
    const file = configOrExample(root, target)
    const text = file && root.read(file)
    if (!text) continue
    let value: unknown
    try {
      value = (JSON.parse(withoutComments(text)) as Record<string, unknown>).port
    } catch {
      continue
    }
    const port = portValue(value)
    if (!port) continue
    // The top-level key's line: the first `"port":` line whose value is this one.
    const line = text.split('\n').findIndex((l) => /^\s*"port"\s*:/.test(l) && l.includes(String(port.port)))
    const copied = file === target ? '' : ` (copied to ${target})`
    return { ...port, why: `"port" in ${file}:${line + 1}${copied}` }
  }
  return undefined
}

/** `9001`, `"9001"`, `"${PORT:9001}"`: the port, and the variable that moves it. */
function portValue(value: unknown): { port: number; variable?: string } | undefined {
  if (typeof value === 'number' && value > 0 && value < 65536) return { port: value }
  if (typeof value !== 'string') return undefined
  if (/^\d{2,5}$/.test(value)) return { port: Number(value) }
  const m = /^\$\{([A-Z_][A-Z0-9_]*):-?(\d{2,5})\}$/.exec(value)
  return m ? { port: Number(m[2]), variable: m[1]! } : undefined
}

/** JSON with `//` and `/* … *\/` comments and trailing commas (as such settings files are written): plain JSON. */
function withoutComments(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y
      end.lastIndex = i
      const s = end.exec(text)?.[0] ?? c
      out += s
      i += s.length - 1
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2)
      if (end < 0) break
      i = text[i + 1] === '/' ? end - 1 : end + 1
    } else out += c
  }
  return out.replace(/,(\s*[}\]])/g, '$1')
}
