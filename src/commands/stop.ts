// `devsetup stop`: stops the servers `service` steps started for this repository and the dev
// server a `restart` step started (all found in its state folder, so a recipe edited since still
// stops them), and nothing else: a server someone started by hand is left alone. Data is kept.
import path from 'node:path'
import chalk from 'chalk'
import { definedEnv } from '../engine/context.js'
import { createExec } from '../engine/exec.js'
import { ExitCode as Exit, type ExitCode } from '../errors.js'
import { findRecipe } from '../recipe/load.js'
import {
  findServer,
  readRecord as readServerRecord,
  serverFiles,
  stopServer,
} from '../steps/restart/server.js'
import { composeStop } from '../steps/service/compose.js'
import { stopMysql } from '../steps/service/mysql.js'
import { readRecord, recordedEngines, serviceDir } from '../steps/service/paths.js'
import { stopPostgres } from '../steps/service/postgres.js'
import { stopRedis } from '../steps/service/redis.js'
import { type CommonOptions, type Output, processOutput } from './options.js'

export interface StopOptions extends CommonOptions {
  signal?: AbortSignal
}

export async function stop(options: StopOptions): Promise<ExitCode> {
  const output: Output = options.output ?? processOutput
  const root = path.dirname(findRecipe(options.cwd, options.recipe))
  const env = definedEnv(options.env ?? process.env)
  const exec = createExec({
    cwd: root,
    env: () => env,
    signal: options.signal ?? new AbortController().signal,
  })
  const results: Stopped[] = []
  for (const engine of recordedEngines(root, env)) {
    const dir = serviceDir(root, env, engine)
    const record = readRecord(dir)
    if (record?.compose) {
      await composeStop(exec, record.compose)
      results.push({
        service: `${engine} (docker compose ${record.compose.service})`,
        stopped: true,
        data: record.compose.file,
      })
      continue
    }
    const stopped =
      engine === 'postgres'
        ? await stopPostgres(dir, record?.bin, env, exec)
        : engine === 'mysql'
          ? await stopMysql(dir)
          : await stopRedis(dir)
    results.push({ service: engine, stopped, data: dir })
  }
  const server = await stopDevServer(root)
  if (server) results.push(server)
  if (options.json) {
    output.out(JSON.stringify({ repository: root, services: results }))
    return Exit.ok
  }
  if (results.length === 0) output.out('nothing devsetup started runs for this repository')
  for (const r of results)
    output.out(
      r.stopped
        ? `${chalk.green('■')} ${r.service} stopped (${r.log ? `its log: ${r.log}` : `data kept in ${r.data}`})`
        : `${chalk.dim('·')} ${r.service} was not running`,
    )
  return Exit.ok
}

/** The dev server a restart step started, when devsetup's own record proves it is ours. */
interface Stopped {
  service: string
  stopped: boolean
  /** Where its data is (a service's folder, a compose file). */
  data: string
  /** The dev server's log, outside the repository. */
  log?: string
}

async function stopDevServer(root: string): Promise<Stopped | undefined> {
  const files = serverFiles(root, root, undefined, undefined)
  const record = readServerRecord(files)
  if (!record) return undefined
  const { running } = await findServer({ ...files, start: record.command })
  const ours = running.filter((r) => r.ours)
  const service = `dev server (${record.command})`
  const found = { service, data: files.recordFile, log: record.log }
  if (ours.length === 0) return { ...found, stopped: false }
  await stopServer(ours, files, 10_000)
  return { ...found, stopped: true }
}
