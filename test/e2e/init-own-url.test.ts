// The app's own URL left empty in its example env (outline's `URL=`), which its env validator
// refuses empty: init sets it to the dev server's URL, naming the validator's line, and `up`
// brings the app to a running server with no edit. A key no validator requires stays as the
// example has it. Real processes: the built CLI, a node server that refuses an empty URL.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli, tempRepo } from '../helpers.js'
import { freePort, killServersAfterwards } from './restart/servers.js'

// Only read by init: outline's server/env.ts, in its shape (class-validator decorators above
// each property; COLLABORATION_URL is optional and falls back to URL).
const envSchema = `import { IsNotEmpty, IsOptional, IsUrl } from "class-validator";
export class Environment {
  /**
   * The fully qualified, external facing domain name of the server.
   */
  @IsNotEmpty()
  @IsUrl({
    require_tld: false,
  })
  public URL = (process.env.URL ?? "").replace(/\\/$/, "");

  @IsUrl({ require_tld: false })
  @IsOptional()
  public COLLABORATION_URL = process.env.COLLABORATION_URL || this.URL;
}
`

// Run by `up`: refuses to boot on an empty URL, as outline's validator does, then answers with it.
const server = `const url = process.env.URL
if (!url) {
  console.error('Environment configuration is invalid: URL should not be empty')
  process.exit(1)
}
require('node:http').createServer((req, res) => res.end(url)).listen(Number(process.env.PORT), '127.0.0.1')
`

describe('init: the app’s own URL, empty in the example and required', () => {
  it('is set to the dev server’s URL with the validator’s file:line, and up reaches a running app', async () => {
    const port = await freePort()
    const dir = tempRepo({
      'package.json': JSON.stringify({
        name: 'app',
        private: true,
        scripts: { dev: 'node --env-file=.env server/index.js' },
      }),
      '.env.sample': `PORT=${port}\n\n# The public URL of the app.\nURL=\n# For normal operation this does not need to be set.\nCOLLABORATION_URL=\nSITE_URL=\n`,
      'server/env.ts': envSchema,
      'server/index.js': server,
    })
    killServersAfterwards(dir)
    const init = await runCli(['init'], { cwd: dir })
    expect(init.code, init.stdout + init.stderr).toBe(0)
    const recipe = parse(readFileSync(path.join(dir, 'devsetup.yml'), 'utf8'))
    const dotenv = recipe.steps.find((s: Record<string, unknown>) => 'dotenv' in s).dotenv
    // COLLABORATION_URL (optional) and SITE_URL (no validator) are left as the example has them.
    // The port follows PORT, as the server's and the health check's do (PORT=… devsetup moves all three).
    expect(dotenv.set).toEqual({ URL: `http://127.0.0.1:\${PORT:-${port}}` })
    expect(init.stdout).toContain(
      `URL=http://127.0.0.1:\${PORT:-${port}} in the new .env: .env.sample:4 leaves it empty, server/env.ts:10 requires it`,
    )
    const up = await runCli(['up'], { cwd: dir, timeoutMs: 120_000 })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`http://127.0.0.1:${port}`)
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toMatch(/^COLLABORATION_URL=$/m)
  })
})
