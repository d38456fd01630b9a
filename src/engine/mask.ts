// Passwords in URLs never reach the screen or a log: `postgres://app:secret@host/db` is shown
// as `postgres://app:***@host/db` in command output, logs, failure reports and recipe errors.

export function maskUrls(text: string): string {
  return text.includes('://')
    ? text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s/]+)@/gi, '$1***@')
    : text
}
