// The `restart` step's keys: what it does (touch, command, pidfile + signal, start), how it
// knows the server is up (health), and which changes it follows (when, after).
import { constants } from 'node:os'
import * as z from 'zod'
import { parseDuration } from '../../recipe/duration.js'
import { durationInput, relativePath } from '../../recipe/schema.js'

const duration = (fallback: string) =>
  durationInput('30s or 2m', { zero: true })
    .default(fallback)
    .transform((v) => parseDuration(v)!)

const signal = z
  .string()
  .transform((v) => (v.toUpperCase().startsWith('SIG') ? v.toUpperCase() : `SIG${v.toUpperCase()}`))
  .refine((v) => v in constants.signals, { message: 'not a signal name (TERM, HUP, USR1, USR2, ...)' })

const healthMessage = 'expected an http(s):// URL or tcp://host:port'
const health = z.string().superRefine((v, ctx) => {
  try {
    const url = new URL(v)
    if (['http:', 'https:'].includes(url.protocol) || (url.protocol === 'tcp:' && url.port !== '')) return
  } catch {
    // `http://127.0.0.1:99999/` (a PORT=99999 in .env) is no URL: say which part is wrong.
    const port = /^[a-z]+:\/\/[^/:]+:(\d+)/i.exec(v)?.[1]
    if (port !== undefined && Number(port) > 65535) {
      ctx.addIssue({ code: 'custom', message: `its port ${port} is out of range (1–65535)` })
      return
    }
  }
  ctx.addIssue({ code: 'custom', message: healthMessage })
})

const httpStatus = z.number().int().min(100).max(599)

export const schema = z
  .strictObject({
    touch: relativePath.optional().describe('A file whose mtime the server watches (tmp/restart.txt)'),
    command: z.string().min(1).optional().describe('A command that restarts the server (pm2 restart api)'),
    pidfile: relativePath.optional().describe("The server's pidfile; signalled, or stopped then started"),
    signal: signal
      .optional()
      .describe("Signal sent to the pidfile's process (USR2); default: stop, then `start`"),
    start: z.string().min(1).optional().describe('Starts the server when it is not running (detached)'),
    health: health
      .optional()
      .describe(
        'A URL that must answer with a status below 500 (a 302 to a setup page is up), or tcp://host:port, after the restart',
      ),
    health_status: z
      .union([httpStatus, z.array(httpStatus).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe('The status (or statuses) `health` must answer instead of any status below 500'),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe(
        'The port the server listens on; default: the port of a local `health` URL, else `-p`/`--port N` in `start`, else PORT set by the recipe',
      ),
    when: z.enum(['changed', 'always']).default('changed').describe('changed (default): only after changes'),
    after: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe(
        'Restart only after these steps changed (ids); default: every step whose changes need a restart',
      ),
    log: relativePath
      .optional()
      .describe(
        "Where a started server writes its output (default: server.log in devsetup's state folder, outside the repository)",
      ),
    app_log: relativePath
      .optional()
      .describe(
        "The file the app writes its own output to, when not to the start's output (NodeBB's logs/output.log): failure reports quote it",
      ),
    env_files: z
      .union([relativePath, z.array(relativePath).min(1)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional()
      .describe(
        "Env files the server loads besides the dotenv steps' `to` (configs/.env, .env.development): a value changed there restarts it",
      ),
    health_timeout: duration('30s').describe('How long to wait for `health` (default 30s)'),
    stop_timeout: duration('10s').describe('SIGTERM grace before SIGKILL (default 10s)'),
  })
  .superRefine((cfg, issue) => {
    const actions = (['touch', 'command', 'pidfile', 'start'] as const).filter((k) => cfg[k] !== undefined)
    if (actions.length === 0)
      issue.addIssue({
        code: 'custom',
        message: 'needs one of `touch`, `command`, `pidfile` or `start`',
        path: [],
      })
    if (cfg.touch && cfg.command)
      issue.addIssue({ code: 'custom', message: 'give `touch` or `command`, not both', path: ['command'] })
    if (cfg.health_status && !cfg.health?.startsWith('http'))
      issue.addIssue({
        code: 'custom',
        message: '`health_status` needs an http(s):// `health` URL',
        path: ['health_status'],
      })
    if (cfg.signal && !cfg.pidfile)
      issue.addIssue({
        code: 'custom',
        message: '`signal` needs the `pidfile` of the process to signal',
        path: ['signal'],
      })
    // What the files said is kept in the record of the server devsetup starts; a server
    // restarted by touch, command or signal alone has no such record to compare with.
    if (cfg.env_files && !cfg.start)
      issue.addIssue({
        code: 'custom',
        message:
          '`env_files` needs `start`: devsetup compares them with what they said when it started the server',
        path: ['env_files'],
      })
    if (cfg.pidfile && !cfg.signal && !cfg.touch && !cfg.command && !cfg.start)
      issue.addIssue({
        code: 'custom',
        message: '`pidfile` alone can stop the server but not start it again: add `start` or `signal`',
        path: ['pidfile'],
      })
  })
  // The rules above, as JSON Schema says them (for editors: src/recipe/json-schema.ts).
  .meta({
    anyOf: [
      { required: ['touch'] },
      { required: ['command'] },
      { required: ['start'] },
      { required: ['signal'] },
    ],
    not: { required: ['touch', 'command'] },
    dependentRequired: { signal: ['pidfile'], health_status: ['health'], env_files: ['start'] },
  })

export type RestartConfig = z.output<typeof schema>
