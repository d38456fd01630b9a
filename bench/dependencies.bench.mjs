// A re-run with nothing to install must not pay for an install: a no-op `devsetup up` on a
// repository with a ~1,000-package npm lockfile, against `npm install` with nothing to do
// and `npm ci`, measured in the same run. Target: ≤ 0.1x npm install's no-op (wall and cpu).
// The packages are tiny local tarballs made here (no network); the fixture is kept in the
// temp folder between bench runs because the first install takes a while.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const title = 'dependencies: no-op check vs npm install / npm ci (~1,000 packages)'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'bin', 'devsetup.js')
const count = 1000
const npmEnv = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, env: npmEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}${result.stderr}`)
  return result.stdout
}

/** ~1,000 packages: tarballs in npm's layout (package/...), made with tar, no registry. */
function fixture() {
  const dir = path.join(tmpdir(), `devsetup-bench-deps-${count}`)
  if (existsSync(path.join(dir, 'node_modules', '.package-lock.json'))) return dir
  const sources = path.join(dir, 'src')
  mkdirSync(path.join(dir, 'vendor'), { recursive: true })
  const dependencies = {}
  for (let i = 0; i < count; i++) {
    const name = `bench-pkg-${i}`
    const pkg = path.join(sources, name, 'package')
    mkdirSync(pkg, { recursive: true })
    writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', main: 'index.js' }),
    )
    writeFileSync(path.join(pkg, 'index.js'), `module.exports = ${i}\n`)
    run(
      'tar',
      ['-czf', path.join(dir, 'vendor', `${name}-1.0.0.tgz`), '-C', path.join(sources, name), 'package'],
      dir,
    )
    dependencies[name] = `file:vendor/${name}-1.0.0.tgz`
  }
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'bench-app', version: '1.0.0', dependencies }),
  )
  writeFileSync(path.join(dir, 'devsetup.yml'), 'version: 1\nsteps:\n  - dependencies\n')
  run('git', ['init', '-q'], dir)
  run('npm', ['install'], dir)
  return dir
}

export default async function ({ timeIt, compare }) {
  const dir = fixture()
  const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'))
  const entries = Object.keys(lock.packages).filter((key) => key !== '').length
  // Record the install devsetup compares against (runs `npm ci` once if never recorded).
  run(process.execPath, [cli, 'up'], dir)
  const check = JSON.parse(
    run(process.execPath, [cli, 'up', '--json'], dir)
      .trim()
      .split('\n')
      .find((line) => line.includes('"step:end"')),
  )
  if (check.status !== 'ok') throw new Error(`expected a no-op, got ${check.status}: ${check.reason}`)

  // Interleaved rounds, ratios paired per round (bench/lib.mjs compare): npm install is the baseline.
  const options = { cwd: dir, env: npmEnv }
  const [install, devsetupRun, startupRun] = compare(
    [
      { label: 'npm install, nothing to do', command: 'npm', args: ['install'], options },
      { label: 'devsetup up, no-op (whole CLI run)', command: process.execPath, args: [cli, 'up'], options },
      { label: 'devsetup --version', command: process.execPath, args: [cli, '--version'], options },
    ],
    { rounds: Number(process.env.DEPENDENCIES_BENCH_ROUNDS ?? 7) },
  )
  const devsetup = devsetupRun.wall
  const startup = startupRun.wall
  const npmInstall = install.wall
  const npmCi = timeIt('npm', ['ci'], { cwd: dir, env: npmEnv }, 3)
  // npm ci rebuilt node_modules: devsetup must still see it as met.
  const after = run(process.execPath, [cli, 'up'], dir)
  if (!after.includes('— ok:')) throw new Error(`devsetup re-ran after npm ci:\n${after}`)

  const row = (label, ms) => `${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms`
  const wall = devsetupRun.wallRatio
  const cpu = devsetupRun.cpuRatio
  return [
    `fixture: ${entries} packages in package-lock.json (${dir})`,
    `${row('devsetup up, no-op (whole CLI run)', devsetup)} wall ${devsetupRun.cpu.toFixed(0).padStart(5)} ms cpu`,
    `${row('  devsetup --version (startup, no step)', startup)} wall ${startupRun.cpu.toFixed(0).padStart(5)} ms cpu`,
    row('  the dependencies check (engine-timed)', check.durationMs),
    `${row('npm install, nothing to do', npmInstall)} wall ${install.cpu.toFixed(0).padStart(5)} ms cpu`,
    row('npm ci', npmCi),
    `devsetup no-op = ${wall.toFixed(3)}x npm install's no-op in wall time, ${cpu.toFixed(3)}x in cpu (target ≤ 0.1x) ${wall <= 0.1 && cpu <= 0.1 ? 'PASS' : 'FAIL'}; ${(devsetup / npmCi).toFixed(3)}x npm ci`,
    `beyond startup: ${(devsetup - startup).toFixed(0)} ms = ${((devsetup - startup) / npmInstall).toFixed(3)}x npm install's no-op`,
    '(interleaved rounds, paired ratios; npm ci: median of 3; audit and fund off for npm)',
  ]
}
