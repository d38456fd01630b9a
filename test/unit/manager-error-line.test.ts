// The line of a failed install that says why: Berry's YN0007 ("must be built because it never
// has been before or the last one failed") is news; the YN0009 after it is the failure
// (Maintainerr: canvas and better-sqlite3 that could not be built).
import { describe, expect, it } from 'vitest'
import { manager } from '../../src/steps/dependencies/managers.js'

const berryOutput = [
  '➤ YN0000: ┌ Link step',
  '➤ YN0007: │ @swc/core@npm:1.16.0 [969ee] must be built because it never has been before or the last one failed',
  "➤ YN0009: │ canvas@npm:3.2.3 couldn't be built successfully (exit code 1, logs can be found here: /tmp/xfs-4cebf744/build.log)",
  '➤ YN0000: └ Completed in 12s',
]

describe("yarn's error line", () => {
  it('is the YN0009 a build failed with, not the YN0007 before it', () => {
    const { errorLine } = manager('yarn')
    expect(berryOutput.find((l) => errorLine.test(l))).toContain('YN0009: │ canvas@npm:3.2.3')
  })
})
