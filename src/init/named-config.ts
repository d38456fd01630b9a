// Config files a fresh clone lacks that the README or the code names, anywhere in the repository:
// (a) a README's or bin/setup's `cp A B` (`cp src/config.ts.example src/config.ts`) where A is in the repository and
//     B is not; (b) a module the code imports or requires (`import config from './mikro-orm.config'`,
//     `require('./dev')`) that is missing, beside an example of it of any source extension
//     (`src/mikro-orm.config.ts.example`); (c) such a missing module whose example the README names by
//     path elsewhere ("an example of this file in `.devcontainer/dev.js`"). Each becomes a copy.
import path from 'node:path'
import { setupCommands } from './providers/bin-setup.js'
import { inFolder, readmeCommands } from './readme-commands.js'
import type { RepoProbe } from './repo.js'

export interface NamedCopy {
  example: string
  target: string
  why: string
}

const marker = '(?:example|sample|template|dist)'
const extensions = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.yml', '.yaml']
const relativeImport = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g

export function namedConfigCopies(repo: RepoProbe): NamedCopy[] {
  const copies: NamedCopy[] = []
  const add = (copy: NamedCopy) => {
    if (!copies.some((c) => c.target === copy.target)) copies.push(copy)
  }
  // bin/setup's `cp .sequelizerc.example .sequelizerc` (codimd): the bin-setup provider leaves
  // copies to this one, so a copy it runs is made here, or by no step at all.
  const fromBinSetup = setupCommands(repo)
    .filter((c) => !c.heredoc)
    .map((c) => ({ file: 'bin/setup', line: c.line, text: c.command, cwd: '' }))
  for (const command of [...readmeCommands(repo), ...fromBinSetup]) {
    const cp = /^(?:cp|copy)\s+(?:-\w+\s+)*(\S+)\s+(\S+)$/.exec(command.text)
    if (!cp) continue
    const example = inFolder(command.cwd, cp[1]!)
    let target = inFolder(command.cwd, cp[2]!)
    if (repo.isDir(target) || cp[2]!.endsWith('/')) target = inFolder(target, path.posix.basename(example))
    // An env file is the dotenv step's; a copy outside the repository is not ours.
    if (/(^|\/)\.env/.test(target) || cp[2]!.startsWith('/') || target.startsWith('..')) continue
    if (!repo.has(example) || repo.isDir(example) || repo.has(target)) continue
    add({ example, target, why: `${command.file}:${command.line} \`${command.text}\`` })
  }
  for (const missing of missingImports(repo)) {
    const example = besideExample(repo, missing.module) ?? readmeNamed(repo, missing.module)
    if (example) add({ example: example.file, target: example.target, why: `${missing.why}${example.why}` })
  }
  return copies
}

/** Relative imports of the app's code that resolve to no file: `src/mikro-orm.config` (no extension). */
function missingImports(repo: RepoProbe): { module: string; why: string }[] {
  const found = new Map<string, string>()
  for (const file of repo.sourceFiles()) {
    const text = repo.read(file) ?? ''
    for (const m of text.matchAll(relativeImport)) {
      const module = inFolder(path.posix.dirname(file), m[1]!)
      if (found.has(module) || resolves(repo, module)) continue
      const line = text.slice(0, m.index).split('\n').length
      found.set(module, `${file}:${line} imports ${m[1]}, which is missing`)
    }
  }
  return [...found].map(([module, why]) => ({ module, why }))
}

function resolves(repo: RepoProbe, module: string): boolean {
  if (repo.has(module) && !repo.isDir(module)) return true
  return extensions.some((ext) => repo.has(`${module}${ext}`) || repo.has(`${module}/index${ext}`))
}

/** `src/config.ts.example`, `src/config.example.ts` beside the missing `src/config`. */
function besideExample(
  repo: RepoProbe,
  module: string,
): { file: string; target: string; why: string } | undefined {
  const dir = path.posix.dirname(module)
  const base = path.posix.basename(module).replace(/\.[cm]?[jt]sx?$/, '')
  const pattern = new RegExp(`^${literal(base)}(?:(\\.[\\w]+)\\.${marker}|\\.${marker}(\\.[\\w]+))$`)
  for (const name of repo.list(dir)) {
    const m = pattern.exec(name)
    const ext = m?.[1] ?? m?.[2]
    if (!m || !ext || !extensions.includes(ext)) continue
    const file = dir === '.' ? name : `${dir}/${name}`
    return {
      file,
      target: `${dir === '.' ? '' : `${dir}/`}${base}${ext}`,
      why: `; the repository ships ${file}`,
    }
  }
  return undefined
}

/** A path in the README's inline code with the missing module's file name (`.devcontainer/dev.js` for `./dev`). */
function readmeNamed(
  repo: RepoProbe,
  module: string,
): { file: string; target: string; why: string } | undefined {
  const base = path.posix.basename(module)
  for (const readme of repo.list().filter((n) => /^(readme|contributing)(\.\w+)?$/i.test(n))) {
    const lines = (repo.read(readme) ?? '').split(/\r?\n/)
    for (let i = 0; i < lines.length; i++)
      for (const code of lines[i]!.matchAll(/`(?:\.\/)?([\w.-][\w./-]*\/[\w.-]+)`/g)) {
        const file = code[1]!
        const name = path.posix.basename(file)
        const ext = path.posix.extname(name)
        if (name !== base && !(extensions.includes(ext) && name === `${base}${ext}`)) continue
        if (!repo.has(file) || repo.isDir(file)) continue
        const target = module.endsWith(ext) ? module : `${module}${ext}`
        return { file, target, why: `; ${readme}:${i + 1} names ${file} as its example` }
      }
  }
  return undefined
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
