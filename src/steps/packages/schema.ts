// The `packages` step's config (src/steps/packages.ts): package names per manager, each checked by that manager's name rules.
import * as z from 'zod'
import { relativePath } from '../../recipe/schema.js'
import { apt } from './apt.js'
import { brew } from './brew.js'
import type { Manager } from './manager.js'
import { apk, dnf, pacman, yum, zypper } from './system.js'

function nameList(manager: Manager) {
  const name = z
    .string()
    .regex(manager.namePattern, `expected ${manager.nameHint} (no options, globs or spaces)`)
  return z
    .union([name.transform((n) => [n]), z.array(name)])
    .optional()
    .describe(`Packages installed with ${manager.key} where it is a manager of this machine`)
}

export const schema = z
  .strictObject({
    brew: nameList(brew),
    brewfile: relativePath
      .transform((file) => [file])
      .optional()
      .describe('A Brewfile for `brew bundle`, relative to the step cwd'),
    apt: nameList(apt),
    dnf: nameList(dnf),
    yum: nameList(yum),
    zypper: nameList(zypper),
    pacman: nameList(pacman),
    apk: nameList(apk),
  })
  .refine((cfg) => Object.values(cfg).some((list) => list !== undefined), {
    message: 'list packages for at least one manager: brew, brewfile, apt, dnf, yum, zypper, pacman or apk',
  })
  .describe('System packages per package manager, e.g. { brew: [postgresql@16], apt: [libpq-dev] }')
