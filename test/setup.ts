// Step types load on demand (src/steps/registry.ts); tests that parse recipes directly get all.
import { loadStepTypes } from '../src/steps/index.js'

await loadStepTypes()
