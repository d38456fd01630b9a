// This project as npm would deliver it: the packed tarball, and a tiny local registry that serves
// it under its package name, so `npx --yes repo-devsetup@0.1` resolves to THIS build without the
// public registry (where the name is not published yet, and the bare `devsetup` is another package).
// A pre-seeded `npm cache add <tarball>` is not enough: it stores the tarball, not the packument
// npx needs to resolve `@0.1`, so offline npx fails with ENOTCACHED.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { repoRoot } from '../helpers.js'

export interface PackedPackage {
  name: string
  version: string
  tarball: string
}

/** `npm pack` of the working tree (the built dist/cli.js; no build here: tests run against it). */
export function packProject(): PackedPackage {
  const dir = mkdtempSync(path.join(tmpdir(), 'devsetup-pack-'))
  const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`)
  const [info] = JSON.parse(packed.stdout) as { name: string; version: string; filename: string }[]
  if (!info) throw new Error(`npm pack printed nothing: ${packed.stdout}`)
  return { name: info.name, version: info.version, tarball: path.join(dir, info.filename) }
}

export interface LocalRegistry {
  url: string
  /** Every path requested, in order. */
  requests: string[]
  close: () => Promise<void>
}

/** A registry on 127.0.0.1 serving one package: its packument and its tarball; 404 for the rest. */
export async function startLocalRegistry(pkg: PackedPackage): Promise<LocalRegistry> {
  const tgz = readFileSync(pkg.tarball)
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
  const tarballPath = `/${pkg.name}/-/${path.basename(pkg.tarball)}`
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '')
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    if (req.url === `/${pkg.name}`) {
      res.setHeader('content-type', 'application/json')
      const dist = {
        tarball: `${base}${tarballPath}`,
        integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
        shasum: createHash('sha1').update(tgz).digest('hex'),
      }
      const version = {
        name: pkg.name,
        version: pkg.version,
        bin: manifest.bin,
        engines: manifest.engines,
        dist,
      }
      res.end(
        JSON.stringify({
          name: pkg.name,
          'dist-tags': { latest: pkg.version },
          versions: { [pkg.version]: version },
        }),
      )
    } else if (req.url === tarballPath) {
      res.setHeader('content-type', 'application/octet-stream')
      res.end(tgz)
    } else {
      res.statusCode = 404
      res.end('{"error":"not found"}')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

export interface NpmEnv {
  env: Record<string, string>
  cache: string
}

/**
 * For a test file: packs the project before its tests and serves it from a local registry until
 * they end. `freshNpm()` gives npm settings that send every lookup there, with an empty cache of
 * their own (a shared cache would already hold the tarball, hiding whether npx fetched it).
 */
export function servePackedProject(): {
  served: { pkg: PackedPackage; registry: LocalRegistry }
  freshNpm: () => NpmEnv
} {
  const served = {} as { pkg: PackedPackage; registry: LocalRegistry }
  const temp: string[] = []
  beforeAll(async () => {
    served.pkg = packProject()
    temp.push(path.dirname(served.pkg.tarball))
    served.registry = await startLocalRegistry(served.pkg)
  })
  afterAll(async () => {
    await served.registry?.close()
    for (const dir of temp) rmSync(dir, { recursive: true, force: true })
  })
  const freshNpm = (): NpmEnv => {
    const cache = mkdtempSync(path.join(tmpdir(), 'devsetup-npm-cache-'))
    temp.push(cache)
    return {
      cache,
      env: {
        npm_config_registry: served.registry.url,
        npm_config_cache: cache,
        npm_config_update_notifier: 'false',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      },
    }
  }
  return { served, freshNpm }
}
