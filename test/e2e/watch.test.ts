// A dev server that watches its tree (nodemon, `node --watch`, Vite) restarts on every file
// devsetup writes there. Watched by a real recursive watcher over the whole repository
// (fs.watch recursive, inotify on Linux): `up` starting a chatty server, a no-op `up`,
// `doctor` and a restart after a change write nothing inside the repository.
import { type FSWatcher, statSync, watch, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, stateDirOf, tempRepo, waitFor } from '../helpers.js'
import { freePort, health, killServersAfterwards, serverSource } from './restart/servers.js'

const watchers: FSWatcher[] = []
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close()
})

/** Every path a recursive watcher over `root` reports, in order. */
function watchTree(root: string): string[] {
  const seen: string[] = []
  const watcher = watch(root, { recursive: true }, (_event, file) => seen.push(String(file)))
  watchers.push(watcher)
  return seen
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

describe('what a watching dev server sees of devsetup', () => {
  it('nothing: no file inside the repository changes across up, a no-op up, doctor and a restart', async () => {
    const port = await freePort()
    const repo = tempRepo({
      'server.js': serverSource,
      'input.txt': 'v1\n',
      'devsetup.yml': `version: 1
env:
  PORT: "${port}"
steps:
  - name: build
    run: echo built
    inputs: input.txt
  - cleanup:
      paths: [log/*.log]
  - restart:
      # A server that writes a log line every 20ms, as a busy dev server does.
      start: node server.js & while true; do echo tick; sleep 0.02; done
      health: http://127.0.0.1:${port}/health
`,
    })
    killServersAfterwards(repo)
    const seen = watchTree(repo)
    await settle()

    const first = await runCli(['up'], { cwd: repo })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect((await health(port)).status).toBe(200)
    await settle()
    expect((await runCli(['up'], { cwd: repo })).stdout).toContain('nothing changed')
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(0)

    // The log grows — outside the repository.
    const log = path.join(stateDirOf(repo), 'server.log')
    const size = statSync(log).size
    await waitFor(() => statSync(log).size > size + 100, 5000, 'the server to log')
    expect(seen).toEqual([])

    // A real change, made by the test itself: the watcher does see files in the tree.
    writeFileSync(path.join(repo, 'input.txt'), 'v2\n')
    await waitFor(() => seen.includes('input.txt'), 5000, 'the watcher to see input.txt')
    seen.length = 0
    const restarted = await runCli(['up'], { cwd: repo })
    expect(restarted.stdout).toMatch(/Restart .* — changed: stopped pid/)
    await settle()
    expect(seen).toEqual([])
  })
})
