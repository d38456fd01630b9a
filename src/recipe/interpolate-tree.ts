// Applies ${VAR} interpolation to every string value of the recipe's YAML tree, in place,
// so that an undefined variable is reported at the exact scalar that uses it. A step after a
// dotenv step also reads the env files that step manages (env-file-scope.ts).
import { isMap, isScalar, isSeq, type Node, visit, type YAMLMap } from 'yaml'
import { noteSecretEnv, noteSecretsIn } from '../engine/mask.js'
import type { RecipeProblem } from '../errors.js'
import {
  type DotenvSchema,
  type DotenvStepAt,
  dotenvStepAt,
  type EnvFileReads,
  lookUpEnvFiles,
  whereLookedFor,
} from './env-file-scope.js'
import { interpolate, UndefinedVariableError } from './interpolate.js'
import { lookUpServerFiles, type ServerEnvFile, serverEnvFilesIn } from './server-env-scope.js'
import type { RecipeSource } from './source.js'

type Scope = Record<string, string | undefined>

/** What reading the dotenv steps' files needs; without it, a recipe reads none. */
export interface EnvFileSource {
  /** The repository: the recipe's folder, which the steps' `cwd:` are relative to. */
  root: string
  /** The dotenv step's schema (src/steps/dotenv/schema.ts): its defaults and forms, not a copy. */
  schema: () => DotenvSchema | undefined
  /** Collects the files read and the values taken from them, for the recipe cache. */
  reads: EnvFileReads
}

/** `used` collects every variable name looked up: the environment the result depends on. */
export function interpolateTree(
  source: RecipeSource,
  root: YAMLMap,
  processEnv: NodeJS.ProcessEnv,
  used = new Set<string>(),
  envFiles?: EnvFileSource,
): { problems: RecipeProblem[]; recipeEnv: Record<string, string> } {
  const problems: RecipeProblem[] = []
  const steps = root.get('steps', true)
  // Every step reads the files the server loads itself (server-env-scope.ts). The recipe's own
  // `env:` does not: it is what overrides them (`${DATABASE_URL:-<local URL>}` over a compose host
  // in configs/.env), so its default must not be the file's value.
  const serverFiles =
    envFiles && isSeq(steps) ? serverEnvFilesIn(source, steps.items as Node[], envFiles.root) : []
  const at: Walk = { source, problems, used, envFiles, before: [], serverFiles }
  const recipeEnv = interpolateEnvMap({ ...at, serverFiles: [] }, root.get('env', true) as Node, {
    ...processEnv,
  })
  const scope: Scope = { ...processEnv, ...recipeEnv }
  if (isSeq(steps)) {
    const dotenvSteps: DotenvStepAt[] = []
    for (const step of steps.items) {
      // A step inside `parallel:` sees only the dotenv steps before its group.
      interpolateStep({ ...at, before: [...dotenvSteps] }, step as Node, scope)
      if (envFiles) dotenvSteps.push(...dotenvStepsIn(envFiles, source, step as Node))
    }
  }
  return { problems, recipeEnv }
}

/** Where problems go and looked-up names are collected; `before`: the dotenv steps before this one. */
interface Walk {
  source: RecipeSource
  problems: RecipeProblem[]
  used: Set<string>
  envFiles: EnvFileSource | undefined
  before: readonly DotenvStepAt[]
  /** The env files the restart steps name (`env_files:`): read after the dotenv steps' files. */
  serverFiles: readonly ServerEnvFile[]
}

/** The dotenv steps `step` is (or, for a group, holds), once interpolated. */
function dotenvStepsIn(envFiles: EnvFileSource, source: RecipeSource, step: Node): DotenvStepAt[] {
  const group = isMap(step) ? step.get('parallel', true) : undefined
  const nodes = isSeq(group) ? (group.items as Node[]) : [step]
  return nodes.flatMap((node) => dotenvStepAt(source, node, envFiles.root, envFiles.schema) ?? [])
}

function interpolateStep(at: Walk, step: Node, scope: Scope): void {
  if (!isMap(step)) {
    interpolateNode(at, step, scope)
    return
  }
  const group = step.get('parallel', true)
  if (isSeq(group)) {
    for (const child of group.items) interpolateStep(at, child as Node, scope)
    return
  }
  const stepEnv = interpolateEnvMap(at, step.get('env', true) as Node, scope)
  const stepScope = { ...scope, ...stepEnv }
  for (const pair of step.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    if (key !== 'env') interpolateNode(at, pair.value as Node, stepScope)
  }
  // Before the titles are made: a step's own secrets (a service's `url:` password) are
  // masked everywhere, as the recipe env's are.
  // With the document: a merge key (`<<: *defaults`) resolves only against its anchors (the
  // whole document passed the same alias limit already: parse.ts plainValue).
  noteSecretsIn(step.toJS(at.source.doc, { maxAliasCount: 1000 }))
}

/** Interpolates an env map in order: each value may use the variables defined before it. */
function interpolateEnvMap(at: Walk, node: Node, scope: Scope) {
  const env: Record<string, string> = {}
  if (!isMap(node)) return env
  for (const pair of node.items) {
    if (!isScalar(pair.key) || !isScalar(pair.value)) continue
    const local = { ...scope, ...env }
    interpolateNode(at, pair.value, local)
    env[String(pair.key.value)] = String(pair.value.value)
  }
  // Before the steps' titles are made: a secret defined here is masked in them too.
  noteSecretEnv(env)
  return env
}

function interpolateNode(at: Walk, node: Node | null, scope: Scope): void {
  const { source, problems, used, envFiles, before, serverFiles } = at
  if (!node) return
  // The values this scalar took from env files: a problem with the result names where they are written.
  let taken: string[] = []
  const readsFiles = envFiles !== undefined && (before.length > 0 || serverFiles.length > 0)
  const fromFiles = readsFiles
    ? (name: string) => {
        const inDotenv = lookUpEnvFiles(before, name, envFiles.reads)
        // A key a dotenv step generates is that file's, first in precedence: no value yet.
        if (inDotenv && 'generatedBy' in inDotenv) return undefined
        const outer = (ref: string) => {
          used.add(ref)
          return scope[ref]
        }
        const found = inDotenv ?? lookUpServerFiles(serverFiles, name, envFiles.reads, outer)
        if (!found) return undefined
        taken.push(`\`${name}\` here is read from ${found.from}: check its value there`)
        return found.value
      }
    : undefined
  visit(node, {
    Scalar(key, scalar) {
      if (key === 'key' || typeof scalar.value !== 'string') return
      try {
        taken = []
        scalar.value = interpolate(scalar.value, scope, used, fromFiles)
        if (taken.length > 0) source.noteOrigin(scalar, [...new Set(taken)].join('; '))
      } catch (error) {
        if (error instanceof UndefinedVariableError && readsFiles) {
          const { message, hint } = whereLookedFor(before, error.variable, envFiles.reads, serverFiles)
          problems.push(source.problem(scalar, message, hint))
          return
        }
        const hint =
          error instanceof UndefinedVariableError
            ? `define it under \`env:\` in the recipe or in your shell, give a default (\${${error.variable}:-value}), or write $\${${error.variable}} if it is the shell's own variable`
            : undefined
        problems.push(source.problem(scalar, (error as Error).message, hint))
      }
    },
  })
}
