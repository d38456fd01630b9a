// Finds the version a repository pins for a language: .nvmrc-style files, .tool-versions,
// mise.toml, package.json (volta, engines), Gemfile, go.mod. Returns the value and where it was
// found (file and line), so a reason can say ".nvmrc wants 22" and an error can point at the line.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Language } from './languages.js'
import { readGemfileRubyLine } from './ruby.js'

export interface PinnedVersion {
  value: string
  /** Relative to the repository root, for messages. */
  file: string
  line: number
  /** The pin cannot be read (a file it points at is missing): said instead of a version. */
  problem?: string
}

/** A version, or (a Gemfile's `ruby file: ".ruby-version"`) the file holding it. */
type Found = { value: string; line: number } | { see: string; line: number }
type Reader = (text: string, lang: Language) => Found | undefined

const lines = (text: string) => text.split(/\r?\n/)

/** A plain version file: the first line that is not empty or a comment, without a trailing `# …`. */
const plainFile: Reader = (text) => {
  const all = lines(text).map((l) => l.replace(/(^|\s)#.*/, '').trim())
  const index = all.findIndex((l) => l !== '')
  return index < 0 ? undefined : { value: all[index]!, line: index + 1 }
}

/** `.tool-versions`: `nodejs 20.11.1 18.0.0`; the first version listed is the one used. */
const toolVersions: Reader = (text, lang) => {
  const all = lines(text)
  for (const [i, raw] of all.entries()) {
    const [tool, version] = raw.replace(/#.*/, '').trim().split(/\s+/)
    if (tool && version && lang.toolNames.includes(tool)) return { value: version, line: i + 1 }
  }
  return undefined
}

/** mise.toml `[tools]`: `node = "22"`, `node = ["22", "20"]` or `node = { version = "22" }`. */
const miseToml: Reader = (text, lang) => {
  let inTools = false
  for (const [i, raw] of lines(text).entries()) {
    const line = raw.replace(/#.*/, '').trim()
    if (line.startsWith('[')) inTools = line === '[tools]'
    if (!inTools) continue
    const match = /^"?([\w-]+)"?\s*=\s*(.+)$/.exec(line)
    if (!match || !lang.toolNames.includes(match[1]!)) continue
    const value = /"([^"]*)"|'([^']*)'/.exec(match[2]!)
    if (value) return { value: value[1] ?? value[2]!, line: i + 1 }
  }
  return undefined
}

/** package.json: `volta.<tool>` (an exact pin) before `engines.<tool>` (a range). */
const packageJson: Reader = (text, lang) => {
  const key = lang.packageJsonKey
  if (!key) return undefined
  let data: { volta?: Record<string, unknown>; engines?: Record<string, unknown> }
  try {
    data = JSON.parse(text)
  } catch {
    return undefined
  }
  for (const value of [data.volta?.[key], data.engines?.[key]]) {
    if (typeof value !== 'string') continue
    const quoted = JSON.stringify(value)
    const index = lines(text).findIndex((l) => l.includes(`"${key}"`) && l.includes(quoted))
    return { value, line: index + 1 }
  }
  return undefined
}

/** Gemfile: `ruby "3.3.0"`, `ruby '~> 3.2'`, `ruby ">= 3.0", "< 3.4"`, `ruby file: ".ruby-version"`. */
const gemfile: Reader = (text) => {
  for (const [i, raw] of lines(text).entries()) {
    const found = readGemfileRubyLine(raw)
    if (found) return { ...found, line: i + 1 }
  }
  return undefined
}

/** go.mod: `go 1.22.1` is the minimum the module needs (newer toolchains build it). */
const goMod: Reader = (text) => {
  for (const [i, raw] of lines(text).entries()) {
    const match = /^go\s+(\d+(?:\.\d+){0,2})\s*$/.exec(raw)
    if (match) return { value: `>=${match[1]}`, line: i + 1 }
  }
  return undefined
}

function readerFor(file: string): Reader {
  const base = path.basename(file)
  if (base === '.tool-versions') return toolVersions
  if (base === 'mise.toml' || base === '.mise.toml') return miseToml
  if (base === 'package.json') return packageJson
  if (base === 'Gemfile') return gemfile
  if (base === 'go.mod') return goMod
  return plainFile
}

/** The files looked at for a language, in order of precedence. */
export function candidateFiles(lang: Language): string[] {
  const files = [...lang.versionFiles]
  if (lang.toolNames.length > 0) files.push('.tool-versions', 'mise.toml', '.mise.toml')
  if (lang.packageJsonKey) files.push('package.json')
  if (lang.name === 'ruby') files.push('Gemfile')
  if (lang.name === 'go') files.push('go.mod')
  return files
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Reads one named file (`version: file:.ruby-version`); undefined when it holds no version. */
export async function readPinFile(file: string, dir: string, root: string, lang: Language) {
  const text = await readIfExists(path.resolve(dir, file))
  if (text === undefined) return { missing: true as const }
  const found = readerFor(file)(text, lang)
  if (!found) return { missing: false as const, pin: undefined }
  const where = { file: path.relative(root, path.resolve(dir, file)), line: found.line }
  if ('see' in found)
    return { missing: false as const, pin: await followPin(found.see, dir, root, lang, where) }
  const value = lang.normalizeFileValue?.(found.value) ?? found.value
  const pin: PinnedVersion = { value, ...where }
  return { missing: false as const, pin }
}

/** The file a Gemfile's `ruby` line reads its version from, named in what the pin says. */
async function followPin(
  see: string,
  dir: string,
  root: string,
  lang: Language,
  from: { file: string; line: number },
): Promise<PinnedVersion> {
  const problem = (text: string) => ({ value: '', ...from, problem: text })
  // A Gemfile pointing at a Gemfile would loop; nothing else can point further.
  if (path.isAbsolute(see) || see.split(/[\\/]/).includes('..') || path.basename(see) === 'Gemfile')
    return problem(`\`${see}\`: expected a version file inside the repository`)
  const result = await readPinFile(see, dir, root, lang)
  if (result.missing) return problem(`reads the ${lang.name} version from ${see}, which does not exist`)
  if (!result.pin) return problem(`reads the ${lang.name} version from ${see}, which holds none`)
  return result.pin
}

/** The nearest pin: in the step's folder, then at the repository root. */
export async function findPinnedVersion(lang: Language, cwd: string, root: string) {
  const dirs = cwd === root ? [root] : [cwd, root]
  for (const dir of dirs) {
    for (const file of candidateFiles(lang)) {
      const result = await readPinFile(file, dir, root, lang)
      if (!result.missing && result.pin) return result.pin
    }
  }
  return undefined
}
