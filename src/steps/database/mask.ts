// Passwords never reach the screen or the log: every text this step shows goes through here.
import { maskUrls } from '../../engine/mask.js'

/**
 * Masks URLs, then every literal occurrence of the given secrets (a driver error may quote a
 * password on its own). Very short secrets are left alone: masking every "a" would garble the text.
 */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let masked = maskUrls(text)
  for (const secret of secrets) {
    if (secret && secret.length >= 4) masked = masked.split(secret).join('***')
  }
  return masked
}
