// devsetup supports Node >= 20.5, and users have 20, 22 and 24: the smoke tests (up, doctor, a
// failing step, Ctrl-C) run the built CLI under every Node binary listed in DEVSETUP_TEST_NODE
// (separated by `:`). .ci/run installs Node 22 and 24 from the npm registry's `node` package
// and sets it; without it these are skipped, visibly.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import semver from 'semver'
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli, startCli, tempRepo, waitFor } from '../helpers.js'

const nodes = (process.env.DEVSETUP_TEST_NODE ?? '').split(':').filter(Boolean)
const versionOf = (node: string) =>
  spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() || `${node} does not run`

if (nodes.length === 0) {
  describe('smoke tests under other Node versions', () => {
    it.skip('set DEVSETUP_TEST_NODE=/path/to/node22:/path/to/node24 to run them (.ci/run does)', () => {})
  })
}

for (const node of nodes) {
  const version = versionOf(node)
  describe(`under Node ${version} (${node})`, () => {
    it('is a Node devsetup supports (package.json engines)', () => {
      const engines = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).engines.node
      expect(semver.satisfies(version, engines), `${version} vs ${engines}`).toBe(true)
    })

    it('up makes it so, doctor then says ready', async () => {
      const repo = tempRepo({
        'devsetup.yml':
          "version: 1\nsteps:\n  - name: Make\n    run: node -e \"require('fs').writeFileSync('made', process.version)\"\n    creates: made\n",
      })
      const up = await runCli(['up'], { cwd: repo, node })
      expect(up.code, up.stderr).toBe(0)
      expect(up.stdout).toContain('✔ Make — changed')
      expect(existsSync(path.join(repo, 'made'))).toBe(true)
      const doctor = await runCli(['doctor', '--json'], { cwd: repo, node })
      expect(doctor.code, doctor.stderr).toBe(0)
      expect(doctor.stdout).toContain('"status":"ok"')
    })

    it('a failing step exits 1 with its output and the log', async () => {
      const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: echo broken-here; exit 3\n' })
      const up = await runCli(['up'], { cwd: repo, node })
      expect(up.code).toBe(1)
      expect(up.stdout + up.stderr).toContain('broken-here')
      expect(up.stdout + up.stderr).toMatch(/full log: +\S+\/logs\/\S+\.log/)
      expect(up.stdout + up.stderr).not.toMatch(/internal error/)
    })

    it('a bad recipe is located, exit 2', async () => {
      const repo = tempRepo({ 'devsetup.yml': 'version: 1\nsteps:\n  - run: "true"\n    comand: x\n' })
      const r = await runCli(['validate'], { cwd: repo, node })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('devsetup.yml:4:5: unknown key `comand`')
    })

    it('Ctrl-C stops the running command and exits 130', async () => {
      const repo = tempRepo({
        'devsetup.yml': 'version: 1\nsteps:\n  - run: echo $$ > started; sleep 30\n',
      })
      const { child, done } = startCli(['up'], { cwd: repo, node })
      const started = path.join(repo, 'started')
      await waitFor(
        () => existsSync(started) && readFileSync(started, 'utf8').trim() !== '',
        15_000,
        'the step',
      )
      child.kill('SIGINT')
      const r = await done
      expect(r.code).toBe(130)
      const pid = Number(readFileSync(started, 'utf8'))
      await waitFor(
        () => !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '),
        5000,
        'the command to stop',
      )
    })
  })
}
