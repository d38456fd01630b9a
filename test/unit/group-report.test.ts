// What the process group's crash signals read in the log's last lines (src/steps/restart/group-report.ts).

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { failedOnExit } from '../../src/steps/restart/group-report.js'
import { logTail } from '../../src/steps/restart/server.js'

// esbuild's service dies when Medusa exits (its pipe closes) and prints a Go trace of hundreds of
// lines after Medusa's own error (lane C, stop 30: 115 s to a report instead of 1.5 s).
const goDump = [
  'fatal error: all goroutines are asleep - deadlock!',
  '',
  'goroutine 1 [chan receive]:',
  'github.com/evanw/esbuild/internal/helpers.(*ThreadSafeWaitGroup).Wait(...)',
  '\t/home/runner/work/esbuild/internal/helpers/waitgroup.go:36',
  'main.runService.func2()',
  '\t/home/runner/work/esbuild/cmd/esbuild/service.go:114 +0x59',
  'main.runService(0x1)',
  '\t/home/runner/work/esbuild/cmd/esbuild/service.go:160 +0x4ed',
  'created by main.runService in goroutine 1',
  '\t/home/runner/work/esbuild/cmd/esbuild/service.go:97 +0x1e5',
  'rax    0xca',
  'rip    0x46e8c3',
]

describe('failedOnExit: the app said why as it exited', () => {
  it("finds the app's error above a Go program's crash dump", () => {
    const fresh = [
      'info:    Watching filesystem to reload dev server on file change',
      'error:   Error starting server',
      'RangeError [ERR_SOCKET_BAD_PORT]: options.port should be >= 0 and < 65536. Received type number (99999).',
      ...Array.from({ length: 40 }, () => goDump).flat(),
    ]
    expect(failedOnExit(fresh, fresh)).toBe(
      'RangeError [ERR_SOCKET_BAD_PORT]: options.port should be >= 0 and < 65536. Received type number (99999).',
    )
  })

  it('still finds nothing in a dump alone', () => {
    expect(failedOnExit(goDump.slice(2), goDump.slice(2))).toBeUndefined()
  })
})

describe("logTail: a failure report's last lines", () => {
  it("shows the app's error, not the Go crash dump printed after it", () => {
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'devsetup-logtail-')), 'server.log')
    const error = 'RangeError [ERR_SOCKET_BAD_PORT]: options.port should be >= 0 and < 65536.'
    writeFileSync(
      log,
      ['error:   Error starting server', error, ...Array.from({ length: 40 }, () => goDump).flat()].join(
        '\n',
      ),
    )
    const tail = logTail(log, 15)
    expect(tail).toContain(error)
    expect(tail.some((line) => /goroutine|\.go:\d+|^rip /.test(line))).toBe(false)
  })
})
