// Which line of a multi-line `run: |` script failed. The script runs under `sh` (dash on
// Debian), which has no usable $LINENO (empty in PS4 and in traps) and no BASH_XTRACEFD, so
// the shell cannot tell us the line directly. What every POSIX sh can do is xtrace: with
// `set -x` it writes each simple command to stderr, after expansion, just before running it.
// So a multi-line script runs with xtrace on and a PS4 that is a marker unique to this
// devsetup process; the marked lines are taken out of its output before anything shows or logs it,
// and the last traced command before the exit is the one that failed (with `set -e`, or the
// script's last command or its `exit` without). That command is mapped back to the script's
// source line by its words, so the line is named as written (`cp "$SRC" …`), not expanded.
// Chosen over rewriting the script (a marker per line breaks heredocs, continuations and
// quoted strings) and over running bash (a different shell than the recipe was written for).
// A single-line command is not traced: it is its own name.
import { randomBytes } from 'node:crypto'
import { StringDecoder } from 'node:string_decoder'

/** Unique per process, so neither the script's output nor a child's own trace can fake it. */
const marker = `__devsetup_trace_${randomBytes(4).toString('hex')}__ `
/** The commands kept for the mapping: enough to follow a loop back to where it failed. */
const keptTraces = 50

/** The script's own xtrace or PS4 stays the script's: then it is not traced by devsetup. */
const ownTrace = /\bset\s+(-[A-Za-z]*x|-o\s+xtrace)\b|\bPS4=/

export function isTraceable(command: string | readonly string[]): command is string {
  return typeof command === 'string' && command.trim().includes('\n') && !ownTrace.test(command)
}

/**
 * The script with xtrace switched on in front of its first line (on that same line, so that the
 * shell's own messages, `sh: 3: foo: not found`, keep the script's line numbers). Its stderr
 * goes into stdout: with the trace on stderr, the two pipes' reads interleave so that the
 * script's last words on stderr landed among (often before) its earlier stdout lines (measured:
 * out of the failure tail in 18 of 20 runs); one pipe keeps the order written. PS4 is a plain
 * shell variable, not exported: a child shell's own `set -x` keeps its usual `+ `.
 */
export function tracedScript(script: string): string {
  return `exec 2>&1; PS4='${marker}'; set -x; ${script}`
}

export class ScriptTrace {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  private readonly traces: string[] = []
  /** Lines inside a quoted string that spans lines: dash traces them unquoted, one per line. */
  private readonly quotedLines: Set<string>
  private afterTrace = false

  constructor(private readonly script: string) {
    this.quotedLines = quotedContinuationLines(script)
  }

  /** The output with the trace lines taken out; a partial last line waits for its end. */
  filter(chunk: Buffer): string {
    const lines = (this.pending + this.decoder.write(chunk)).split('\n')
    this.pending = lines.pop() ?? ''
    return lines
      .map((line) => this.keep(line))
      .filter((line) => line !== undefined)
      .map((line) => `${line}\n`)
      .join('')
  }

  end(): string {
    const rest = this.pending + this.decoder.end()
    this.pending = ''
    return rest ? (this.keep(rest) ?? '') : ''
  }

  /** The failing command's source line (1-based) and text, when the trace names one. */
  failedLine(): { line: number; text: string } | undefined {
    const lines = this.script.split('\n')
    let cursor = 0
    let found: number | undefined
    for (const traced of this.traces) {
      found = sourceLine(lines, traced, cursor)
      if (found !== undefined) cursor = found
    }
    const last = this.traces.at(-1)
    // `set +x` in the script ends the trace: what ran after it is unknown.
    if (last === undefined || found === undefined || /^set \+x\b/.test(last)) return undefined
    return { line: found + 1, text: lines[found]!.trim() }
  }

  private keep(line: string): string | undefined {
    if (line.startsWith(marker)) {
      this.traces.push(line.slice(marker.length))
      if (this.traces.length > keptTraces) this.traces.shift()
      this.afterTrace = true
      return undefined
    }
    if (this.afterTrace && this.quotedLines.has(line.trim())) return undefined
    this.afterTrace = false
    return line
  }
}

/** The index of the line the traced command came from, preferring the first at or after `from`. */
function sourceLine(lines: string[], traced: string, from: number): number | undefined {
  const words = traced.trim().split(/\s+/)
  const first = words[0] ?? ''
  // An assignment is traced as `x=value`: its name is what the source line surely holds.
  const key = first.includes('=') ? first.slice(0, first.indexOf('=') + 1) : first
  let best: number | undefined
  let bestScore = 0
  for (let step = 0; step < lines.length; step++) {
    const index = (from + step) % lines.length
    const line = lines[index]!
    if (!key || !line.includes(key) || /^\s*#/.test(line)) continue
    const score = line.includes(traced.trim())
      ? 2
      : words.filter((word) => line.includes(word)).length / words.length
    if (score > bestScore) {
      best = index
      bestScore = score
    }
  }
  return best
}

/**
 * Lines 2… of every quoted string that spans lines, as the trace shows them (trimmed): the
 * string's last line only up to its closing quote.
 */
function quotedContinuationLines(script: string): Set<string> {
  const found = new Set<string>()
  let quote: string | undefined
  for (const line of script.split('\n')) {
    const continued = quote !== undefined
    let end = line.length
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!
      if (quote === undefined && c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break
      if (c === '\\' && quote !== "'") i++
      else if (quote === undefined && (c === '"' || c === "'")) quote = c
      else if (c === quote) {
        quote = undefined
        if (continued && end === line.length) end = i
      }
    }
    if (continued) found.add(line.slice(0, end).trim())
  }
  return found
}
