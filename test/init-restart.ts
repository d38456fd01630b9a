// The restart step init writes for a repository made of `files`: its config, why and init's notes.
import { detect } from '../src/init/detect.js'
import { tempRepo } from './helpers.js'

export function restartOf(files: Record<string, string>) {
  const detection = detect(tempRepo(files), { dockerRuns: () => false })
  const restart = detection.steps.find((s) => s.type === 'restart')
  return {
    config: restart?.config as Record<string, unknown> | undefined,
    why: restart?.why ?? '',
    notes: detection.notes,
  }
}
