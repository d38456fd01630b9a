// Docker Compose: when the repository's compose file runs this engine and a Docker engine
// answers, the service is `docker compose up -d --wait <service>`. Without a working engine
// (only the client, or none) the step falls back to the local binaries and says why.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import type { Exec } from '../define.js'
import type { ServiceConfig } from './config.js'

const composeFiles = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']
const images: Record<string, RegExp> = {
  postgres: /(^|\/)(postgres|postgis)(:|$)/,
  redis: /(^|\/)(redis|valkey)(:|$)/,
  mysql: /(^|\/)(mysql|mariadb|percona-server)(:|$)/,
}

export interface ComposeService {
  file: string
  service: string
}

/** The compose service that runs this engine (or the one `compose:` names), if the repository has one. */
export function composeServiceFor(root: string, cfg: ServiceConfig): ComposeService | undefined {
  if (cfg.compose === false) return undefined
  const file = composeFiles.map((f) => path.join(root, f)).find((f) => existsSync(f))
  if (!file) return undefined
  let services: Record<string, { image?: unknown }> = {}
  try {
    services = (parse(readFileSync(file, 'utf8')) as { services?: typeof services })?.services ?? {}
  } catch {
    return undefined
  }
  const names = Object.keys(services)
  const service =
    typeof cfg.compose === 'string'
      ? names.find((n) => n === cfg.compose)
      : names.find((n) => {
          const image = services[n]?.image
          return typeof image === 'string' && images[cfg.engine]!.test(image)
        })
  return service ? { file, service } : undefined
}

/** undefined when a Docker engine answers; else why not, in a few words. */
export async function dockerProblem(exec: Exec): Promise<string | undefined> {
  try {
    const info = await exec(['docker', 'info', '--format', '{{.ServerVersion}}'], {
      reject: false,
      timeoutMs: 10_000,
    })
    if (info.exitCode === 0) return undefined
    const line = info.all.split('\n').find((l) => /error|cannot|denied/i.test(l)) ?? `exit ${info.exitCode}`
    return `Docker is not running here (docker info: ${line.trim().slice(0, 120)})`
  } catch {
    return 'Docker is not installed here'
  }
}

const base = (c: ComposeService) => ['docker', 'compose', '-f', c.file]

export async function composeRunning(exec: Exec, c: ComposeService): Promise<boolean> {
  const ps = await exec([...base(c), 'ps', '--status', 'running', '--services'], {
    reject: false,
    cwd: path.dirname(c.file),
  })
  return ps.exitCode === 0 && ps.stdout.split('\n').some((l) => l.trim() === c.service)
}

/** Starts the service and waits until it is running (healthy, when it has a health check). */
export async function composeUp(exec: Exec, c: ComposeService): Promise<void> {
  await exec([...base(c), 'up', '-d', '--wait', c.service], { cwd: path.dirname(c.file) })
}

export async function composeStop(exec: Exec, c: ComposeService): Promise<void> {
  await exec([...base(c), 'stop', c.service], { cwd: path.dirname(c.file) })
}
