// Evaluates a step's `if:`. Returns why the step is skipped, or undefined when it applies.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Condition } from '../recipe/types.js'

export interface Platform {
  platform: string
  arch: string
  env: Readonly<Record<string, string | undefined>>
}

// Node calls them darwin and win32; people (and the recipe's own aliases) say macos and windows.
const platformNames: Record<string, string> = { darwin: 'macos', win32: 'windows' }

/** The name a person knows a platform by: `macos`, not `darwin`. */
export function platformName(platform: string): string {
  return platformNames[platform] ?? platform
}

export function isCI(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}

export function skipReason(
  condition: Condition | undefined,
  root: string,
  host: Platform,
): string | undefined {
  if (!condition) return undefined
  if (condition.platform && !condition.platform.includes(host.platform)) {
    return `platform is ${platformName(host.platform)}, step wants ${condition.platform.map(platformName).join(' or ')}`
  }
  if (condition.arch && !condition.arch.includes(host.arch)) {
    return `arch is ${host.arch}, step wants ${condition.arch.join(' or ')}`
  }
  for (const [name, wanted] of Object.entries(condition.env ?? {})) {
    const value = host.env[name]
    if (wanted === true && !value) return `$${name} is not set`
    if (wanted !== true && value !== wanted)
      return `$${name} is ${value === undefined ? 'not set' : `"${value}"`}, step wants "${wanted}"`
  }
  if (condition.ci !== undefined && condition.ci !== isCI(host.env)) {
    return condition.ci ? 'not on CI' : 'on CI'
  }
  for (const file of condition.exists ?? []) {
    if (!existsSync(path.resolve(root, file))) return `${file} does not exist`
  }
  return undefined
}
