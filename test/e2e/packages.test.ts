// The packages step with apt, end to end through the built CLI: against this machine's real
// dpkg database, one real install as root, and sudo without a password as a real non-root
// user (setpriv) with a fake `sudo` that asks for one. Homebrew: packages-brew.test.ts.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { aptListsStaleness, parseOsRelease } from '../../src/steps/packages/machine.js'
import { type CliResult, events, fakeBin, runCli, stateDirOf, tempRepo } from '../helpers.js'

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
const isRoot = process.getuid?.() === 0
const debianLike = (() => {
  const os = existsSync('/etc/os-release') ? parseOsRelease(readFileSync('/etc/os-release', 'utf8')) : {}
  return /\b(debian|ubuntu)\b/.test(`${os.ID} ${os.ID_LIKE ?? ''}`) && has('dpkg-query') && has('apt-get')
})()
const whyNoApt = debianLike ? '' : 'not a Debian/Ubuntu machine with dpkg-query and apt-get'
/** One field of dpkg's record of a package ("Status", "Version"), as dpkg-query prints it. */
const dpkgField = (pkg: string, field: string) =>
  spawnSync('dpkg-query', ['-W', `-f=\${${field}}`, pkg], { encoding: 'utf8' }).stdout ?? ''
const dpkgInstalled = (pkg: string) => /installed$/.test(dpkgField(pkg, 'Status'))

/**
 * The fix line doctor prints for an apt install: devsetup (rightly) puts `apt-get update &&`
 * first when this machine's package lists are stale, so the expected text follows the lists'
 * real age at the time of the run — never the age of the lists on the machine the test was written on.
 */
async function aptFix(install: string, sudo = ''): Promise<string> {
  const update = (await aptListsStaleness()) ? `${sudo}apt-get update && ` : ''
  return `fix: ${update}${sudo}apt-get install -y ${install} --no-remove`
}

const recipe = (body: string) => `version: 1\nsteps:\n${body}`
const stepEnd = (r: CliResult) =>
  events(r.stdout).find((e) => e.event === 'step:end' && e.type === 'packages')!

