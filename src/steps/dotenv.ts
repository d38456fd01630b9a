// `dotenv`: the `cp .env.example .env` of a bin/setup, made safe to repeat. The target gets
// every key of the example; a key it lacks is appended with the example's value and
// comment. An existing line is never changed or removed, so a developer's values survive.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as z from 'zod'
import { UserError } from '../errors.js'
import { relativePath } from '../recipe/schema.js'
import { type CheckResult, defineStepType } from './define.js'
import { appendixFor, missingKeys, newFileFrom, requiredKeys } from './dotenv/merge.js'
import { type DotenvFile, parseDotenv } from './dotenv/parse.js'

const envFile = relativePath.refine((p) => p.trim() !== '' && !/[\\/]$/.test(p), {
  message: 'must be a file path (relative to the step cwd)',
})
const keyName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'not a variable name')

const defaults = { from: '.env.example', to: '.env' }

const objectForm = z
  .strictObject({
    from: envFile.optional().describe('The example file to copy keys from (default .env.example)'),
    to: envFile.optional().describe('The file to create or complete (default .env)'),
    generate: z
      .union([keyName, z.array(keyName)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe('Keys that get a random secret (128 hex characters) when missing, e.g. SECRET_KEY_BASE'),
  })
  .superRefine((cfg, ctx) => {
    if (path.normalize(cfg.from ?? defaults.from) === path.normalize(cfg.to ?? defaults.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must differ from `from`' })
    }
  })

const schema = z
  .union([z.undefined(), envFile, objectForm])
  .transform((v) => {
    const cfg = typeof v === 'string' ? { from: v } : (v ?? {})
    return { from: cfg.from ?? defaults.from, to: cfg.to ?? defaults.to, generate: cfg.generate ?? [] }
  })
  .describe('Create the .env file from its example, or add the keys it lacks (a string: the example)')

export const dotenv = defineStepType({
  type: 'dotenv',
  description: 'create .env from .env.example, or append the keys it lacks; never changes a line',
  form: 'nested',
  schema,
  title: (cfg) => `Env file ${cfg.to} from ${cfg.from}`,

  async check(cfg, ctx): Promise<CheckResult> {
    const example = await readEnvFile(ctx.cwd, cfg.from)
    if (!example) {
      return {
        met: false,
        reason: `${cfg.from} not found`,
        fix: `add ${cfg.from} to the repository, or point \`from:\` at the example file`,
      }
    }
    const target = await readEnvFile(ctx.cwd, cfg.to)
    const required = requiredKeys(example, cfg.generate)
    if (!target) return { met: false, reason: `${cfg.to} missing (${plural(required.length, 'key')} to set)` }
    const missing = missingKeys(target, example, cfg.generate)
    if (missing.length > 0) return { met: false, reason: `${cfg.to} lacks ${listKeys(missing)}` }
    return { met: true, reason: `${cfg.to} has all ${plural(required.length, 'key')} of ${cfg.from}` }
  },

  async run(cfg, ctx) {
    const example = await readEnvFile(ctx.cwd, cfg.from)
    if (!example) {
      throw new UserError(
        `${cfg.from} not found`,
        `add it to the repository, or point \`from:\` at the example file`,
      )
    }
    for (const line of example.invalidLines) {
      ctx.output(`${cfg.from}:${line}: not KEY=value, not copied`)
    }
    const targetPath = path.resolve(ctx.cwd, cfg.to)
    const target = await readEnvFile(ctx.cwd, cfg.to)
    if (!target) {
      const created = newFileFrom(example, cfg.generate)
      await mkdir(path.dirname(targetPath), { recursive: true })
      // 'wx': never replace a file that appeared since we looked; 0600: it holds secrets.
      await writeFile(targetPath, created.text, { flag: 'wx', mode: 0o600 })
      return {
        summary: `created ${cfg.to} from ${cfg.from} (${plural(created.added.length, 'key')}${generatedNote(created.generated)})`,
      }
    }
    const appendix = appendixFor(target, example, cfg.generate)
    if (appendix.added.length === 0) return { summary: `${cfg.to} already complete` }
    // Appending (not rewriting) keeps every existing byte, the file's mode and owner, and a symlinked .env.
    await appendFile(targetPath, appendix.text)
    return { summary: `added ${listKeys(appendix.added)} to ${cfg.to}${generatedNote(appendix.generated)}` }
  },
})

async function readEnvFile(cwd: string, file: string): Promise<DotenvFile | undefined> {
  try {
    return parseDotenv(await readFile(path.resolve(cwd, file), 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'EISDIR')
      throw new UserError(`${file} is a folder, not a .env file`, 'point the step at a file')
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`)
  }
}

function listKeys(keys: readonly string[], max = 6): string {
  if (keys.length <= max) return keys.join(', ')
  return `${keys.slice(0, max).join(', ')} and ${keys.length - max} more`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function generatedNote(generated: readonly string[]): string {
  return generated.length > 0 ? `; generated ${generated.join(', ')}` : ''
}
