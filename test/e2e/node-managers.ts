// Shared by the tests that run the real yarn and pnpm on a machine without them: a PATH of
// chosen programs only, the environment corepack needs here, and a yarn release as a
// repository commits it.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { tempRepo } from '../helpers.js'

export const registry = 'https://registry.npmjs.org'

const which = (name: string) =>
  spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()

/** A folder of symlinks to the given programs, as this machine has them. */
export function binFolder(programs: string[]): string {
  const bin = tempRepo({}, { git: false })
  for (const program of programs) symlinkSync(which(program), path.join(bin, program))
  return bin
}

/** Only these programs on PATH, and corepack sent to what this machine can reach. */
export function managerEnv(bin: string, corepackHome: string): Record<string, string> {
  return {
    PATH: bin,
    COREPACK_HOME: corepackHome,
    // yarn 2+ is fetched from repo.yarnpkg.com unless corepack is sent to the npm registry.
    COREPACK_NPM_REGISTRY: registry,
    // This machine's registry serves packuments without npm's signatures, which corepack checks.
    COREPACK_INTEGRITY_KEYS: '0',
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_GLOBAL_CACHE: 'false',
    // yarn 1 keys its cache by name and version: another test's native-thing@1.0.0 would be reused.
    YARN_CACHE_FOLDER: path.join(corepackHome, 'yarn-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  }
}

/** Commits yarn's own bundle (from the npm registry) into `dir` as .yarn/releases/yarn-<version>.cjs. */
export function commitYarnRelease(dir: string, version: string): void {
  const download = tempRepo({}, { git: false })
  const packed = spawnSync(
    'npm',
    [
      'pack',
      `@yarnpkg/cli-dist@${version}`,
      '--silent',
      '--registry',
      registry,
      '--pack-destination',
      download,
    ],
    { cwd: download, encoding: 'utf8' },
  )
  expect(packed.status, packed.stderr).toBe(0)
  const tgz = readdirSync(download).find((f) => f.endsWith('.tgz'))!
  expect(spawnSync('tar', ['xzf', tgz], { cwd: download }).status).toBe(0)
  mkdirSync(path.join(dir, '.yarn/releases'), { recursive: true })
  copyFileSync(
    path.join(download, 'package/bin/yarn.js'),
    path.join(dir, `.yarn/releases/yarn-${version}.cjs`),
  )
}
