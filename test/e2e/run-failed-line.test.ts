// A failed multi-line `run: |` is named by the line that failed, everywhere a failure is shown:
// the live tree's line, the failure report, `--json`, the run's log and doctor's reports. The
// built CLI runs real scripts under the machine's `sh` (dash on Debian).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { events, runCli, tempRepo } from '../helpers.js'

const recipe = (step: string) => `version: 1\nsteps:\n${step}`

const endOf = (stdout: string) =>
  events(stdout).find((e) => e.event === 'step:end') as { status: string; reason: string; title: string }

/** Nothing of the trace shows: neither devsetup's marker nor sh's usual `+ ` lines. */
function expectNoTrace(text: string) {
  expect(text).not.toMatch(/__devsetup_trace_/)
  expect(text).not.toMatch(/^\+ /m)
}

describe('a failed multi-line run step', () => {
  const fourLines = `  - run: |
      echo preparing
      echo "a warning on stderr" >&2
      cp missing.txt config.txt || exit 7
      echo done
`

  it('names the failing line (line 3 of 4) in the tree, the failure report, the events and the log', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe(fourLines) })
    const plain = await runCli(['up'], { cwd: repo })
    expect(plain.code).toBe(1)
    const all = plain.stdout + plain.stderr
    expect(all).toContain(
      'failed: `cp missing.txt config.txt || exit 7` (line 3 of the script) exited with code 7',
    )
    expect(all).not.toContain('`echo preparing …`')
    // The script's own output, stdout and stderr alike, is still all there.
    expect(all).toContain('a warning on stderr')
    expect(all).toMatch(/cp: cannot stat 'missing.txt'/)
    expectNoTrace(all)

    const json = await runCli(['up', '--json'], { cwd: repo })
    expect(endOf(json.stdout)).toMatchObject({
      status: 'failed',
      reason: '`cp missing.txt config.txt || exit 7` (line 3 of the script) exited with code 7',
    })
    expectNoTrace(json.stdout + json.stderr)
    const summary = events(json.stdout).find((e) => e.event === 'summary') as { log: string }
    const log = readFileSync(summary.log, 'utf8')
    expect(log).toContain('a warning on stderr')
    expectNoTrace(log)
  })

  it('names a failing command inside if … fi under set -e, not the if', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe(`  - name: Copy the config
    run: |
      set -e
      if test -d .; then
        echo copying
        cp missing.txt config.txt
      fi
      echo never
`),
    })
    const result = await runCli(['up', '--json'], { cwd: repo })
    expect(result.code).toBe(1)
    expect(endOf(result.stdout)).toMatchObject({
      title: 'Copy the config',
      reason: '`cp missing.txt config.txt` (line 4 of the script) exited with code 1',
    })
  })

  it('names the line as written, not as expanded, and hides a multi-line quoted argument', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe(`  - run: |
      set -e
      FILE=missing.txt
      node -e "
        process.exit(0)
      "
      cat "$FILE" > /dev/null
      echo never
`),
    })
    const result = await runCli(['up', '--json'], { cwd: repo })
    expect(endOf(result.stdout).reason).toBe(
      '`cat "$FILE" > /dev/null` (line 6 of the script) exited with code 1',
    )
    // dash traces \`node -e "…"\` with its argument's lines bare: they are trace, not output.
    const failure = (endOf(result.stdout) as unknown as { failure: { tail: string[] } }).failure
    expect(failure.tail).toEqual(['cat: missing.txt: No such file or directory'])
  })

  it('follows a loop back to the line that failed in it', async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe(`  - run: |
      set -e
      for f in a b; do
        echo "step $f"
        test "$f" = a
      done
`),
    })
    const result = await runCli(['up', '--json'], { cwd: repo })
    expect(endOf(result.stdout).reason).toBe('`test "$f" = a` (line 4 of the script) exited with code 1')
  })

  it('leaves a single-line command and a script with its own set -x as they were', async () => {
    const single = tempRepo({ 'devsetup.yml': recipe('  - run: echo one && exit 3\n') })
    const one = await runCli(['up', '--json'], { cwd: single })
    expect(endOf(one.stdout).reason).toBe('`echo one && exit 3` exited with code 3')

    const own = tempRepo({
      'devsetup.yml': recipe('  - run: |\n      set -x\n      echo one\n      exit 3\n'),
    })
    const traced = await runCli(['up', '--json'], { cwd: own })
    expect(endOf(traced.stdout).reason).toBe('`set -x …` exited with code 3')
    // The script's own trace is its output: shown as sh writes it.
    expect(traced.stdout).toContain('+ echo one')
  })

  it("names a multi-line check's failing line in doctor's JUnit, Markdown and HTML reports", async () => {
    const repo = tempRepo({
      'devsetup.yml': recipe(`  - name: Built
    run: echo build
    check: |
      echo checking
      test -f build/out.js
      echo fine
      true
`),
    })
    // Without set -e the script goes on: its last command decides, here `true`, so it passes.
    const passing = await runCli(['doctor', '--json'], { cwd: repo })
    expect(passing.code, passing.stdout).toBe(0)

    const failing = tempRepo({
      'devsetup.yml': recipe(`  - name: Built
    run: echo build
    check: |
      set -e
      test -f build/out.js
      echo fine
`),
    })
    const expected = 'check `test -f build/out.js` (line 2) exited 1'
    for (const format of ['junit', 'markdown', 'html']) {
      const report = await runCli(['doctor', '--report', format], { cwd: failing })
      expect(report.code, format).toBe(1)
      const text = format === 'markdown' ? report.stdout.replaceAll('\\`', '`') : report.stdout
      expect(text.replaceAll('&#96;', '`'), format).toContain(expected)
      expectNoTrace(report.stdout)
    }
  })
})
