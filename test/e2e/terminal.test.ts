// What a person sees in a real terminal (tmux, 120×40), and what every failure report says.
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { cliPath, events, ptyOutput, runCli, tempRepo, testStateHome, waitFor } from '../helpers.js'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const sessions: string[] = []
afterAll(() => {
  for (const name of sessions) spawnSync('tmux', ['kill-session', '-t', name])
})

/** Starts the CLI in a detached tmux session of 120×40 and returns a screen reader. */
function inTmux(repo: string, args = ''): () => string {
  const name = `devsetup-test-${process.pid}-${sessions.length}`
  sessions.push(name)
  // tmux runs the command in its server's environment, not this process's: the state folder is
  // passed on the line, or the run would write into the machine's own (/var/lib/devsetup).
  const command = `cd ${repo} && NO_COLOR=1 CI= DEVSETUP_STATE_DIR=${testStateHome()} ${process.execPath} ${cliPath} ${args}; echo "exit=$?"; sleep 30`
  const started = spawnSync('tmux', ['new-session', '-d', '-s', name, '-x', '120', '-y', '40', command])
  expect(started.status).toBe(0)
  return () => spawnSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' }).stdout
}

describe.skipIf(!hasTmux)('in a real terminal (tmux)', () => {
  it('a chatty step keeps its title on screen: only a window of its last lines is shown', async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: Chatty
    run: |
      for i in $(seq 1 60); do echo "chatty line $i"; done
      sleep 3
    creates: never-there
    optional: true
`,
    })
    const screen = inTmux(repo)
    await waitFor(() => screen().includes('chatty line 60'), 20_000, 'the 60th line')
    const shown = screen()
    expect(shown).toContain('Chatty')
    const chatty = shown.split('\n').filter((line) => line.includes('chatty line'))
    expect(chatty.length).toBeLessThanOrEqual(5)
    expect(shown).not.toContain('chatty line 50\n')
    // A silent step that runs for a while shows how long it has been running.
    await waitFor(
      () => /Chatty .*running: never-there missing \(\ds\)/.test(screen()),
      10_000,
      'elapsed time',
    )
    await waitFor(() => screen().includes('exit='), 20_000, 'the end')
  })
})

describe.skipIf(spawnSync('script', ['-V']).status !== 0)('a terminal that cannot move the cursor', () => {
  const recipe = `version: 1
steps:
  - name: Slow one
    run: sleep 1.5; touch one
    creates: one
  - name: Slow two
    run: sleep 1.5; touch two
    creates: two
`
  // ESC [ n A: cursor up, what an animated tree redraws with.
  const cursorUps = (text: string) => text.match(/\x1b\[\d*A/g)?.length ?? 0

  it('TERM=dumb gets plain lines, not the animated tree', () => {
    const dumb = ptyOutput(tempRepo({ 'devsetup.yml': recipe }), { TERM: 'dumb' })
    expect(dumb).toContain('✔ Slow two — changed')
    expect(cursorUps(dumb)).toBe(0)
    // The same run in a capable terminal animates: the count above can tell the two apart.
    const xterm = ptyOutput(tempRepo({ 'devsetup.yml': recipe }), { TERM: 'xterm-256color' })
    expect(cursorUps(xterm)).toBeGreaterThan(0)
  })

  it('--dry-run: a step that would run gets the arrow, never the tick of a met step (tree, TERM=dumb, --json)', async () => {
    const dry = `version: 1
steps:
  - name: Met one
    run: touch never
    creates: devsetup.yml
  - name: Build
    run: touch built
    creates: built
  - parallel:
      - name: Unmet member
        run: touch member
        creates: member
      - name: Met member
        run: touch never
        creates: devsetup.yml
`
    const repo = tempRepo({ 'devsetup.yml': dry })
    for (const term of ['xterm-256color', 'dumb']) {
      const shown = ptyOutput(repo, { TERM: term }, '--dry-run')
      expect(shown, term).toContain('✔ Met one — ok: devsetup.yml exists')
      expect(shown, term).toContain('✔ Met member — ok')
      expect(shown, term).toContain('→ Build — would run: built missing')
      expect(shown, term).toContain('→ Unmet member — would run: member missing')
      // Every frame the tree drew: not one ticks a step that would run, nor the group holding one.
      expect(shown, term).not.toMatch(/✔ (Build|Unmet member|In parallel)/)
    }
    expect(ptyOutput(repo, { TERM: 'xterm-256color' }, '--dry-run')).toContain(
      '→ In parallel: Unmet member, Met member',
    )
    const json = await runCli(['--dry-run', '--json'], { cwd: repo })
    const statuses = events(json.stdout)
      .filter((e) => e.event === 'step:end')
      .map((e) => [e.title, e.status])
    expect(statuses).toEqual([
      ['Met one', 'ok'],
      ['Build', 'would-run'],
      ['Unmet member', 'would-run'],
      ['Met member', 'ok'],
    ])
  })
})

describe('failure reports', () => {
  it('"ran but still unmet" shows the command and its last lines', async () => {
    const repo = tempRepo({
      'devsetup.yml': `version: 1
steps:
  - name: Build
    run: echo compiling; echo "wrote to dist/ instead"
    creates: public/app.css
`,
    })
    const result = await runCli([], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('ran but still unmet: public/app.css missing')
    expect(result.stderr).toContain('command:   echo compiling; echo "wrote to dist/ instead"')
    expect(result.stderr).toContain('last 2 lines of output:')
    expect(result.stderr).toContain('│ wrote to dist/ instead')
  })

  it('a timeout shows the command and what it printed before it was stopped', async () => {
    const repo = tempRepo({
      'devsetup.yml':
        'version: 1\nsteps:\n  - name: Slow\n    run: echo started; sleep 20\n    timeout: 1s\n',
    })
    const result = await runCli([], { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('timed out after 1.0s')
    expect(result.stderr).toContain('command:   echo started; sleep 20')
    expect(result.stderr).toContain('│ started')
  })
})

describe('what the output says', () => {
  const recipe = `version: 1
steps:
  - name: Build assets
    run: mkdir -p public && echo body > public/app.css
    creates: public/app.css
  - if: { platform: [macos, windows] }
    run: echo never here
  - restart:
      touch: tmp/restart.txt
`

  it('--dry-run shows the commands and predicts the restart the real run would do', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    const result = await runCli(['--dry-run'], { cwd: repo })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      '→ Build assets — would run: public/app.css missing\n    $ mkdir -p public',
    )
    expect(result.stdout).toMatch(/Restart \(touch tmp\/restart.txt\) — would run: .*build-assets/)
    expect(result.stdout).toContain('would run: build-assets changed\n    $ touch tmp/restart.txt')
    const json = await runCli(['--dry-run', '--json'], { cwd: repo })
    const build = events(json.stdout).find((e) => e.step === 'build-assets')
    expect(build?.commands).toEqual(['mkdir -p public && echo body > public/app.css'])
  })

  it('--dry-run names the install a dependencies step would run', async () => {
    const repo = tempRepo({
      'devsetup.yml': 'version: 1\nsteps:\n  - dependencies\n',
      'package.json': '{ "name": "x", "version": "1.0.0" }\n',
      'package-lock.json': '{ "name": "x", "version": "1.0.0", "lockfileVersion": 3, "packages": {} }\n',
    })
    const result = await runCli(['--dry-run'], { cwd: repo })
    expect(result.stdout).toMatch(/would run: .*\n {4}\$ npm ci/)
  })

  it('a changed line says what was done, and platforms read as people name them', async () => {
    const repo = tempRepo({ 'devsetup.yml': recipe })
    const result = await runCli([], { cwd: repo })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      '✔ Build assets — changed: ran `mkdir -p public && echo body > public/app.css`; now public/app.css exists',
    )
    expect(result.stdout).toMatch(/skipped: platform is \w+, step wants macos or windows/)
    expect(result.stdout).not.toContain('darwin')
  })
})
