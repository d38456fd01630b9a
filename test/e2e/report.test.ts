// doctor --report: JUnit XML validated against the Jenkins JUnit schema with xmllint, Markdown
// for PR comments, and the HTML page rendered in headless Chromium. Real CLI, real processes.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, repoRoot, runCli, startCli, tempRepo, waitFor } from '../helpers.js'

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0
const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(
  (bin) => spawnSync(bin, ['--version']).status === 0,
)
if (!hasXmllint) console.warn('SKIPPED: xmllint is not installed (apt-get install libxml2-utils)')
if (!chromium) console.warn('SKIPPED: chromium is not installed (apt-get install chromium)')

// One met step, one unmet (with a name that tries to inject markup and break a table), one skipped.
const recipe = `version: 1
steps:
  - name: Config
    run: touch config.txt
    creates: config.txt
  - name: "Hooks <script>alert(1)</script> | & \\"quoted\\""
    id: hooks
    run: touch hooks.txt
    check: "test -f hooks.txt || (echo 'no hooks | see <docs>' && false)"
  - name: Lint
    run: echo lint
    if: { env: DEVSETUP_TEST_NEVER_SET }
`

function repo(): string {
  return tempRepo({ 'devsetup.yml': recipe, 'config.txt': '' })
}

describe('doctor --report junit', () => {
  it.skipIf(!hasXmllint)(
    'prints JUnit XML on stdout that the JUnit schema accepts; same exit code as doctor',
    async () => {
      const dir = repo()
      const plain = await runCli(['doctor'], { cwd: dir })
      const result = await runCli(['doctor', '--report', 'junit'], { cwd: dir })
      expect(plain.code).toBe(1)
      expect(result.code).toBe(plain.code)
      expect(result.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true)
      const file = path.join(dir, 'out.xml')
      writeFileSync(file, result.stdout)
      const xsd = path.join(repoRoot, 'test', 'fixtures', 'junit', 'junit-10.xsd')
      const lint = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' })
      expect(lint.stderr).toContain('validates')
      expect(lint.status).toBe(0)
      // One testcase per step: passed, failed with reason and fix, skipped.
      expect(result.stdout).toContain('tests="3" failures="1" errors="0" skipped="1"')
      expect(result.stdout).toMatch(
        /<testcase name="Config" classname="devsetup.config" time="\d+\.\d{3}"\/>/,
      )
      expect(result.stdout).toContain(
        'name="Hooks &lt;script&gt;alert(1)&lt;/script&gt; | &amp; &quot;quoted&quot;" classname="devsetup.hooks"',
      )
      expect(result.stdout).toMatch(/<failure type="unmet" message="[^"]*no hooks \| see &lt;docs&gt;[^"]*">/)
      expect(result.stdout).toContain('fix: touch hooks.txt</failure>')
      expect(result.stdout).toMatch(
        /<testcase name="Lint"[^>]*>\n\s*<skipped message="[^"]*DEVSETUP_TEST_NEVER_SET[^"]*"\/>/,
      )
    },
  )

  it.skipIf(!hasXmllint)('a schema-invalid document is caught (the validation can fail)', () => {
    const dir = repo()
    const file = path.join(dir, 'bad.xml')
    writeFileSync(file, '<testsuites skipped="1"><testsuite name="x"/></testsuites>')
    const xsd = path.join(repoRoot, 'test', 'fixtures', 'junit', 'junit-10.xsd')
    expect(spawnSync('xmllint', ['--noout', '--schema', xsd, file]).status).not.toBe(0)
  })
})

