// Failure diagnosis: known signatures in a failed step's output (a missing variable, a port
// in use, a refused database connection, missing headers, …) become the fix in the recipe's
// terms. Loaded only when a step fails (engine.ts imports it on demand): the signature table
// and what it reads cost nothing on a run where everything passes.
import path from 'node:path'
import { CommandError } from '../errors.js'
import { allSteps, type Recipe, type StepNode } from '../recipe/types.js'
import { type RunScope, stepEnv } from './context.js'
import { buildSignatures, engineWarnedSignature } from './diagnose/build.js'
import { corepackSignatures } from './diagnose/corepack.js'
import { credentialSignatures } from './diagnose/credentials.js'
import { envSignatures } from './diagnose/env.js'
import { installSignatures } from './diagnose/install.js'
import { nodeEngineSignatures } from './diagnose/node-engines.js'
import { serverSignatures } from './diagnose/servers.js'
import type { Diagnosis, FailureFacts, Signature } from './diagnose/types.js'
import type { StepOutcome } from './events.js'

export type { Diagnosis, FailureFacts } from './diagnose/types.js'

/** Most specific first: a node-gyp build that stops on a missing header is about the header. */
export const signatures: Signature[] = [
  ...corepackSignatures,
  ...credentialSignatures,
  ...envSignatures,
  ...serverSignatures,
  ...buildSignatures,
  ...installSignatures,
  // Last: it matches any TypeError, and is about one only when a package's engines say so.
  ...nodeEngineSignatures,
  // After all: npm's engine warning is the cause only when nothing else is.
  engineWarnedSignature,
]

/** More than this many causes is noise: the first ones found are the ones to fix first. */
const shown = 3

// Colours and cursor codes a tool printed would split the words the signatures look for.
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]/g

export async function diagnose(output: string, facts: FailureFacts): Promise<Diagnosis[]> {
  const text = output.replace(ansi, '')
  const found: Diagnosis[] = []
  for (const signature of signatures) {
    const match = signature.patterns.map((pattern) => pattern.exec(text)).find((m) => m !== null)
    if (!match) continue
    try {
      const explained = await signature.explain(match, facts, text)
      if (explained && !found.some((d) => d.fix === explained.fix))
        found.push({ id: signature.id, ...explained })
    } catch {
      // A diagnosis that cannot be made (an unreadable /proc) must not hide the failure itself.
    }
    if (found.length === shown) break
  }
  return found
}

/**
 * Adds the diagnosis to a failed step's report and its run log. The output read is the
 * failed command's (more than the tail shown), the failure's reason and the tail.
 */
export async function diagnoseFailure(
  step: StepNode,
  recipe: Recipe,
  scope: RunScope,
  failure: Pick<StepOutcome, 'reason' | 'failure'>,
  error: unknown,
): Promise<void> {
  const detail = failure.failure
  if (!detail) return
  const output = error instanceof CommandError ? (error.output ?? '') : ''
  const diagnosis = await diagnose([output, failure.reason, ...(detail.tail ?? [])].join('\n'), {
    step,
    steps: allSteps(recipe),
    root: scope.root,
    cwd: path.resolve(scope.root, step.options.cwd ?? '.'),
    env: stepEnv(scope, step),
    exitCode: detail.exitCode,
  })
  if (diagnosis.length === 0) return
  detail.diagnosis = diagnosis
  for (const d of diagnosis) scope.log?.write(step.id, `diagnosis (${d.id}): ${d.cause}\n  fix: ${d.fix}`)
}
