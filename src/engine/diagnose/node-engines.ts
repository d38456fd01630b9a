// A Node program that dies on a language or library feature its Node lacks (`TypeError:
// webidl.util.markAsUncloneable is not a function`, `No such built-in module: node:sqlite`): the
// cause is often an installed package whose own `engines.node` refuses this Node, though the
// app's `engines` allows it (NodeBB says `>=20`; its undici 8 needs `>=22.19`). Asks the
// installed packages themselves; says nothing when they all accept this Node.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { installedRefusal } from '../../steps/dependencies/node-engines.js'
import { runtimeFix } from './build.js'
import type { FailureFacts, Signature } from './types.js'

/** The node that failed: as its crash says (`Node.js v20.20.2`), else the one on the step's PATH. */
async function nodeVersion(facts: FailureFacts, text: string): Promise<string | undefined> {
  const said = /^Node\.js v(\d+\.\d+\.\d+)\s*$/m.exec(text)?.[1]
  if (said) return said
  if (!facts.env.PATH) return undefined
  const { stdout } = await promisify(execFile)('node', ['--version'], {
    env: facts.env,
    cwd: facts.cwd,
    timeout: 10_000,
  })
  return stdout.trim().replace(/^v/, '') || undefined
}

export const nodeEngineSignatures: Signature[] = [
  {
    id: 'dependency-refuses-node',
    patterns: [
      /ERR_UNKNOWN_BUILTIN_MODULE|No such built-in module/,
      // Anywhere in a line: an app logger prefixes it (`error: TypeError: …`).
      /\b(?:TypeError|ReferenceError|SyntaxError): /,
    ],
    async explain(_match, facts, text) {
      const version = await nodeVersion(facts, text)
      if (!version) return undefined
      for (const dir of new Set([facts.cwd, facts.root])) {
        const refusal = await installedRefusal(dir, version)
        if (refusal)
          return {
            cause: `an installed package refuses this node: ${refusal.text}`,
            fix: runtimeFix(facts, 'node', refusal.wanted, version),
          }
      }
      return undefined
    },
  },
]