describe('doctor --report FILE', () => {
  it('picks the format from the extension, keeps the checklist on the terminal and the exit code', async () => {
    const dir = repo()
    const result = await runCli(
      ['doctor', '--report', 'out/r.xml', '--report', 'r.md', '--report', 'r.HTML'],
      { cwd: dir },
    ).catch((e) => e)
    expect(result.code).toBe(2) // the folder out/ does not exist: refused before anything runs
    expect(result.stderr).toContain('out')
    const ok = await runCli(['doctor', '--report', 'r.xml', '--report', 'r.md', '--report', 'r.HTML'], {
      cwd: dir,
    })
    expect(ok.code).toBe(1)
    expect(ok.stdout).toContain('✗ Hooks')
    expect(ok.stdout).toContain('JUnit XML report: r.xml')
    expect(readFileSync(path.join(dir, 'r.xml'), 'utf8')).toContain('<testsuites')
    expect(readFileSync(path.join(dir, 'r.md'), 'utf8')).toContain('| :-: | --- | --- | --- |')
    expect(readFileSync(path.join(dir, 'r.HTML'), 'utf8')).toMatch(/^<!doctype html>/)
  })

  it('refuses an unknown format, two reports on stdout, and a stdout report with --json (exit 2, nothing run)', async () => {
    const dir = repo()
    const cases: [string[], string][] = [
      [['--report', 'report.txt'], 'cannot tell the report format'],
      [['--report', 'junit', '--report', 'html'], 'only one report can go to stdout'],
      [['--report', 'markdown', '--json'], 'both print on stdout'],
    ]
    for (const [args, message] of cases) {
      const result = await runCli(['doctor', ...args], { cwd: dir })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(message)
      expect(result.stdout).toBe('')
    }
    expect(existsSync(path.join(dir, 'report.txt'))).toBe(false)
  })

  it('--json with a report file: the events stay the only thing on stdout', async () => {
    const dir = repo()
    const result = await runCli(['doctor', '--json', '--report', 'r.xml'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(events(result.stdout).at(-1)).toMatchObject({ event: 'summary', status: 'unmet' })
    expect(existsSync(path.join(dir, 'r.xml'))).toBe(true)
  })
})

describe('doctor --report markdown', () => {
  it('one table row per step, a `|` or a newline in a reason cannot break it', async () => {
    const dir = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: "A | B"
    run: "true"
    check: "printf 'line one | x\\nline two\\n'\\ntest 'a | b' = c"
  - name: Ok
    run: "true"
    check: "true"
`,
    })
    const result = await runCli(['doctor', '--report', 'markdown'], { cwd: dir })
    expect(result.code).toBe(1)
    const rows = result.stdout.split('\n').filter((line) => line.startsWith('| '))
    expect(rows).toHaveLength(4) // header, alignment, two steps
    // Every row has exactly 4 cells: 5 unescaped pipes.
    for (const row of rows) expect(row.match(/(?<!\\)\|/g), row).toHaveLength(5)
    // Unmet first, whatever the recipe's order; the fix a `run` step knows is its own command.
    // A multi-line check is named by its failing line (line 4), its `|` escaped too.
    expect(rows[2]).toMatch(
      /^\| 🔴 unmet \| A \\\| B <sub>a-b<\/sub> \| .*test 'a \\\| b' = c.*\(line 4\).* \| `true` \|$/,
    )
    expect(rows[3]).toMatch(/^\| 🟢 met \| Ok/)
    expect(result.stdout).toMatch(
      /^### 🔴 devsetup doctor — devsetup-test-\w+ @ \S+ — not ready: 1 of 2 checked steps unmet/,
    )
  })

  it("names the checkout, puts unmet steps first with each step type's own fix, and lists the recipe changes", async () => {
    const dir = tempRepo({
      '.env.example': 'DATABASE_URL=postgres://localhost/app\nPORT=3000\n',
      '.env': 'PORT=3000\n',
      'devsetup.yml': 'version: 1\nsteps:\n  - name: Ok\n    run: "true"\n    check: "true"\n',
    })
    expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
    writeFileSync(
      path.join(dir, 'devsetup.yml'),
      'version: 1\nsteps:\n  - name: Ok\n    run: "true"\n    check: "true"\n  - dotenv: { from: .env.example }\n',
    )
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir })
    git('checkout', '-qb', 'feature/x')
    git('add', '-A')
    git('commit', '-qm', 'x')
    const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
    }).stdout.trim()
    const md = (await runCli(['doctor', '--report', 'markdown'], { cwd: dir })).stdout
    expect(md.split('\n')[0]).toBe(
      `### 🔴 devsetup doctor — ${path.basename(dir)} @ feature/x · ${commit} — not ready: 1 of 2 checked steps unmet`,
    )
    const rows = md.split('\n').filter((line) => line.startsWith('| '))
    expect(rows[2]).toBe(
      '| 🔴 unmet | Env file .env from .env.example <sub>dotenv</sub> | .env lacks DATABASE\\_URL | `add DATABASE_URL to .env (.env.example shows it)` |',
    )
    expect(rows[3]).toMatch(/^\| 🟢 met \| Ok /)
    expect(md).toContain('**Recipe changes since your last successful run (just now):**')
    expect(md).toContain('- **added** Env file .env from .env.example (dotenv) — new step')
  })
})

/** Headless Chromium with a profile of its own that fetches nothing on its own. */
function chromiumFlags(): string[] {
  const profile = mkdtempSync(path.join(tmpdir(), 'devsetup-chromium-'))
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${profile}`,
  ]
}

function renderInChromium(file: string): { dom: string; screenshot: string } {
  const flags = chromiumFlags()
  const dump = spawnSync(chromium!, [...flags, '--dump-dom', `file://${file}`], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  const screenshot = path.join(path.dirname(file), 'report.png')
  spawnSync(
    chromium!,
    [...flags, `--screenshot=${screenshot}`, '--window-size=1200,1600', `file://${file}`],
    {
      timeout: 60_000,
    },
  )
  return { dom: dump.stdout, screenshot }
}

describe('doctor --report html', () => {
  it.skipIf(!chromium)(
    'renders in Chromium: verdict, checklist with fixes, recipe changes, the runs chart; nothing injected',
    async () => {
      const dir = tempRepo({
        'devsetup.yml': recipe.replace(/ {2}- name: "Hooks[\s\S]*?false\)"\n/, ''),
        'config.txt': '',
      })
      for (let run = 0; run < 2; run++) expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
      writeFileSync(path.join(dir, 'devsetup.yml'), recipe) // the hooks step is new since the last run
      const result = await runCli(['doctor', '--report', 'report.html'], { cwd: dir })
      expect(result.code).toBe(1)
      const html = readFileSync(path.join(dir, 'report.html'), 'utf8')
      // Self-contained: no URL at all, so nothing can be fetched.
      expect(html).not.toMatch(/https?:|src=|<link/)
      const { dom, screenshot } = renderInChromium(path.join(dir, 'report.html'))
      expect(dom).toContain('<h1>Not ready</h1>')
      // The checkout (a repository with no commit yet: its name and branch) in the title and the header.
      const branch = spawnSync('git', ['symbolic-ref', '--short', 'HEAD'], {
        cwd: dir,
        encoding: 'utf8',
      }).stdout.trim()
      expect(dom).toContain(`<title>Not ready — ${path.basename(dir)} @ ${branch} — devsetup doctor</title>`)
      expect(dom).toContain(
        `<p class="repo"><strong>${path.basename(dir)}</strong> <span class="branch mono">${branch}</span></p>`,
      )
      // Unmet first, then the others in the recipe's order.
      const rows = [...dom.matchAll(/<tr class="step (\w+)" data-step="([^"]+)"/g)].map((m) => [m[2], m[1]])
      expect(rows).toEqual([
        ['hooks', 'fail'],
        ['config', 'pass'],
        ['lint', 'skip'],
      ])
      // The hostile step name is text in the rendered page, not an element.
      expect(dom).not.toMatch(/<script/i)
      expect(dom).toContain('Hooks &lt;script&gt;alert(1)&lt;/script&gt; | &amp; "quoted"')
      expect(dom).toMatch(/<span class="label">Fix<\/span><code>touch hooks.txt<\/code>/)
      expect(dom).toMatch(/<span class="badge added">added<\/span><span><strong>Hooks &lt;script&gt;/)
      // Two recorded runs, each a row of the chart with a segment for Config; Config's sparkline has 2 bars.
      expect(dom.match(/<div class="run" data-status="(ok|changed)">/g)).toHaveLength(2)
      expect(dom.match(/<rect class="segment" data-step="config"/g)).toHaveLength(2)
      const configRow = dom.slice(dom.indexOf('data-step="config"'), dom.indexOf('data-step="lint"'))
      expect(configRow.match(/<rect class="spark/g)).toHaveLength(2)
      expect(configRow).toMatch(/median \d+ms · 2 runs/)
      // The sparkline's scale: from 0 to a round top at or above its slowest bar.
      const top = configRow.match(
        /<text class="spark-scale"[^>]*>([^<]+)<\/text><text class="spark-scale"[^>]*>0<\/text>/,
      )
      expect(top?.[1]).toMatch(/^\d+(ms|\.\d+s|s)$/)
      expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG')
    },
  )
})

/**
 * The page laid out by Chromium `width` px wide. Headless Chromium's window is never narrower
 * than 500 px, so the page is shown in an iframe of that width; a page around it (allowed to
 * read the frame's document) writes what layout measured into its own DOM, which --dump-dom prints.
 */
function layoutAt(
  file: string,
  width: number,
): { pageWidth: number; fixes: { width: number; lines: number }[]; chart: ChartLayout } {
  const frame = path.join(path.dirname(file), 'frame.html')
  writeFileSync(
    frame,
    `<!doctype html><body style="margin:0"><iframe id="f" src="${path.basename(file)}" style="width:${width}px;height:900px;border:0"></iframe>
<script>
addEventListener('load', () => {
  const page = document.getElementById('f').contentDocument
  const fixes = [...page.querySelectorAll('.fix code')].map((code) => {
    const box = code.getBoundingClientRect()
    const line = parseFloat(page.defaultView.getComputedStyle(code).lineHeight)
    return { width: box.width, lines: Math.round((box.height - 10) / line) }
  })
  // The runs chart's text, old (SVG text) and new (HTML cells) alike: where it lies against the
  // section's visible box, and whether an ellipsis cut it.
  const section = page.getElementById('runs')?.getBoundingClientRect()
  const texts = [...page.querySelectorAll('#runs svg text, #runs .run-label, #runs .run-total, #runs .ticks span')].map((el) => {
    const box = el.getBoundingClientRect()
    return { text: el.textContent, left: box.left, right: box.right, cut: el.scrollWidth > el.clientWidth + 0.5 && el.clientWidth > 0 }
  })
  const chart = { left: section?.left ?? 0, right: section?.right ?? 0, texts }
  document.body.dataset.layout = JSON.stringify({ pageWidth: page.documentElement.scrollWidth, fixes, chart })
})
</script></body>`,
  )
  const dump = spawnSync(
    chromium!,
    [
      ...chromiumFlags(),
      '--allow-file-access-from-files',
      '--window-size=800,900',
      '--dump-dom',
      `file://${frame}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  )
  const json = dump.stdout.match(/data-layout="([^"]*)"/)?.[1]
  if (!json) throw new Error(`no layout measured: ${dump.stderr}`)
  return JSON.parse(json.replaceAll('&quot;', '"'))
}

interface ChartLayout {
  left: number
  right: number
  texts: { text: string; left: number; right: number; cut: boolean }[]
}

describe('doctor --report html at 420 px', () => {
  it.skipIf(!chromium)(
    'reflows: nothing wider than the window, each fix wraps as text at nearly full width',
    async () => {
      const dir = tempRepo({
        '.env.example': 'DATABASE_URL=x\nREDIS_URL=x\nSESSION_SECRET=x\nMAIL_FROM=x\nSTRIPE_KEY=x\n',
        '.env': '',
        'devsetup.yml': `version: 1
steps:
  - dotenv: { from: .env.example }
  - name: Assets
    run: node scripts/build-assets.js --minify --out public/assets/application.css
    creates: public/assets/application.css
`,
      })
      expect((await runCli(['doctor', '--report', 'r.html'], { cwd: dir })).code).toBe(1)
      const layout = layoutAt(path.join(dir, 'r.html'), 420)
      expect(layout.pageWidth).toBeLessThanOrEqual(420)
      expect(layout.fixes).toHaveLength(2)
      for (const fix of layout.fixes) {
        // One character per line (the bug) is a box a few px wide and dozens of lines tall.
        expect(fix.width).toBeGreaterThan(300)
        expect(fix.lines).toBeLessThanOrEqual(3)
      }
    },
  )

  it.skipIf(!chromium)(
    "the runs chart fits: every run's label, total and tick whole inside the section, none cut",
    async () => {
      const dir = tempRepo({
        'devsetup.yml': `version: 1
steps:
  - name: A step whose title is long enough to wrap in the legend of a narrow page
    run: sleep 0.2 && touch a.txt
    creates: a.txt
  - name: Short
    run: touch b.txt
    creates: b.txt
`,
      })
      // Runs in the same minute: the labels carry seconds, their longest form.
      for (let run = 0; run < 3; run++) {
        rmSync(path.join(dir, 'a.txt'), { force: true })
        expect((await runCli(['up'], { cwd: dir })).code).toBe(0)
      }
      expect((await runCli(['doctor', '--report', 'r.html'], { cwd: dir })).code).toBe(0)
      const { pageWidth, chart } = layoutAt(path.join(dir, 'r.html'), 420)
      expect(pageWidth).toBeLessThanOrEqual(420)
      // 3 run labels, 3 totals, and the axis's ticks.
      expect(chart.texts.length).toBeGreaterThanOrEqual(8)
      for (const text of chart.texts) {
        expect(text.left, text.text).toBeGreaterThanOrEqual(chart.left)
        expect(text.right, text.text).toBeLessThanOrEqual(chart.right)
        expect(text.cut, text.text).toBe(false)
      }
    },
  )
})

describe('devsetup stats', () => {
  it('per step: the durations of the recent up runs and their median, also as JSON', async () => {
    const dir = repo()
    const before = await runCli(['stats'], { cwd: dir })
    expect(before.code).toBe(0)
    expect(before.stdout).toContain('No `devsetup up` run is recorded here yet')
    for (let run = 0; run < 3; run++) await runCli(['up'], { cwd: dir })
    const json = JSON.parse((await runCli(['stats', '--json'], { cwd: dir })).stdout)
    expect(json.runs).toHaveLength(3)
    const config = json.steps.find((s: { step: string }) => s.step === 'config')
    expect(config.durations).toHaveLength(3)
    expect(config.medianMs).toBe([...config.durations].sort((a: number, b: number) => a - b)[1])
    // A step skipped by its condition has no durations (not zeros that pull the median down).
    expect(json.steps.find((s: { step: string }) => s.step === 'lint').durations).toEqual([])
    const last2 = JSON.parse((await runCli(['stats', '--json', '--last', '2'], { cwd: dir })).stdout)
    expect(last2.runs).toHaveLength(2)
    const table = await runCli(['stats'], { cwd: dir })
    expect(table.stdout.split('\n')[0]).toBe('The last 3 `devsetup up` runs, oldest first:')
    expect(table.stdout).toMatch(/^config\s+\d+ms( {2}\d+ms\s*){3}$/m)
    expect(table.stdout).toMatch(/^whole run\s+\S+/m)
    expect((await runCli(['stats', '--last', '0'], { cwd: dir })).code).toBe(2)
    const help = await runCli(['stats', '--help'], { cwd: dir })
    expect(help.stdout).toContain('$ devsetup stats --last 5 --json')
    expect((await runCli(['doctor', '--help'], { cwd: dir })).stdout).toContain('--report <format|file>')
  })

  it('each duration stands under the run it belongs to; failed and interrupted runs are shown', async () => {
    const dir = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: Config
    run: touch config.txt
    creates: config.txt
  - name: Later
    if: { env: STATS_LATER }
    run: touch later.txt
    creates: later.txt
  - name: Boom
    if: { env: STATS_FAIL }
    run: exit 3
  - name: Hang
    if: { env: STATS_HANG }
    run: touch hang.started; sleep 30
    creates: never
`,
    })
    await runCli([], { cwd: dir }) // changed: config
    await runCli([], { cwd: dir, env: { STATS_LATER: '1' } }) // changed: later, only in this run
    expect((await runCli([], { cwd: dir, env: { STATS_FAIL: '1' } })).code).toBe(1)
    const hanging = startCli([], { cwd: dir, env: { STATS_HANG: '1' } })
    await waitFor(() => existsSync(path.join(dir, 'hang.started')), 15_000, 'the hanging step')
    hanging.child.kill('SIGINT')
    expect((await hanging.done).code).toBe(130)

    const lines = (await runCli(['stats'], { cwd: dir })).stdout.split('\n')
    const header = lines.find((l) => l.startsWith('STEP'))!
    expect(header).toMatch(/MEDIAN {2}changed\s+changed\s+failed\s+interrupted$/)
    // Where each run's column starts, from its status word.
    const columns = [...header.matchAll(/(changed|failed|interrupted)/g)].map((m) => m.index!)
    const cell = (step: string, run: number) =>
      lines
        .find((l) => l.startsWith(`${step} `))!
        .slice(columns[run])
        .split(/\s+/)[0]
    expect(cell('later', 0)).toBe('—')
    expect(cell('later', 1)).toMatch(/^\d+ms$/)
    expect(cell('later', 2)).toBe('—')
    expect(cell('boom', 2)).toMatch(/^\d+ms$/)
    // A step cut short by Ctrl-C has no duration worth a median; the run itself is shown.
    expect(cell('hang', 3)).toBe('—')
    expect(cell('whole run', 3)).toMatch(/^\d/)

    const last = (await runCli(['stats', '--last', '1'], { cwd: dir })).stdout
    expect(last.split('\n')[0]).toBe('The last `devsetup up` run:')
    expect(last).toMatch(/^STEP\s+MEDIAN {2}interrupted$/m)
    const json = JSON.parse((await runCli(['stats', '--json'], { cwd: dir })).stdout)
    expect(json.runs.map((r: { status: string }) => r.status)).toEqual([
      'changed',
      'changed',
      'failed',
      'interrupted',
    ])
    expect(Object.keys(json.runs[1].steps)).toContain('later')
  })
})
