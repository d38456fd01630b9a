import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { displayPath, repoStateDir, stateHome } from '../../src/engine/state-dir.js'

describe('repoStateDir', () => {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'devsetup-state-dir-')))

  it('is <XDG_STATE_HOME or ~/.local/state>/devsetup/<folder>-<hash>, or under DEVSETUP_STATE_DIR', () => {
    const ann = 1000
    expect(stateHome({ HOME: '/home/ann' }, ann)).toBe('/home/ann/.local/state/devsetup')
    expect(stateHome({ HOME: '/home/ann', XDG_STATE_HOME: '/var/state' }, ann)).toBe('/var/state/devsetup')
    // A relative XDG_STATE_HOME is invalid by the spec: ignored.
    expect(stateHome({ HOME: '/home/ann', XDG_STATE_HOME: 'rel' }, ann)).toBe(
      '/home/ann/.local/state/devsetup',
    )
    expect(stateHome({ HOME: '/home/ann', DEVSETUP_STATE_DIR: '/tmp/s' }, ann)).toBe('/tmp/s')
    // root's home is closed to the postgres user a service runs as.
    expect(stateHome({ HOME: '/root' }, 0)).toBe('/var/lib/devsetup')
    const dir = repoStateDir('/work/app', { HOME: '/home/ann' }, ann)
    expect(dir).toMatch(/^\/home\/ann\/\.local\/state\/devsetup\/app-[0-9a-f]{12}$/)
  })

  it('keeps two clones with the same folder name apart, and a symlinked path is the same repository', () => {
    const a = path.join(base, 'one', 'app')
    const b = path.join(base, 'two', 'app')
    mkdirSync(a, { recursive: true })
    mkdirSync(b, { recursive: true })
    symlinkSync(a, path.join(base, 'link'))
    const env = { DEVSETUP_STATE_DIR: '/s' }
    expect(repoStateDir(a, env)).not.toBe(repoStateDir(b, env))
    expect(repoStateDir(path.join(base, 'link'), env)).toBe(repoStateDir(a, env))
  })

  it('shows paths relative inside the repository, with ~ under home, else absolute', () => {
    const env = { HOME: '/home/ann' }
    expect(displayPath('/work/app/tmp/server.log', '/work/app', env)).toBe('tmp/server.log')
    expect(displayPath('/home/ann/.local/state/devsetup/x/server.log', '/work/app', env)).toBe(
      '~/.local/state/devsetup/x/server.log',
    )
    expect(displayPath('/tmp/s/x/server.log', '/work/app', env)).toBe('/tmp/s/x/server.log')
  })
})
