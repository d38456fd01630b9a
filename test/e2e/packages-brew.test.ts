// The packages step with Homebrew, through the built CLI: a fake `brew` on PATH (Homebrew
// cannot run here) that behaves like the real one; also the step's recipe errors.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { type CliResult, events, fakeBin, runCli, tempRepo } from '../helpers.js'

const recipe = (body: string) => `version: 1\nsteps:\n${body}`
const stepEnd = (r: CliResult) =>
  events(r.stdout).find((e) => e.event === 'step:end' && e.type === 'packages')!

/** A fake Homebrew that behaves like the real one, keeping its "Cellar" in a folder. */
function fakeBrew(dir: string, known: string[], installed: string[] = []): Record<string, string> {
  const cellar = path.join(dir, 'Cellar')
  mkdirSync(cellar, { recursive: true })
  for (const name of installed) writeFileSync(path.join(cellar, name), '1.0\n')
  fakeBin(
    path.join(dir, 'bin'),
    'brew',
    `cellar="${cellar}"
echo "$*" >> "${dir}/brew-calls.log"
cmd="$1"; shift
case "$cmd" in
  list)
    [ "$1" = "--versions" ] && shift
    status=0
    for f in "$@"; do
      short="\${f##*/}"
      if [ -f "$cellar/$short" ]; then echo "$short $(cat "$cellar/$short")"; else status=1; fi
    done
    exit $status ;;
  install)
    for f in "$@"; do
      case " ${known.join(' ')} " in *" $f "*) ;; *) echo 'Error: No available formula with the name "'"$f"'".' >&2; exit 1 ;; esac
    done
    for f in "$@"; do echo "==> Pouring \${f##*/}--1.0.bottle.tar.gz"; echo 1.0 > "$cellar/\${f##*/}"; done ;;
  bundle)
    sub="$1"; shift
    file=""
    for a in "$@"; do case "$a" in --file=*) file="\${a#--file=}" ;; esac; done
    [ -f "$file" ] || { echo "Error: No Brewfile found" >&2; exit 1; }
    names=$(sed -n 's/^brew "\\([^"]*\\)".*/\\1/p' "$file")
    if [ "$sub" = check ]; then
      missing=0
      for n in $names; do
        if [ ! -f "$cellar/$n" ]; then
          [ $missing = 0 ] && echo "brew bundle can't satisfy your Brewfile's dependencies."
          echo "→ Formula $n needs to be installed or updated."
          missing=1
        fi
      done
      [ $missing = 0 ] && echo "The Brewfile's dependencies are satisfied."
      exit $missing
    fi
    for n in $names; do echo "Installing $n"; echo 1.0 > "$cellar/$n"; done
    echo "Homebrew Bundle complete! 1 Brewfile dependency now installed." ;;
  *) echo "Error: Unknown command: $cmd" >&2; exit 1 ;;
esac`,
  )
  return { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` }
}

const brewCalls = (dir: string) =>
  existsSync(path.join(dir, 'brew-calls.log')) ? readFileSync(path.join(dir, 'brew-calls.log'), 'utf8') : ''

describe('packages: brew (a fake brew on PATH)', () => {
  it('checks with one brew list, installs only the missing ones, then is met', async () => {
    const cwd = tempRepo({
      'devsetup.yml': recipe('  - packages:\n      brew: [jq, postgresql@16, homebrew/core/redis]\n'),
    })
    const brewDir = path.join(cwd, 'brew')
    const env = fakeBrew(brewDir, ['jq', 'postgresql@16', 'homebrew/core/redis'], ['jq'])
    const doctor = await runCli(['doctor'], { cwd, env })
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(
      'unmet: brew: missing postgresql@16, homebrew/core/redis (1 of 3 installed)',
    )
    expect(doctor.stdout).toContain('fix: brew install postgresql@16 homebrew/core/redis')
    expect(brewCalls(brewDir)).toBe('list --versions jq postgresql@16 homebrew/core/redis\n')

    const up = await runCli(['up', '--json'], { cwd, env })
    expect(up.code).toBe(0)
    expect(stepEnd(up)).toMatchObject({
      status: 'changed',
      reason: 'installed with brew: postgresql@16, homebrew/core/redis',
    })
    expect(brewCalls(brewDir)).toContain('install postgresql@16 homebrew/core/redis\n')
    expect(brewCalls(brewDir)).not.toContain('install jq')

    const again = await runCli(['up', '--json'], { cwd, env })
    expect(stepEnd(again)).toMatchObject({
      status: 'ok',
      reason: expect.stringMatching(/^brew: 3 installed/),
    })
  })

  it("fails with brew's own message for a formula it does not know", async () => {
    const cwd = tempRepo({
      'devsetup.yml': recipe('  - packages:\n      brew: [devsetup-no-such-formula]\n'),
    })
    const env = fakeBrew(path.join(cwd, 'brew'), ['jq'])
    const up = await runCli(['up'], { cwd, env })
    expect(up.code).toBe(1)
    expect(up.stdout).toContain(
      'failed: brew install failed: Error: No available formula with the name "devsetup-no-such-formula".',
    )
  })

  it('installs a Brewfile with brew bundle when brew bundle check says it is not satisfied', async () => {
    const cwd = tempRepo({
      'devsetup.yml': recipe('  - packages:\n      brewfile: Brewfile\n'),
      Brewfile: 'brew "redis"\nbrew "jq"\n',
    })
    const brewDir = path.join(cwd, 'brew')
    const env = fakeBrew(brewDir, ['redis', 'jq'], ['jq'])
    const doctor = await runCli(['doctor'], { cwd, env })
    expect(doctor.stdout).toContain('unmet: brewfile: missing redis (from Brewfile)')
    expect(doctor.stdout).toContain(
      `fix: brew bundle install --no-upgrade --file=${path.join(cwd, 'Brewfile')}`,
    )
    const up = await runCli(['up', '--json'], { cwd, env })
    expect(stepEnd(up)).toMatchObject({ status: 'changed', reason: 'installed with brew bundle: Brewfile' })
    const again = await runCli(['up', '--json'], { cwd, env })
    expect(stepEnd(again)).toMatchObject({ status: 'ok', reason: 'brewfile: Brewfile satisfied' })
  })
})

describe('packages: recipe errors', () => {
  it('rejects option-like and malformed package names at their file:line:col', async () => {
    const cwd = tempRepo({
      'devsetup.yml': recipe('  - packages:\n      apt: [bash, "-y", "libfoo:amd64=1.2"]\n      brw: [x]\n'),
    })
    const r = await runCli(['validate'], { cwd })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('devsetup.yml:4:19: `apt.1`: expected an apt package')
    expect(r.stderr).not.toContain('apt.2')
    expect(r.stderr).toMatch(/unknown key `brw` in `packages`[\s\S]*did you mean `brew`/)
  })
})
