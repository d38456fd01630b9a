// The `dependencies` step's config (src/steps/dependencies.ts): a manager name, or options.
import * as z from 'zod'
import { relativePath } from '../../recipe/schema.js'
import { type ManagerName, managerNames } from './managers.js'

const managerName = z.enum(managerNames)

const options = z
  .strictObject({
    manager: managerName
      .optional()
      .describe('The package manager; detected from lockfiles and manifests when absent'),
    cwd: relativePath
      .optional()
      .describe('Folder to install in, relative to the step cwd (the same as the step-level `cwd`)'),
    requirements: z
      .union([relativePath, z.array(relativePath).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe(
        'pip: requirements file(s); default requirements.txt, else the project itself (pip install -e .)',
      ),
    frozen: z
      .boolean()
      .optional()
      .describe('false: the plain install (npm install) even where a lockfile exists; default true (npm ci)'),
  })
  .superRefine((value, ctx) => {
    if (value.requirements && value.manager && value.manager !== 'pip') {
      ctx.addIssue({
        code: 'custom',
        path: ['requirements'],
        message: `only for \`manager: pip\`; this step's manager is ${value.manager}`,
        input: undefined,
      })
    }
  })

export interface DependenciesConfig {
  manager: ManagerName | undefined
  cwd: string | undefined
  requirements: string[] | undefined
  frozen: boolean
}

export const schema = z
  .union([managerName, options])
  .nullish()
  .transform(
    (v): DependenciesConfig =>
      v == null
        ? { manager: undefined, cwd: undefined, requirements: undefined, frozen: true }
        : typeof v === 'string'
          ? { manager: v, cwd: undefined, requirements: undefined, frozen: true }
          : {
              manager: v.manager ?? (v.requirements ? 'pip' : undefined),
              cwd: v.cwd,
              requirements: v.requirements,
              frozen: v.frozen ?? true,
            },
  )
