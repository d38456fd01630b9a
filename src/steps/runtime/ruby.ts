// Ruby's own ways of naming a version: RubyGems requirements (the Gemfile's `ruby "~> 3.1"`, where
// `~>` is the pessimistic operator, not semver's tilde), .ruby-version's `ruby-3.2.4` and patch
// levels, and the Gemfile line that points at another file (`ruby file: ".ruby-version"`).
import path from 'node:path'

const gemVersion = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?$/

/**
 * One RubyGems requirement as a range in simple-range.ts's grammar: `~> 3.1` is `>= 3.1, < 4`,
 * `~> 3.1.2` is `>= 3.1.2, < 3.2` (Gem::Version#bump). undefined: not a gem requirement.
 */
function gemComparator(text: string): string | undefined {
  const m = /^(~>|>=|<=|>|<|=)?\s*v?(\S+)$/.exec(text.trim())
  const v = m && gemVersion.exec(m[2]!)
  if (!m || !v) return undefined
  const parts = v
    .slice(1)
    .filter((p) => p !== undefined)
    .map(Number)
  const version = parts.slice(0, 3).join('.')
  const op = m[1] ?? '='
  if (op !== '~>') return op === '=' ? version : `${op}${version}`
  // The bump: drop the last segment (unless it is the only one), then add one to the new last.
  const kept = parts.length > 1 ? parts.slice(0, -1) : parts
  kept[kept.length - 1]! += 1
  return `>=${version} <${kept.slice(0, 3).join('.')}`
}

/**
 * A Gemfile-style requirement list (`~> 3.1`, `">= 3.0", "< 3.4"` read as `>= 3.0, < 3.4`) as a
 * range; undefined when it is not one (then it is read as a plain spec). A single bare version
 * stays as written: `3.1` is a line, like in .ruby-version.
 */
export function gemRequirementRange(raw: string): string | undefined {
  const parts = raw.split(',').map((p) => p.trim())
  if (parts.length === 1 && !/^(~>|=)/.test(parts[0]!)) return undefined
  const ranges = parts.map(gemComparator)
  return ranges.every((r) => r !== undefined) ? ranges.join(' ') : undefined
}

/** .ruby-version and friends: `ruby-3.2.4` (rbenv, chruby), `3.2.4-p170`, `2.7.8p225`, `3.2.4@gemset` (rvm). */
export function normalizeRubyVersion(value: string): string {
  return value
    .replace(/@.*$/, '')
    .replace(/^ruby-/, '')
    .replace(/^(\d+\.\d+\.\d+)-?p\d+$/, '$1')
}

export type GemfileRuby = { value: string } | { see: string }

/**
 * The Gemfile's `ruby` line: its requirements (`ruby ">= 3.0", "< 3.4", engine: …` → `>= 3.0, < 3.4`)
 * or the file it reads the version from (`ruby file: ".ruby-version"`,
 * `ruby File.read(File.join(__dir__, ".ruby-version")).strip`). undefined: not a `ruby` line, or
 * one whose version devsetup cannot know without running Ruby (`ruby RUBY_VERSION`).
 */
export function readGemfileRubyLine(line: string): GemfileRuby | undefined {
  const rest = /^\s*ruby[\s(]+(.*)$/.exec(line)?.[1]
  if (rest === undefined) return undefined
  const quoted = [...rest.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!)
  const option = /^(?:file:|:file\s*=>)\s*["']([^"']+)["']/.exec(rest)
  if (option) return { see: option[1]! }
  // File.read / IO.read / File.expand_path(…, __dir__): the file named last, next to the Gemfile.
  if (/\b(?:File|IO)\.read\b/.test(rest) && quoted.length > 0) return { see: path.basename(quoted.at(-1)!) }
  const requirements: string[] = []
  for (let text = rest; ; ) {
    const m = /^\s*["']([^"']+)["']\s*,?/.exec(text)
    if (!m) break
    requirements.push(m[1]!.trim())
    text = text.slice(m[0].length)
  }
  return requirements.length > 0 ? { value: requirements.join(', ') } : undefined
}

/**
 * The fix when no Ruby version manager is installed. rbenv's `install` wants an exact release
 * (mise's takes a line), so rbenv is offered with the exact version only. `mise`: the mise advice.
 */
export function rubyManualInstall(target: string, platform: NodeJS.Platform, mise: string): string {
  const exact = /^\d+\.\d+\.\d+$/.test(target)
  if (platform === 'darwin')
    return exact ? `brew install rbenv ruby-build, then: rbenv install -s ${target}` : mise
  const rbenv = exact
    ? `; or rbenv: sudo apt-get install rbenv ruby-build (Debian's ruby-build knows older releases only), then: rbenv install -s ${target}`
    : ''
  return `${mise}${rbenv}`
}
