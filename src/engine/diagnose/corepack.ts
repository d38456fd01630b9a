// Signatures of corepack, which runs yarn and pnpm where they are not installed (the
// `dependencies` step, and devsetup's shims for every other step): a registry that serves
// package metadata without npm's signatures (a mirror or proxy), and Yarn 2+ whose download
// host, repo.yarnpkg.com, this machine cannot reach. devsetup never turns a check off by itself:
// the fix says which variable does, and what it costs.
import { launch, shown } from '../../steps/dependencies/launch.js'
import { packageManagerOf, pnpmPin } from '../../steps/dependencies/pnpm-major.js'
import type { FailureFacts, Signature } from './types.js'

/** The registry corepack read: its own variable, else npm's, else npm's default. */
function registryOf(facts: FailureFacts): string {
  return facts.env.COREPACK_NPM_REGISTRY || facts.env.npm_config_registry || 'https://registry.npmjs.org'
}

/** How a variable is set for every step (the recipe's top-level `env:`) or once in the shell. */
const setting = (name: string, value: string) =>
  `\`${name}: "${value}"\` in the recipe's top-level \`env:\` (or \`export ${name}=${value}\`)`

const commitRelease =
  'or commit the release (`yarn set version <version>` writes .yarn/releases and `yarnPath`), which devsetup runs with node, without corepack'

export const corepackSignatures: Signature[] = [
  {
    // A frozen install by another pnpm than the one that wrote the lockfile: it reads the
    // project's settings (.npmrc, pnpm-workspace.yaml) differently, so they no longer match the
    // ones the lockfile records (pnpm 11+ ignores .npmrc's auto-install-peers).
    id: 'pnpm-lockfile-config',
    patterns: [/ERR_PNPM_LOCKFILE_CONFIG_MISMATCH/],
    async explain(_match, facts) {
      const install = await launch(['pnpm', 'install'], facts.cwd, facts.env).catch(() => undefined)
      const pin = await pnpmPin(facts.cwd)
      const command = install ? shown(install, facts.cwd) : `${pin ? `corepack ${pin.spec}` : 'pnpm'} install`
      const pinned = await packageManagerOf(facts.cwd)
      const cause = `\`${command}\` is another pnpm than the one that wrote pnpm-lock.yaml: it reads the project's settings differently from the ones the lockfile records`
      if (pinned)
        return {
          cause,
          fix: `package.json pins ${pinned}: if that is not the pnpm that wrote pnpm-lock.yaml, pin that one; if it is, the settings changed since: run \`${command}\` (not frozen) and commit pnpm-lock.yaml`,
        }
      return {
        cause,
        fix: `pin the pnpm that wrote pnpm-lock.yaml in package.json (\`"packageManager": "pnpm@<version>"\`)${pin ? `; devsetup runs \`${command}\` because ${pin.why}` : ''}; if that pnpm refuses too, the settings changed since the lockfile: run \`${command}\` (not frozen) and commit pnpm-lock.yaml`,
      }
    },
  },
  {
    id: 'corepack-signature',
    patterns: [
      /Corepack cannot download the latest stable version of (\w+)/,
      /No compatible signature found in package metadata()/,
    ],
    explain(match, facts) {
      const registry = registryOf(facts)
      const cause = `corepack found no npm signature in ${registry}'s package metadata${match[1] ? ` for the latest ${match[1]}` : ''}, so it refused to download it`
      // No `packageManager`: corepack asked for the latest version, which needs the signed metadata;
      // the version it ships a hash for does not.
      if (match[1])
        return {
          cause,
          fix: `pin the version in package.json (\`"packageManager": "${match[1]}@<version>"\`), or use the release this corepack knows by hash: ${setting('COREPACK_DEFAULT_TO_LATEST', '0')}; ${commitRelease}`,
        }
      return {
        cause,
        fix: `point corepack at a registry that signs its metadata (${setting('COREPACK_NPM_REGISTRY', 'https://registry.npmjs.org')}); if you trust ${registry}, ${setting('COREPACK_INTEGRITY_KEYS', '0')} turns corepack's signature check off; ${commitRelease}`,
      }
    },
  },
  {
    id: 'corepack-download',
    patterns: [/Error when performing the request to (https?:\/\/([^/\s;]+)\S*?);/],
    explain(match, facts) {
      const host = match[2]!
      if (host === 'repo.yarnpkg.com')
        return {
          cause: `corepack could not reach repo.yarnpkg.com, where it downloads Yarn 2+ from by default`,
          fix: `let corepack download Yarn from the npm registry instead: ${setting('COREPACK_NPM_REGISTRY', registryOf(facts))}; ${commitRelease}`,
        }
      return {
        cause: `corepack could not download ${match[1]}`,
        fix: `check that this machine reaches ${host} (a proxy: HTTPS_PROXY), or point corepack at a registry it reaches with ${setting('COREPACK_NPM_REGISTRY', '<url>')}; ${commitRelease}`,
      }
    },
  },
]
