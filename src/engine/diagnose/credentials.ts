// Rails' encrypted credentials: the key that decrypts them is never committed, so a fresh clone
// has none. Rails then either refuses outright (`require_master_key`) or boots with empty
// credentials, and the first `credentials.x!` / `credentials.fetch(:x)` at boot raises KeyError.
// The fix is not in the recipe: it is a file only a teammate has, and its exact place.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { FailureFacts, Signature } from './types.js'

/**
 * The credentials development reads and the key that opens them: per environment first (Rails 6+).
 * `has` asks whether a file of the repository exists (init asks its probe, a diagnosis the disk).
 */
export function railsCredentialFiles(
  has: (file: string) => boolean,
): { file: string; key: string } | undefined {
  if (has('config/credentials/development.yml.enc'))
    return { file: 'config/credentials/development.yml.enc', key: 'config/credentials/development.key' }
  if (has('config/credentials.yml.enc'))
    return { file: 'config/credentials.yml.enc', key: 'config/master.key' }
  return undefined
}

/** The files a failure in `root` is about; with no credentials file at all, master.key is still the key Rails asks for. */
function credentialFiles(root: string): { file: string; key: string } {
  return (
    railsCredentialFiles((file) => existsSync(path.join(root, file))) ?? {
      file: 'config/credentials.yml.enc',
      key: 'config/master.key',
    }
  )
}

const askForKey = (key: string) =>
  `ask your team for the key (it is never committed) and save it as ${key}, or export RAILS_MASTER_KEY; ` +
  `\`bin/rails credentials:edit\` makes a new key only for new credentials, it cannot open these`

/** A path Rails printed, as the user knows it: relative to the repository (or, printed from
 * elsewhere — a copy, a container — from its config/, app/ or lib/ folder on). */
function inApp(file: string, root: string): string {
  if (file.startsWith(`${root}/`)) return path.relative(root, file)
  return /\/((?:config|app|lib)\/.+)$/.exec(file)?.[1] ?? file
}

/** The first frame in the app's own code (config/initializers/stripe.rb:1), for the cause line. */
function appFrame(text: string, root: string): string | undefined {
  for (const m of text.matchAll(/(?:^|\s)(\/\S+?\.rb):(\d+):in /gm)) {
    const file = m[1]!
    if (file.includes('/gems/') || file.includes('/ruby/')) continue
    const shown = inApp(file, root)
    if (shown !== file) return `${shown}:${m[2]}`
  }
  return undefined
}

function keyMissing(facts: FailureFacts): boolean {
  const { key } = credentialFiles(facts.root)
  return !existsSync(path.join(facts.root, key)) && !facts.env.RAILS_MASTER_KEY
}

export const credentialSignatures: Signature[] = [
  {
    id: 'rails-master-key-missing',
    patterns: [
      /Missing encryption key to decrypt file with\. Ask your team for your master key and write it to (\S+) or put it in the ENV\['RAILS_MASTER_KEY'\]/,
    ],
    explain(match, facts) {
      const key = inApp(match[1]!, facts.root)
      return {
        cause: `Rails needs the key that decrypts its credentials in development, and ${key} is missing`,
        fix: askForKey(key),
      }
    },
  },
  {
    id: 'rails-credential-missing',
    patterns: [
      // credentials.fetch(:name)
      /encrypted_configuration\.rb:\d+:in `fetch': key not found: :(\w+) \(KeyError\)/,
      // credentials.name! (EncryptedConfiguration delegates to its options, hence delegation.rb)
      /ordered_options\.rb:\d+:in `method_missing': :(\w+) is blank \(KeyError\)\n[^\n]*delegation\.rb/,
    ],
    explain(match, facts, text) {
      const name = match[1]!
      const where = appFrame(text, facts.root)
      const { file, key } = credentialFiles(facts.root)
      const reads = `the app reads the credential \`${name}\` at boot${where ? ` (${where})` : ''}`
      if (keyMissing(facts))
        return { cause: `${reads}, and without ${key} Rails sees no credentials at all`, fix: askForKey(key) }
      return {
        cause: `${reads}, and ${file} has no \`${name}\``,
        fix: `add \`${name}\` with \`bin/rails credentials:edit${file.includes('/development.') ? ' --environment development' : ''}\`, or give it a fallback in ${where ?? 'the code'} for development`,
      }
    },
  },
]
