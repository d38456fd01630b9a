// `devsetup add <type>` in a terminal without settings: ask for the type's keys, one by one.
// Answers are written as key=value words, so they go through exactly the same conversion.
import { createInterface } from 'node:readline'
import { UserError } from '../errors.js'
import type { AnyStepType } from '../steps/define.js'
import { configKeys } from './step-args.js'

export async function promptForStep(
  stepType: AnyStepType,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream },
): Promise<{ words: string[]; name?: string }> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: false })
  // The line iterator buffers lines typed (or pasted) ahead of the question that wants them.
  const lines = rl[Symbol.asyncIterator]()
  const ask = async (question: string): Promise<string> => {
    io.output.write(question)
    const next = await lines.next()
    if (next.done) throw new UserError('no answer (end of input): the recipe was not changed')
    return next.value.trim()
  }
  try {
    io.output.write(`${stepType.type}: ${stepType.description}\n(Enter skips an optional key.)\n`)
    const words: string[] = []
    for (const key of configKeys(stepType)) {
      const label = `${key.name}${key.required ? ' (required)' : ''}${key.description ? ` — ${key.description}` : ''}`
      const lists = key.accepts.has('array') ? ' [a,b for a list]' : ''
      for (;;) {
        const answer = await ask(`${label}${lists}: `)
        if (answer !== '') words.push(`${key.name}=${answer}`)
        if (answer !== '' || !key.required) break
      }
    }
    const name = await ask('name (shown in the task tree; Enter for the default): ')
    return name ? { words, name } : { words }
  } finally {
    rl.close()
  }
}