describe.skipIf(!debianLike)(`packages: apt, against the real dpkg database ${whyNoApt}`, () => {
  it('is met when every listed package is installed, asked in one dpkg-query', async () => {
    const arch = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim()
    const version = dpkgField('bash', 'Version')
    const cwd = tempRepo({
      'devsetup.yml': recipe(
        `  - packages:\n      apt: [bash, coreutils, "bash:${arch}", "bash=${version}"]\n`,
      ),
    })
    const r = await runCli(['doctor', '--json'], { cwd })
    expect(r.code).toBe(0)
    expect(stepEnd(r)).toMatchObject({ status: 'ok', reason: 'apt: 4 installed' })
  })

  it('names the missing ones, a wrong version, and gives the install command as the fix', async () => {
    const cwd = tempRepo({
      'devsetup.yml': recipe('  - packages:\n      apt: [bash, devsetup-no-such-pkg, bash=0.0-devsetup]\n'),
    })
    const fix = await aptFix('devsetup-no-such-pkg bash=0.0-devsetup', isRoot ? '' : 'sudo ')
    const r = await runCli(['doctor'], { cwd })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /unmet: apt: missing devsetup-no-such-pkg, bash \(\S+ installed, recipe wants 0\.0-devsetup\)/,
    )
    expect(r.stdout).toContain(fix)
  })

  it.skipIf(!isRoot)(
    'puts `apt-get update &&` before the install in the fix when the package lists are stale (root only: ages the lists)',
    async () => {
      ageAptLists()
      const cwd = tempRepo({ 'devsetup.yml': recipe('  - packages:\n      apt: [devsetup-no-such-pkg]\n') })
      const r = await runCli(['doctor'], { cwd })
      const sudo = isRoot ? '' : 'sudo '
      expect(r.stdout).toContain(
        `fix: ${sudo}apt-get update && ${sudo}apt-get install -y devsetup-no-such-pkg --no-remove`,
      )
    },
  )

  it('skips the lists of managers this machine does not have, and says why', async () => {
    const cwd = tempRepo({
      'devsetup.yml': recipe(
        '  - packages:\n      apt: [bash]\n      pacman: [base-devel]\n      apk: [build-base]\n',
      ),
    })
    const r = await runCli(['doctor', '--json'], { cwd })
    const reason = String(stepEnd(r).reason)
    expect(reason).toMatch(/^apt: 1 installed/)
    if (!has('pacman')) expect(reason).toContain('pacman list skipped: pacman not on this machine')
    if (!has('apk')) expect(reason).toContain('apk list skipped: apk not on this machine')
  })

  it.skipIf(has('zypper') || has('apk'))(
    'is met, with the reason, when no listed manager applies here',
    async () => {
      const cwd = tempRepo({
        'devsetup.yml': recipe('  - packages:\n      zypper: [gcc]\n      apk: [build-base]\n'),
      })
      const r = await runCli(['doctor', '--json'], { cwd })
      expect(r.code).toBe(0)
      expect(String(stepEnd(r).reason)).toMatch(
        /^nothing to do on this platform \(zypper list skipped: zypper/,
      )
    },
  )

  it.skipIf(!isRoot || !has('dpkg-deb'))(
    'counts a removed package whose config files remain (deinstall ok config-files) as missing (root only)',
    async () => {
      const name = 'devsetup-test-conffile'
      const build = tempRepo({
        [`${name}/DEBIAN/control`]: `Package: ${name}\nVersion: 1.0\nArchitecture: all\nMaintainer: devsetup tests <tests@example.invalid>\nDescription: devsetup test package with a conffile\n`,
        [`${name}/DEBIAN/conffiles`]: `/etc/${name}.conf\n`,
        [`${name}/etc/${name}.conf`]: 'kept after remove\n',
      })
      const deb = path.join(build, `${name}.deb`)
      const sh = (args: string[]) => expect(spawnSync(args[0]!, args.slice(1)).status).toBe(0)
      sh(['dpkg-deb', '--build', '--root-owner-group', path.join(build, name), deb])
      sh(['dpkg', '-i', deb])
      try {
        sh(['dpkg', '-r', name])
        const status = dpkgField(name, 'Status')
        expect(status).toBe('deinstall ok config-files')
        const cwd = tempRepo({ 'devsetup.yml': recipe(`  - packages:\n      apt: [bash, ${name}]\n`) })
        const r = await runCli(['doctor', '--json'], { cwd })
        expect(stepEnd(r)).toMatchObject({
          status: 'unmet',
          reason: `apt: missing ${name} (1 of 2 installed)`,
        })
      } finally {
        spawnSync('dpkg', ['-P', name])
      }
    },
  )
})

/**
 * Makes this machine's apt lists look two days old: only ever older, never newer — apt sends
 * the mtimes as If-Modified-Since, so an older one merely makes the next update fetch again.
 */
function ageAptLists(lists = '/var/lib/apt/lists'): string {
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000)
  for (const name of [
    '.',
    'partial',
    ...readdirSync(lists).filter((n) => /_(Packages|InRelease|Release)/.test(n)),
  ]) {
    utimesSync(path.join(lists, name), twoDaysAgo, twoDaysAgo)
  }
  return lists
}

// A real install of a tiny real package (sl, 60 kB, its libraries are already on any Debian).
const aptInstallSkip = !debianLike
  ? whyNoApt
  : !isRoot
    ? 'needs root (CI runs as root)'
    : spawnSync('apt-cache', ['show', 'sl']).status !== 0
      ? '`apt-cache show sl` finds nothing (no package lists)'
      : ''
