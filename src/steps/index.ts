// The explicit registry of step types. A recipe's type keys are looked up here;
// adding a step type means adding its file and one line below.
import { cleanup } from './cleanup.js'
import { database } from './database.js'
import type { AnyStepType } from './define.js'
import { dependencies } from './dependencies.js'
import { dotenv } from './dotenv.js'
import { packages } from './packages.js'
import { restart } from './restart.js'
import { run } from './run.js'
import { runtime } from './runtime.js'
import { service } from './service.js'

const all: AnyStepType[] = [cleanup, database, dependencies, dotenv, packages, restart, run, runtime, service]

export const stepTypes: ReadonlyMap<string, AnyStepType> = new Map(all.map((t) => [t.type, t]))
