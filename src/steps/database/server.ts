// What the step needs from a database server, whatever the engine: is the database there,
// and create it. Drivers turn connection failures into a ServerProblem of a known kind, so
// the step can decide: start the server (unreachable), wait (starting), or stop with a fix.
import { DevsetupError } from '../../errors.js'
import type { ServerTarget } from './target.js'

export type Presence = { exists: true; identity: string | undefined } | { exists: false }

export interface ServerDriver {
  /** Connects to the database itself; throws a ServerProblem when it cannot. */
  probe(): Promise<Presence>
  /** CREATE DATABASE; resolves false when it already existed (someone else was faster). */
  create(): Promise<boolean>
  /** Creates the missing login role the target names (PostgreSQL); a description when it did. */
  createRole?(): Promise<string | undefined>
  /** Connects to the database itself and hands `fn` a reader of its tables (closed after). */
  read<T>(fn: (reader: DatabaseReader) => Promise<T>): Promise<T>
}

export type Row = Record<string, unknown>

/** A table of the database; `schema` only where the engine has schemas (PostgreSQL). */
export interface Table {
  schema?: string
  name: string
  columns: string[]
}

/** Read-only access to what the migration tool recorded in the database. */
export interface DatabaseReader {
  /** Every table of the database with its columns (PostgreSQL: search_path's schemas first). */
  tables(): Promise<Table[]>
  /** All rows of `table`, only `columns`. */
  rows(table: Table, columns: readonly string[]): Promise<Row[]>
}

export type ProblemKind = 'unreachable' | 'starting' | 'auth' | 'denied' | 'other'

export class ServerProblem extends DevsetupError {
  readonly kind: ProblemKind
  constructor(kind: ProblemKind, message: string, hint?: string) {
    super(message, hint === undefined ? {} : { hint })
    this.kind = kind
  }
}

/** A server that refused the connection or is still starting: worth waiting for (or starting). */
export function isWaitable(error: unknown): error is ServerProblem & { kind: 'unreachable' | 'starting' } {
  return error instanceof ServerProblem && (error.kind === 'unreachable' || error.kind === 'starting')
}

export function address(target: ServerTarget): string {
  return target.host.startsWith('/') ? `${target.host} (socket)` : `${target.host}:${target.port}`
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  ENOENT: 'no socket file',
}

/** A network-level failure ("connection refused"), or undefined when the server did answer. */
export function networkFailure(error: unknown): string | undefined {
  const err = error as { code?: string; errors?: { code?: string }[]; message?: string }
  // Node tries every address of "localhost" (::1, 127.0.0.1) and reports an AggregateError.
  const code = err?.code ?? err?.errors?.find((e) => e.code)?.code
  if (code && networkCodes[code]) return networkCodes[code]
  if (/timeout|timed out/i.test(err?.message ?? '')) return 'connection timed out'
  if (/Connection terminated unexpectedly/i.test(err?.message ?? '')) return 'connection closed by the server'
  return undefined
}

// No version in the examples: the machine's own (Debian 12 has PostgreSQL 15, others 16, 17).
const startExamples = {
  postgres: '`start: sudo service postgresql start` or `start: brew services start postgresql`',
  mysql: '`start: sudo service mariadb start` or `start: brew services start mysql`',
}

export function unreachable(target: ServerTarget, why: string): ServerProblem {
  const engine = target.engine === 'postgres' ? 'postgres' : 'mysql'
  return new ServerProblem(
    'unreachable',
    `cannot connect to ${target.engine === 'postgres' ? 'PostgreSQL' : 'MySQL'} at ${address(target)}: ${why}`,
    `add \`- service: ${engine}\` before this step (the repository's own server, which devsetup starts), or start yours, or add \`start:\` to the database step (e.g. ${startExamples[target.engine]})`,
  )
}