describe.skipIf(aptInstallSkip !== '')(`packages: a real apt install ${aptInstallSkip}`, () => {
  it('updates stale lists, installs only the missing package, then is met; uninstalls only what it installed', async () => {
    const wasInstalled = dpkgInstalled('sl')
    // Age the package lists so the step must run `apt-get update` first.
    const lists = ageAptLists()
    expect(await aptListsStaleness(lists)).toMatch(/old$/)
    const cwd = tempRepo({ 'devsetup.yml': recipe('  - packages:\n      apt: [bash, sl]\n') })
    try {
      const first = await runCli(['up', '--json'], { cwd, timeoutMs: 170_000 })
      if (wasInstalled) {
        expect(stepEnd(first)).toMatchObject({ status: 'ok', reason: 'apt: 2 installed' })
      } else {
        expect(stepEnd(first)).toMatchObject({ status: 'changed', reason: 'installed with apt: sl' })
        const log = readdirSync(path.join(stateDirOf(cwd), 'logs')).map((f) =>
          readFileSync(path.join(stateDirOf(cwd), 'logs', f), 'utf8'),
        )
        expect(log.join('\n')).toMatch(/\$ apt-get update[\s\S]*\$ apt-get install -y sl --no-remove\n/)
        expect(await aptListsStaleness(lists)).toBeUndefined()
      }
      expect(dpkgInstalled('sl')).toBe(true)
      const again = await runCli(['up', '--json'], { cwd })
      expect(stepEnd(again)).toMatchObject({ status: 'ok', reason: 'apt: 2 installed' })
    } finally {
      if (!wasInstalled)
        spawnSync('apt-get', ['remove', '-y', '-qq', 'sl'], {
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        })
    }
  }, 180_000)

  it("fails with apt's own message for a package it does not know", async () => {
    const cwd = tempRepo({ 'devsetup.yml': recipe('  - packages:\n      apt: [devsetup-no-such-pkg]\n') })
    const r = await runCli(['up'], { cwd, timeoutMs: 170_000 })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(
      'failed: apt-get install failed: E: Unable to locate package devsetup-no-such-pkg',
    )
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /)
  }, 180_000)
})

/**
 * Runs the CLI as a real non-root user: as root, through setpriv as `nobody`. The repository
 * must not be a git repository owned by root (devsetup writes .git/info/exclude).
 */
function runCliNotRoot(args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  if (!isRoot) return runCli(args, { cwd, env })
  chmodSync(cwd, 0o777)
  return runCli(args, { cwd, env: { HOME: cwd, ...env }, asNobody: true })
}

const notRootSkip = !debianLike ? whyNoApt : isRoot && !has('setpriv') ? 'root without setpriv' : ''
describe.skipIf(notRootSkip !== '')(`packages: not root ${notRootSkip}`, () => {
  it('asks sudo -n, and when sudo wants a password says which command to run by hand', async () => {
    const cwd = tempRepo(
      { 'devsetup.yml': recipe('  - packages:\n      apt: [bash, devsetup-no-such-pkg]\n') },
      { git: false },
    )
    const bin = path.join(cwd, 'fake-bin')
    fakeBin(
      bin,
      'sudo',
      `echo "sudo -n? $1" >> "${bin}/sudo.log"\necho "sudo: a password is required" >&2\nexit 1`,
    )
    const env = { PATH: `${bin}:${process.env.PATH}` }
    chmodSync(bin, 0o777)
    const fix = await aptFix('devsetup-no-such-pkg', 'sudo ')
    const doctor = await runCliNotRoot(['doctor'], cwd, env)
    expect(doctor.stdout).toContain(fix)
    const up = await runCliNotRoot(['up'], cwd, env)
    expect(up.code).toBe(1)
    expect(up.stdout).toMatch(
      /failed: sudo needs a password to run apt-get .*run by hand: (sudo apt-get update && )?sudo apt-get install -y devsetup-no-such-pkg --no-remove, then run devsetup again/,
    )
    expect(readFileSync(path.join(bin, 'sudo.log'), 'utf8')).toBe('sudo -n? -n\n')
  })

  it.skipIf(has('sudo'))('without sudo at all, says to run the command as root', async () => {
    const cwd = tempRepo(
      { 'devsetup.yml': recipe('  - packages:\n      apt: [devsetup-no-such-pkg]\n') },
      { git: false },
    )
    const up = await runCliNotRoot(['up'], cwd, {})
    expect(up.stdout).toMatch(
      /failed: installing with apt needs root, and sudo is not on this machine \(run as root: (apt-get update && )?apt-get install -y devsetup-no-such-pkg --no-remove\)/,
    )
  })
})

describe('packages: apt list freshness', () => {
  it('is missing, empty, stale or fresh by the newest of the lists and their folders', async () => {
    const dir = tempRepo({}, { git: false })
    expect(await aptListsStaleness(path.join(dir, 'none'))).toBe('apt package lists missing')
    mkdirSync(path.join(dir, 'partial'))
    writeFileSync(path.join(dir, 'lock'), '')
    expect(await aptListsStaleness(dir)).toBe('apt package lists empty')
    writeFileSync(path.join(dir, 'deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4'), '')
    expect(await aptListsStaleness(dir)).toBeUndefined()
    expect(await aptListsStaleness(dir, Date.now() + 3 * 86_400_000 + 60_000)).toBe(
      'apt package lists are 3 day(s) old',
    )
  })
})
