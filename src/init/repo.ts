// Read-only access to the repository that `init` looks at. Every probe tolerates
// missing or unreadable files: detection reports what it finds, it never fails on a repo.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { dotenvValues } from '../steps/dotenv/parse.js'
import { sourceFiles } from './source-files.js'

export class RepoProbe {
  constructor(readonly root: string) {}

  has(file: string): boolean {
    return existsSync(path.join(this.root, file))
  }

  isDir(dir: string): boolean {
    try {
      return statSync(path.join(this.root, dir)).isDirectory()
    } catch {
      return false
    }
  }

  /** The first of `files` that exists. */
  first(files: readonly string[]): string | undefined {
    return files.find((f) => this.has(f))
  }

  read(file: string): string | undefined {
    try {
      return readFileSync(path.join(this.root, file), 'utf8')
    } catch {
      return undefined
    }
  }

  json(file: string): Record<string, unknown> | undefined {
    const text = this.read(file)
    if (text === undefined) return undefined
    try {
      const value = JSON.parse(text) as unknown
      return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }

  /**
   * YAML with ERB tags (Rails' database.yml) replaced by what they would give: the variable's value
   * in `vars` (the example env), else the default in `ENV.fetch("X") { "d" }`, `ENV.fetch("X", "d")`,
   * `ENV["X"] || "d"`; other tags are blanked out. Merge keys (`<<: *default`) resolved.
   */
  yaml(file: string, vars: Record<string, string> = {}): unknown {
    const text = this.read(file)
    if (text === undefined) return undefined
    const erb = (tag: string) => {
      const name = /ENV(?:\.fetch\(\s*|\[\s*)['"](\w+)['"]/.exec(tag)?.[1]
      if (name && vars[name]) return vars[name]
      return /(?:\{\s*|,\s*|\|\|\s*)['"]([^'"]*)['"]\s*\}?\s*\)?\s*%>$/.exec(tag)?.[1] ?? ''
    }
    try {
      return parse(text.replace(/<%=?[\s\S]*?%>/g, erb), { merge: true })
    } catch {
      return undefined
    }
  }

  private sources: string[] | undefined

  /** The app's JavaScript/TypeScript files (source-files.ts), walked once for every provider that reads code. */
  sourceFiles(): string[] {
    this.sources ??= sourceFiles(this.root)
    return this.sources
  }

  /** Names in a folder (not recursive); empty when it does not exist. */
  list(dir = '.'): string[] {
    try {
      return readdirSync(path.join(this.root, dir))
    } catch {
      return []
    }
  }

  /** package.json dependencies and devDependencies, merged. */
  nodeDependencies(): Record<string, string> {
    const pkg = this.json('package.json')
    return {
      ...((pkg?.dependencies as Record<string, string>) ?? {}),
      ...((pkg?.devDependencies as Record<string, string>) ?? {}),
    }
  }

  nodeScripts(): Record<string, string> {
    return (this.json('package.json')?.scripts as Record<string, string>) ?? {}
  }

  /** The first line of `files` (in order) that `pattern` matches: its first group (or the whole match), file and line. */
  firstMatch(
    files: readonly string[],
    pattern: RegExp,
  ): { match: string; file: string; line: number } | undefined {
    for (const file of files) {
      const lines = (this.read(file) ?? '').split('\n')
      for (let i = 0; i < lines.length; i++) {
        const found = pattern.exec(lines[i]!)
        if (found) return { match: found[1] ?? found[0], file, line: i + 1 }
      }
    }
    return undefined
  }

  /** The keys of a dotenv file with their values, read as dotenv reads them (last one wins). */
  dotenv(file: string): Record<string, string> {
    return dotenvValues(this.read(file) ?? '')
  }
}
