// apt (Debian, Ubuntu and their derivatives): the check asks dpkg's own database.
import type { Exec } from '../define.js'
import { aptListsStaleness, type Machine } from './machine.js'
import type { Manager, Missing } from './manager.js'

/** `name`, `name:arch`, `name=version`, `name:arch=version` or `name/release`, as apt-get accepts them. */
export const aptSpecPattern =
  /^([a-z0-9][a-z0-9+.-]*)(?::([a-z0-9][a-z0-9-]*))?(?:=([A-Za-z0-9.+~:-]+)|\/([A-Za-z0-9.+~-]+))?$/

export interface AptSpec {
  name: string
  arch?: string
  version?: string
  release?: string
}

export function parseAptSpec(spec: string): AptSpec | undefined {
  const match = aptSpecPattern.exec(spec)
  if (!match) return undefined
  const [, name, arch, version, release] = match
  return { name: name!, arch, version, release }
}

interface DpkgEntry {
  name: string
  arch: string
  version: string
  installed: boolean
}

export const apt: Manager = {
  key: 'apt',
  namePattern: aptSpecPattern,
  nameHint: 'an apt package: name, name:arch, name=version or name/release (lower case)',
  needsRoot: true,
  env: { DEBIAN_FRONTEND: 'noninteractive' },

  unavailable(machine: Machine) {
    const debianLike = machine.osIds.some((id) => id === 'debian' || id === 'ubuntu')
    if (!debianLike) return `not a Debian/Ubuntu machine (${machine.osLabel})`
    if (!machine.which('dpkg-query') || !machine.which('apt-get')) return 'dpkg-query/apt-get not on PATH'
    return undefined
  },

  async missing(specs: string[], exec: Exec): Promise<Missing[]> {
    const parsed = specs.map((spec) => ({ spec, ...parseAptSpec(spec)! }))
    // One dpkg-query for the whole list. Status is "want error state": only the state word
    // `installed` counts — "deinstall ok config-files" is a removed package whose config remains.
    const result = await exec(
      [
        'dpkg-query',
        '-W',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
        '--showformat=${Package}\\t${Architecture}\\t${Version}\\t${Status}\\n',
        ...parsed.map((p) => (p.arch ? `${p.name}:${p.arch}` : p.name)),
      ],
      { reject: false },
    )
    // Exit 1 only means "some pattern matched nothing"; anything else is dpkg itself failing.
    if (result.exitCode > 1) throw new Error(`dpkg-query failed: ${result.stderr.trim() || result.exitCode}`)
    const entries: DpkgEntry[] = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', arch = '', version = '', status = ''] = line.split('\t')
        return { name, arch, version, installed: status.trim().split(/\s+/).at(-1) === 'installed' }
      })
    return parsed.flatMap(({ spec, name, arch, version }): Missing[] => {
      const installed = entries.filter(
        (e) => e.installed && e.name === name && (!arch || e.arch === arch || e.arch === 'all'),
      )
      if (installed.length === 0) return [{ spec, label: spec }]
      if (version && !installed.some((e) => e.version === version)) {
        return [{ spec, label: `${name} (${installed[0]!.version} installed, recipe wants ${version})` }]
      }
      return []
    })
  },

  // --no-remove: with -y, apt would silently remove whatever conflicts (sysvinit-core takes
  // systemd's friends with it); a recipe must never uninstall anything, so apt must refuse.
  installArgs: (specs) => ['apt-get', 'install', '-y', ...specs, '--no-remove'],

  async prepare() {
    const stale = await aptListsStaleness()
    return stale ? { args: ['apt-get', 'update'], why: stale } : undefined
  },
}
