// Times a crashed dev server's report as a person sees it (issue 20: crash → failure reported,
// ≤ 2 s). devsetup reports the failure first and stops the crashed process group after, and
// `up` ends only once the group is gone, so the time to `up`'s exit overstates the report by the
// group's stop. Here `up --json` is streamed and each event stamped as it arrives (the failed
// step's `step:end` is the report); the server's logs are polled from their size at the start,
// and the crash is when the first crash line arrived in them. A log's last write dates nothing:
// a supervisor re-forking the app (outline's throng) or a group printing on SIGTERM writes on.
import { spawn } from 'node:child_process'
import { closeSync, openSync, readSync, statSync } from 'node:fs'

// What a Node process prints when it dies or a watcher says it did (AdonisJS's assembler prints
// `[ error ]`, pino `FATAL`); `--crash-line` replaces it.
export const crashLine =
  /ERR_[A-Z_]+|\b\w*Error\b|Node\.js v\d|Unhandled|[Uu]ncaught|Failed running|app crashed|exited with code [1-9]|\[ error \]|\bFATAL\b/

const sizeOf = (file) => {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}
function readFrom(file, offset, length) {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const n = readSync(fd, buffer, 0, length, offset)
    return buffer.subarray(0, n).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/** Polls `files` for new lines; stop() gives the first crash line: { at, file, line }. */
export function watchLogs(files, pattern = crashLine, everyMs = 20) {
  const watched = [...new Set(files.filter(Boolean))].map((file) => ({
    file,
    offset: sizeOf(file),
    rest: '',
  }))
  let found
  const poll = () => {
    for (const w of watched) {
      if (found) return
      const size = sizeOf(w.file)
      if (size < w.offset) w.offset = 0 // rotated or truncated: a new file from its start
      if (size === w.offset) continue
      let text
      try {
        text = w.rest + readFrom(w.file, w.offset, size - w.offset)
      } catch {
        continue
      }
      w.offset = size
      const lines = text.split('\n')
      w.rest = lines.at(-1)
      // The unfinished last line too: Node's stack is written in pieces.
      const hit = lines.find((l) => pattern.test(l))
      if (hit) found = { at: Date.now(), file: w.file, line: hit.trim().slice(0, 200) }
    }
  }
  const timer = setInterval(poll, everyMs)
  return {
    stop() {
      poll()
      clearInterval(timer)
      return found
    },
  }
}

/** `devsetup up --json`, streamed: its result, and when the first failed step's end arrived. */
export function streamedUp(command, args, options, timeoutMs) {
  const started = Date.now()
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let pending = ''
  let reportedAt
  let report
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    const now = Date.now()
    stdout += chunk
    const lines = (pending + chunk).split('\n')
    pending = lines.pop()
    for (const line of lines) {
      if (reportedAt !== undefined || !line.includes('"step:end"')) continue
      try {
        const event = JSON.parse(line)
        if (event.status === 'failed') {
          reportedAt = now
          report = `[${event.step}] ${event.reason}`.slice(0, 400)
        }
      } catch {}
    }
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      const ended = Date.now()
      resolve({ code, stdout, stderr, ms: ended - started, ended, reportedAt, report })
    })
  })
}
