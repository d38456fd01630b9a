// Evaluates a step's `if:`. Returns why the step is skipped, or undefined when it applies.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Condition } from '../recipe/types.js'

export interface Platform {
  platform: string
  arch: string
  env: Readonly<Record<string, string | undefined>>
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
    return `platform is ${host.platform}, step wants ${condition.platform.join(' or ')}`
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
