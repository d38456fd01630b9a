// The cleanup step through the built CLI, on real files. Most of these are escape attempts:
// each puts a "home" folder with a precious file OUTSIDE the repository, tries to reach it
// (a link inside the cleaned folder, a symlinked parent, a link named directly, `..`, an
// absolute path) and checks the precious file survives.

import { spawnSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, fakeBin, runCli, tempRepo, writeFiles } from '../helpers.js'

const recipe = (cleanup: string) => `version: 1\nsteps:\n  - cleanup: ${cleanup}\n`

/** A folder outside every repository, standing in for the developer's home. */
function fakeHome(): { home: string; precious: string } {
  const home = tempRepo({ 'precious.txt': 'do not delete', 'docs/notes.md': 'mine' }, { git: false })
  return { home, precious: path.join(home, 'precious.txt') }
}

function stepEnd(stdout: string) {
  return events(stdout).find((e) => e.event === 'step:end') as { status: string; reason: string }
}

describe('cleanup step', () => {
  it('reports count and size, deletes what matches, keeps `keep`, then is ok', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ paths: [log/*.log, tmp/cache], keep: [log/.keep] }'),
      'log/development.log': 'x'.repeat(1500),
      'log/test.log': 'y'.repeat(500),
      'log/.keep': '',
      'log/README.md': 'not a log',
      'tmp/cache/assets/app.js': 'z'.repeat(2000),
      'tmp/cache/.hidden': '1',
      'tmp/pids/server.pid': '123',
    })
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('4 files, 4.0 kB')

    const up = await runCli(['up', '--json'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(stepEnd(up.stdout)).toMatchObject({ status: 'changed', reason: 'deleted 4 files, 4.0 kB' })
    expect(readdirSync(path.join(dir, 'log')).sort()).toEqual(['.keep', 'README.md'])
    expect(readdirSync(path.join(dir, 'tmp/cache'))).toEqual([]) // a named folder is emptied, not removed
    expect(existsSync(path.join(dir, 'tmp/pids/server.pid'))).toBe(true)

    const again = await runCli(['up'], { cwd: dir })
    expect(again.stdout).toContain('ok: nothing to clean')
  })

  it('removes a link to home inside the cleaned folder as a link, never following it', async () => {
    const { home, precious } = fakeHome()
    const dir = tempRepo({ 'devsetup.yml': recipe('{ paths: [tmp/cache, log/*] }'), 'tmp/cache/a.txt': 'a' })
    symlinkSync(home, path.join(dir, 'tmp/cache/home-link'))
    symlinkSync(precious, path.join(dir, 'tmp/cache/file-link'))
    mkdirSync(path.join(dir, 'log'))
    symlinkSync(home, path.join(dir, 'log/home-link'))
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    expect(up.stdout).toContain('deleted 4 files')
    expect(readdirSync(path.join(dir, 'tmp/cache'))).toEqual([])
    expect(readdirSync(path.join(dir, 'log'))).toEqual([])
    expect(readFileSync(precious, 'utf8')).toBe('do not delete')
    expect(readFileSync(path.join(home, 'docs/notes.md'), 'utf8')).toBe('mine')
  })

  it('removes a named path that is itself a link to home, leaving home alone', async () => {
    const { home, precious } = fakeHome()
    const dir = tempRepo({ 'devsetup.yml': recipe('{ paths: [tmp/cache] }') })
    mkdirSync(path.join(dir, 'tmp'))
    symlinkSync(home, path.join(dir, 'tmp/cache'))
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    expect(existsSync(path.join(dir, 'tmp/cache'))).toBe(false)
    expect(readFileSync(precious, 'utf8')).toBe('do not delete')
    expect(readdirSync(home).sort()).toEqual(['docs', 'precious.txt'])
  })

  it('never reaches outside through a symlinked parent folder, for names and globs', async () => {
    const { home, precious } = fakeHome()
    writeFiles(home, { 'cache/big.bin': 'data', 'old.log': 'log' })
    const dir = tempRepo({ 'devsetup.yml': recipe('{ paths: [tmp/cache, tmp/*.log, "tmp/**/*.md"] }') })
    symlinkSync(home, path.join(dir, 'tmp'))
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code).toBe(0)
    expect(doctor.stdout).toContain('nothing to clean; left alone (outside the repository through a link)')
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code).toBe(0)
    expect(readFileSync(precious, 'utf8')).toBe('do not delete')
    expect(readFileSync(path.join(home, 'cache/big.bin'), 'utf8')).toBe('data')
    expect(readFileSync(path.join(home, 'old.log'), 'utf8')).toBe('log')
    expect(readFileSync(path.join(home, 'docs/notes.md'), 'utf8')).toBe('mine')
  })

  it('never touches .git or .devsetup, even when a glob reaches them', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ paths: ["{src,vendor}/**", "**/HEAD"] }'),
      'src/app.js': 'code',
      'vendor/lib/.git/HEAD': 'ref: refs/heads/main',
      'vendor/lib/index.js': 'lib',
      // An older devsetup kept its state here.
      '.devsetup/logs/old.log': 'log',
    })
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['.devsetup', '.git', 'devsetup.yml', 'src', 'vendor'])
    expect(readdirSync(path.join(dir, 'src'))).toEqual([])
    expect(readdirSync(path.join(dir, 'vendor/lib'))).toEqual(['.git'])
    expect(readFileSync(path.join(dir, 'vendor/lib/.git/HEAD'), 'utf8')).toBe('ref: refs/heads/main')
    expect(lstatSync(path.join(dir, '.git/HEAD')).isFile()).toBe(true)
    expect((await runCli(['up'], { cwd: dir })).stdout).toContain('ok: nothing to clean')
  })

  it('rejects every pattern that could leave the repository, with its position', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'devsetup-outside-'))
    const dir = tempRepo({
      'devsetup.yml': [
        'version: 1',
        'steps:',
        '  - cleanup:',
        `      paths: [${outside}, ../sibling, "tmp/../../x", "~/cache", "{..,tmp}/*", ., .git/hooks]`,
        '      keep: [/etc/passwd]',
        '      older_than: soon',
      ].join('\n'),
    })
    const result = await runCli(['validate'], { cwd: dir })
    expect(result.code).toBe(2)
    const err = result.stderr
    expect(err).toMatch(/devsetup\.yml:4:\d+: `paths\.0`: must be a path inside the repository/)
    expect(err).toMatch(/devsetup\.yml:4:\d+: `paths\.1`: must be a path inside the repository/)
    expect(err).toMatch(/devsetup\.yml:4:\d+: `paths\.2`: must be a path inside the repository/)
    expect(err).toMatch(/devsetup\.yml:4:\d+: `paths\.3`: must be a path inside the repository/)
    expect(err).toMatch(/devsetup\.yml:4:\d+: `paths\.4`: must be a path inside the repository/)
    expect(err).toMatch(/devsetup\.yml:4:\d+: `paths\.5`: would delete everything in the step's folder/)
    expect(err).toMatch(/devsetup\.yml:4:\d+: `paths\.6`: `\.git` is never cleaned/)
    expect(err).toMatch(/devsetup\.yml:5:\d+: `keep\.0`: must be a path inside the repository/)
    expect(err).toMatch(/devsetup\.yml:6:\d+: `older_than`: expected a duration/)
  })

  it('with older_than deletes only old files, and folders it emptied', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ paths: [tmp/cache], older_than: 7d }'),
      'tmp/cache/old/a.bin': 'aaaa',
      'tmp/cache/mixed/old.bin': 'bb',
      'tmp/cache/mixed/new.bin': 'new',
      'tmp/cache/fresh.bin': 'fresh',
    })
    mkdirSync(path.join(dir, 'tmp/cache/empty-new'))
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000)
    for (const file of ['old/a.bin', 'mixed/old.bin'])
      utimesSync(path.join(dir, 'tmp/cache', file), tenDaysAgo, tenDaysAgo)
    const up = await runCli(['up', '--json'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    expect(stepEnd(up.stdout).reason).toBe('deleted 2 files, 6 B')
    expect(readdirSync(path.join(dir, 'tmp/cache')).sort()).toEqual(['empty-new', 'fresh.bin', 'mixed'])
    expect(readdirSync(path.join(dir, 'tmp/cache/mixed'))).toEqual(['new.bin'])
  })

  it('removes folders and empty folders matched by a glob, except one holding a kept file', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ paths: ["tmp/*"], keep: [tmp/pids/.keep] }'),
      'tmp/cache/x/y.txt': 'y',
      'tmp/pids/.keep': '',
      'tmp/pids/server.pid': '1',
    })
    mkdirSync(path.join(dir, 'tmp/empty'))
    const up = await runCli(['up', '--json'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    // The run says what the check said: the empty folder went too.
    expect(stepEnd(up.stdout).reason).toBe('deleted 2 files, 2 B, 1 empty folder')
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual(['pids'])
    expect(readdirSync(path.join(dir, 'tmp/pids'))).toEqual(['.keep'])

    mkdirSync(path.join(dir, 'tmp/only-empty'))
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.stdout).toContain('1 empty folder')
  })

  it('counts and deletes a big folder (25,000 files) in one run, its size left unmeasured', async () => {
    const dir = tempRepo({ 'devsetup.yml': recipe('{ paths: [tmp/cache] }') })
    const files: Record<string, string> = {}
    for (let i = 0; i < 25_000; i++) files[`tmp/cache/d${i % 50}/f${i}`] = 'x'.repeat(10)
    writeFiles(dir, files)
    // Past 10,000 files a stat per file would cost more than the rest of the check: count only.
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.stdout).toMatch(/unmet: 25000 files\b(?!,)/)
    const up = await runCli(['up', '--json'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    expect(stepEnd(up.stdout).reason).toBe('deleted 25000 files')
    expect(readdirSync(path.join(dir, 'tmp/cache'))).toEqual([])
  })

  it('measures the size up to 10,000 files, links and files named directly included', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ paths: [tmp/cache, log/big.log] }'),
      'log/big.log': 'y'.repeat(5000),
    })
    const files: Record<string, string> = {}
    for (let i = 0; i < 9_998; i++) files[`tmp/cache/d${i % 20}/f${i}`] = 'x'.repeat(10)
    writeFiles(dir, files)
    symlinkSync('../../log/big.log', path.join(dir, 'tmp/cache/link')) // a link's size: the 17 bytes of its target
    const up = await runCli(['up', '--json'], { cwd: dir })
    expect(up.code, up.stdout).toBe(0)
    expect(stepEnd(up.stdout).reason).toBe('deleted 10000 files, 105 kB')
    expect(readdirSync(path.join(dir, 'tmp/cache'))).toEqual([])
    expect(existsSync(path.join(dir, 'log/big.log'))).toBe(false)
  })

  it('never lets a character class match `/` (tmp/**/a[!b]c, **/lib[!_]v)', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe(`{ paths: ["tmp/**/a[!b]c", "**/lib[!_]v"] }`),
      'tmp/a/c/important.txt': 'keep me',
      'src/lib/v/x.ts': 'source',
      'tmp/q/axc': 'junk',
      'src/libzv': 'junk',
    })
    const up = await runCli(['up', '--json'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(stepEnd(up.stdout).reason).toBe('deleted 2 files, 8 B')
    expect(readFileSync(path.join(dir, 'tmp/a/c/important.txt'), 'utf8')).toBe('keep me')
    expect(readFileSync(path.join(dir, 'src/lib/v/x.ts'), 'utf8')).toBe('source')
    expect(existsSync(path.join(dir, 'tmp/q/axc'))).toBe(false)
    expect(existsSync(path.join(dir, 'src/libzv'))).toBe(false)
  })

  it('deletes a named file whose name holds glob characters, not the file the glob would match', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe(`{ paths: ["log/a[1].log", "log/file{1}.txt", "log/b\\\\[2\\\\].log"] }`),
      'log/a[1].log': 'named',
      'log/a1.log': 'other',
      'log/file{1}.txt': 'named',
      'log/file1.txt': 'other',
      'log/b[2].log': 'named',
      'log/b2.log': 'other',
    })
    const up = await runCli(['up', '--json'], { cwd: dir })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(stepEnd(up.stdout).reason).toBe('deleted 3 files, 15 B')
    expect(readdirSync(path.join(dir, 'log')).sort()).toEqual(['a1.log', 'b2.log', 'file1.txt'])
    // The named files are gone now; the next run must not read the names as globs again.
    const again = await runCli(['up'], { cwd: dir })
    expect(again.stdout).toContain('ok: nothing to clean')
    expect(readdirSync(path.join(dir, 'log')).sort()).toEqual(['a1.log', 'b2.log', 'file1.txt'])
  })

  it('refuses patterns that match the whole step folder: *, **, {*,tmp}, and x/.. under a cwd', async () => {
    const dir = tempRepo({
      'devsetup.yml': [
        'version: 1',
        'steps:',
        '  - cleanup:',
        '      paths: ["{*,tmp}", "*", "**", "*.*", "x/..", "**/*.log"]',
        '  - cleanup: { paths: [x/..] }',
        '    cwd: real/tmp',
      ].join('\n'),
      'src/app.js': 'code',
      'real/tmp/data.txt': 'data',
    })
    const result = await runCli(['validate'], { cwd: dir })
    expect(result.code).toBe(2)
    const err = result.stderr
    for (const index of [0, 1, 2, 3, 4]) {
      expect(err).toMatch(new RegExp(`devsetup\\.yml:4:\\d+: \`paths\\.${index}\`: would delete everything`))
    }
    expect(err).not.toMatch(/paths\.5/)
    expect(err).toMatch(/devsetup\.yml:5:\d+: `paths\.0`: would delete everything/)
    const up = await runCli(['up'], { cwd: dir })
    expect(up.code).toBe(2)
    expect(readFileSync(path.join(dir, 'src/app.js'), 'utf8')).toBe('code')
    expect(readFileSync(path.join(dir, 'real/tmp/data.txt'), 'utf8')).toBe('data')
    expect(existsSync(path.join(dir, 'devsetup.yml'))).toBe(true)
  })

  it('leaves files tracked by git alone, asking git once and only when something matches', async () => {
    const dir = tempRepo({
      'devsetup.yml': recipe('{ paths: [build, "src/*.js"] }'),
      'build/keep.js': 'tracked',
      'build/sub/tracked.txt': 'tracked',
      'build/out.js': 'untracked',
      'src/app.js': 'tracked',
      'src/gen.js': 'untracked',
    })
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' })
    git('add', 'build/keep.js', 'build/sub/tracked.txt', 'src/app.js')
    // A git wrapper that records each call, so the test can count them.
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim()
    const bin = mkdtempSync(path.join(tmpdir(), 'devsetup-bin-'))
    const calls = path.join(bin, 'calls')
    fakeBin(bin, 'git', `echo "$*" >> ${calls}\nexec ${realGit} "$@"`)
    const env = { PATH: `${bin}:${process.env.PATH}` }
    const countCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').length : 0)

    const doctor = await runCli(['doctor'], { cwd: dir, env })
    expect(doctor.stdout).toContain('2 files, 18 B; 3 tracked files left alone')
    expect(countCalls()).toBe(1)
    const up = await runCli(['up', '--json'], { cwd: dir, env })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(stepEnd(up.stdout).reason).toBe('deleted 2 files, 18 B; 3 tracked files left alone')
    expect(readFileSync(path.join(dir, 'build/keep.js'), 'utf8')).toBe('tracked')
    expect(readFileSync(path.join(dir, 'build/sub/tracked.txt'), 'utf8')).toBe('tracked')
    expect(readFileSync(path.join(dir, 'src/app.js'), 'utf8')).toBe('tracked')
    expect(existsSync(path.join(dir, 'build/out.js'))).toBe(false)
    expect(existsSync(path.join(dir, 'src/gen.js'))).toBe(false)

    // Nothing matches any more: the check spawns no git at all.
    const noop = tempRepo({ 'devsetup.yml': recipe('{ paths: [tmp/cache, "log/*.log"] }') })
    const before = countCalls()
    const quiet = await runCli(['doctor'], { cwd: noop, env })
    expect(quiet.stdout).toContain('nothing to clean')
    expect(countCalls()).toBe(before)
  })
})

