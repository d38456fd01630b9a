// The shell commands a repository's README (and CONTRIBUTING.md) tells a developer to type: in
// fenced and indented code blocks, and inline code that is a whole command ("4. Run `pnpm i`").
// Each keeps its file:line, the folder it runs in (a `cd client` earlier in the same block, or
// `(cd client; npm run generate)`), and whether it sits in an install/setup/development section —
// the sections whose commands are the app's one-time setup, not its deployment or its plugins.
import type { RepoProbe } from './repo.js'

export interface ReadmeCommand {
  file: string
  line: number
  /** One command: a `&&`/`;` part of the line, without its prompt (`$ `). */
  text: string
  /** The folder it runs in, relative to the repository ('' for the root). */
  cwd: string
  /** Under a heading about installing, setting up or developing the app. */
  setup: boolean
}

const setupHeading =
  /install|set ?up|getting started|quick ?start|develop|from source|locally|local (env|dev)|build(ing)? (it|the app)|contribut|run(ning)? (it|the app)/i
// Sections under such a heading that are still not the developer's setup.
const otherHeading =
  /docker|kubernetes|k8s|deploy|\bprod\b|production|plugin|upgrad|update|uninstall|helm|continuous integration|\bci\b|format|lint|test|release|translat/i
// Inline code that is a whole command, not a name: a package manager or a copy.
const inlineCommand = /^\(?(?:cd \S+\s*(?:;|&&)\s*)?(?:npm|pnpm|yarn|bun|cp|copy)\b/

/** The commands of the README and CONTRIBUTING.md, in order. */
export function readmeCommands(repo: RepoProbe): ReadmeCommand[] {
  const files = repo
    .list()
    .filter((n) => /^(readme|contributing)(\.(md|markdown|rst|txt))?$/i.test(n))
    .sort((a, b) => Number(/^contrib/i.test(a)) - Number(/^contrib/i.test(b)))
  return files.flatMap((file) => commandsIn(file, repo.read(file) ?? '', (dir) => repo.isDir(dir)))
}

function commandsIn(file: string, text: string, isDir: (dir: string) => boolean): ReadmeCommand[] {
  const found: ReadmeCommand[] = []
  const headings: { level: number; setup: boolean; other: boolean }[] = []
  const contributing = /^contrib/i.test(file)
  let fence: string | undefined
  let cwd = ''
  let previousBlank = true
  const lines = text.split(/\r?\n/)
  const add = (raw: string, line: number, inline: boolean) => {
    // All of CONTRIBUTING.md is for developers, but not its CI, formatting or release sections.
    const setup = contributing
      ? !(headings.at(-1)?.other ?? false)
      : headings.length > 0 && headings.at(-1)!.setup
    // `(cd client; npm run generate)` runs in client/ without moving the block's folder.
    const sub = /^\((.*)\)$/.exec(raw.trim())
    const own = inline || sub ? '' : cwd
    let here = own
    for (const part of (sub?.[1] ?? raw).split(/\s*(?:&&|;)\s*/)) {
      const text = part
        .trim()
        .replace(/^[$>#]\s+/, '')
        .replace(/\s+#.*$/, '')
      if (!text) continue
      const cd = /^cd\s+(\S+)$/.exec(text)
      // `git clone …; cd flame` enters the repository itself: a folder it does not have is its root.
      if (cd) here = joinFolder(here, cd[1]!, isDir)
      else found.push({ file, line, text, cwd: here, setup })
    }
    if (!inline && !sub) cwd = here
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1]
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined
      else add(line, i + 1, false)
      continue
    }
    if (marker) {
      fence = marker
      cwd = ''
      continue
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      const level = heading[1]!.length
      while (headings.length > 0 && headings.at(-1)!.level >= level) headings.pop()
      const parent = headings.at(-1)
      const title = heading[2]!
      const other = otherHeading.test(title) || (parent?.other ?? false)
      headings.push({ level, other, setup: !other && ((parent?.setup ?? false) || setupHeading.test(title)) })
      continue
    }
    // An indented code block: four spaces after a blank line (not a list item's continuation).
    if (/^( {4}|\t)\S/.test(line) && (previousBlank || /^( {4}|\t)/.test(lines[i - 1] ?? ''))) {
      if (previousBlank) cwd = ''
      if (!/^\s*([-*+]|\d+\.)\s/.test(line)) add(line.trim(), i + 1, false)
    } else if (!/\bprod(uction)?\b|\bdeploy/i.test(line)) {
      // (Not an inline command in a sentence about production: "compiled to dist via `npm run build`".)
      for (const code of line.matchAll(/`([^`\n]+)`/g))
        if (inlineCommand.test(code[1]!.trim())) add(code[1]!, i + 1, true)
    }
    previousBlank = line.trim() === ''
  }
  return found
}

/** `cd ..` and `cd client` from a folder of the repository; outside it stays at the root. */
function joinFolder(from: string, to: string, isDir: (dir: string) => boolean): string {
  if (/^[/~$]/.test(to)) return ''
  const folder = inFolder(from, to)
  return folder && isDir(folder) ? folder : ''
}

/** The folder `cd to` leads to from `from`, both relative to the repository. */
export function inFolder(from: string, to: string): string {
  const parts = from && from !== '.' ? from.split('/') : []
  for (const part of to.split('/'))
    if (part === '..') parts.pop()
    else if (part && part !== '.') parts.push(part)
  return parts.join('/')
}
