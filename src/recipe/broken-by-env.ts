// A step whose settings are invalid only because of a value its `${VAR}` read from an env file:
// `PORT=99999` in .env makes the restart's `health: http://127.0.0.1:${PORT:-3000}/` no URL. The
// recipe is right and the app's .env is not, so the step is red — `doctor` exits 1 naming it,
// `up` fails on it — while every other step is still checked, instead of the whole recipe being
// refused with exit 2 as for a mistake in the recipe itself. Such a parse is never cached.
import { maskSecrets } from '../engine/mask.js'
import { DevsetupError, type RecipeProblem } from '../errors.js'
import type { AnyStepType } from '../steps/define.js'

/** The step type that stands in for `stepType` while an env file's value breaks its settings. */
export function brokenByEnv(
  stepType: AnyStepType,
  problems: readonly RecipeProblem[],
  recipeFile: string,
): AnyStepType {
  const reason = maskSecrets(
    problems.map((p) => `${recipeFile}:${p.line}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`).join('; '),
  )
  return {
    ...stepType,
    check: async () => ({
      met: false,
      reason,
      fix: 'correct the value in the env file, then run `devsetup up`',
    }),
    run: async () => {
      throw new DevsetupError(reason)
    },
    preview: () => [],
    lint: () => [],
  }
}

/** Whether `problems` are all of values read from env files (and there is one). */
export const allFromEnvFiles = (problems: readonly RecipeProblem[]): boolean =>
  problems.length > 0 && problems.every((p) => p.fromEnvFile === true)