describe('cleanup required: false (the app writes these again while it runs)', () => {
  it('files left are reported, doctor stays green; they are cleaned when a when_changed step changed', async () => {
    const dir = tempRepo({
      'deps.txt': 'v1\n',
      'log/development.log': 'Started GET /\n',
      'devsetup.yml': `version: 1
steps:
  - id: deps
    run: cp deps.txt installed.txt
    inputs: [deps.txt]
  - cleanup:
      paths: [log/*.log]
      required: false
    when_changed: [deps]
`,
    })
    const first = await runCli(['up'], { cwd: dir })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    // The first install changed `deps`: the log goes with it, as bin/setup's log:clear did.
    expect(existsSync(path.join(dir, 'log/development.log'))).toBe(false)

    writeFileSync(path.join(dir, 'log/development.log'), 'Started GET / again\n')
    const doctor = await runCli(['doctor'], { cwd: dir })
    expect(doctor.code, doctor.stdout).toBe(0)
    expect(doctor.stdout).toMatch(/ok: 1 file, .*cleaned after a change \(required: false\)/)
    const noop = await runCli(['up'], { cwd: dir })
    expect(noop.code).toBe(0)
    expect(existsSync(path.join(dir, 'log/development.log'))).toBe(true)

    writeFileSync(path.join(dir, 'deps.txt'), 'v2\n')
    const changed = await runCli(['up'], { cwd: dir })
    expect(changed.code, changed.stdout).toBe(0)
    expect(existsSync(path.join(dir, 'log/development.log'))).toBe(false)
  })
})
