// What the self-install tests share: a folder of their own (devsetup's cache, npm's cache, and a
// bin folder holding only the machine's npm), and the environment of a machine without a
// version manager, where devsetup installs node itself.
import { spawnSync } from 'node:child_process'
import { mkdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { tempRepo } from '../helpers.js'

export const systemPath = '/usr/bin:/bin'
export const realNpm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim()

export function selfInstallFolders() {
  const shared = tempRepo({}, { git: false })
  const cacheDir = path.join(shared, 'devsetup-cache')
  const npmBin = path.join(shared, 'npm-bin')
  mkdirSync(npmBin)
  if (realNpm) symlinkSync(realNpm, path.join(npmBin, 'npm'))
  /** No version manager anywhere: its own HOME, the system PATH plus npm. */
  const env = (home: string, extra: Record<string, string> = {}, firstOnPath: string[] = []) => ({
    HOME: home,
    PATH: [...firstOnPath, npmBin, systemPath].join(':'),
    NVM_DIR: undefined,
    VOLTA_HOME: undefined,
    ASDF_DIR: undefined,
    DEVSETUP_CACHE_DIR: cacheDir,
    npm_config_cache: path.join(shared, 'npm-cache'),
    npm_config_fetch_retries: '0',
    ...extra,
  })
  return { shared, cacheDir, npmBin, env }
}
