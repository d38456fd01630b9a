// Text from a recipe (a step's name, a condition's value) is shown on a terminal: a control
// character in it would act instead of showing (`\e]0;…\a` sets the terminal's title, `\e[2J`
// clears the screen, U+202E reverses what follows). Such characters are shown escaped, the same
// with or without color, so what the recipe says stays visible and inert.

// C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text.
const controls = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g

// The same, less line breaks and tabs: for a reason or a command, whose lines are laid out.
const controlsBesideLines =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001B': '\\e' }

/** `"\u001b]0;x\u0007"` → `\e]0;x\x07`: every control character written out, nothing else changed. */
export function escapeControls(text: string, keepLines = false): string {
  return text.replace(keepLines ? controlsBesideLines : controls, escaped)
}

function escaped(c: string): string {
  const code = c.charCodeAt(0)
  return named[c] ?? (code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`)
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0')
}
