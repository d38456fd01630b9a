// Homebrew (macOS, and Linux where it is installed): formulae and casks by name, or a Brewfile.
import path from 'node:path'
import type { Exec } from '../define.js'
import { type Manager, type Missing, present } from './manager.js'

/** `brew list` prints a tapped formula (`user/tap/name`) under its short name. */
const shortName = (spec: string) => spec.slice(spec.lastIndexOf('/') + 1)

export const brew: Manager = {
  key: 'brew',
  namePattern: /^[A-Za-z0-9][A-Za-z0-9@._+/-]*$/,
  nameHint: 'a Homebrew formula or cask: name, name@version or user/tap/name',
  needsRoot: false,
  unavailable: present('brew'),

  async missing(specs: string[], exec: Exec): Promise<Missing[]> {
    // Prints "name version..." for each installed one; exits 1 when any is missing.
    const result = await exec(['brew', 'list', '--versions', ...specs], { reject: false })
    const installed = new Set(result.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0]))
    return specs.filter((spec) => !installed.has(shortName(spec))).map((spec) => ({ spec, label: spec }))
  },

  installArgs: (specs) => ['brew', 'install', ...specs],
}

export const brewfile: Manager = {
  key: 'brewfile',
  namePattern: /^[^-]/,
  nameHint: 'a path to a Brewfile',
  needsRoot: false,
  unavailable: present('brew'),

  async missing([file]: string[], exec: Exec, cwd: string): Promise<Missing[]> {
    const result = await exec(
      ['brew', 'bundle', 'check', '--no-upgrade', '--verbose', `--file=${path.resolve(cwd, file!)}`],
      {
        reject: false,
      },
    )
    if (result.exitCode === 0) return []
    // "→ Formula redis needs to be installed or updated." → "redis"
    const named = [...result.all.matchAll(/→ \w+ (\S+) needs to be installed/g)].map((m) => m[1]!)
    return [
      {
        spec: file!,
        label: named.length > 0 ? `${named.join(', ')} (from ${file})` : `${file} not satisfied`,
      },
    ]
  },

  installArgs: ([file], cwd) => [
    'brew',
    'bundle',
    'install',
    '--no-upgrade',
    `--file=${path.resolve(cwd, file!)}`,
  ],
}
