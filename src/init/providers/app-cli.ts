// The app's own setup command (`npm run setup`, `./app setup` from the README), as a `run`
// step after the ones devsetup writes itself. Not written when it would do harm or nothing:
// a setup that resets, drops or re-seeds a database would lose or duplicate data on every
// re-run (devsetup seeds only a database it created), and one made only of what the other
// steps already do (install, migrate, seed, copy .env) adds nothing.
import { ownCliSteps } from '../own-cli-steps.js'
import { type DetectedStep, defineProvider } from '../provider.js'
import { readmeSetup } from '../readme-setup.js'
import type { RepoProbe } from '../repo.js'
import { nodeRunner } from './node.js'

const destructive =
  /\b(reset|drop|truncate|db:setup|db:reset|migrate:fresh|migrate:refresh|flush|--force-reset)\b/
// The parts a generated recipe already covers: installs, migrations, seeds, copying the env file.
const covered =
  /^(npm (ci|install|i)|pnpm (i|install)|yarn( install)?|bun install|cp \S*env\S* \.env|(npm run|pnpm|yarn) [\w:-]*(migrat|seed)[\w:-]*|npx (knex|sequelize-cli|prisma|typeorm|drizzle-kit) [\w: -]+)$/

export const appCli = defineProvider({
  name: 'app-cli',
  detect: () => true,
  contribute: ({ repo }) => {
    // An executable CLI of the app's own that sets it up and starts it: that CLI, not the package scripts.
    const own = repo.has('package.json') ? undefined : ownCliSteps(repo)
    if (own) return own
    const setup = setupCommand(repo)
    // The README's one-time setup (`npm run dev-init`, `pnpm run build:etherpad`), besides `setup`.
    const readme = repo.has('package.json') ? readmeSetup(repo) : { steps: [], notes: [] }
    const steps = [
      ...(setup.step ? [setup.step] : []),
      ...readme.steps.filter((s) => !setup.step || s.flat?.run !== setup.step.flat?.run),
    ]
    return { steps, notes: [...(setup.note ? [setup.note] : []), ...readme.notes] }
  },
})

function setupCommand(repo: RepoProbe): { step?: DetectedStep; note?: string } {
  const scripts = repo.nodeScripts()
  const readme = repo.read(repo.list().find((n) => /^readme(\.\w+)?$/i.test(n)) ?? 'README.md') ?? ''
  let command: string | undefined
  let body = ''
  if (scripts.setup !== undefined) {
    command = `${nodeRunner(repo)} setup`
    body = scripts.setup
  } else {
    const own = /(?:^|[\s`$])\.\/([\w.-]+) setup\b/m.exec(readme)?.[1]
    if (own && repo.has(own) && !own.startsWith('bin/')) command = `./${own} setup`
  }
  if (!command) return {}
  if (destructive.test(body))
    return {
      note: `\`${command}\` (${body}) resets or re-seeds data: not written; run it yourself when you mean to`,
    }
  // `git checkout <tag> && npm ci --omit dev`: how a server is deployed, not how a developer works.
  if (
    /--omit[= ]dev|--production\b|--only[= ]prod|git (checkout|pull|reset)\b|NODE_ENV=production/.test(body)
  )
    return { note: `\`${command}\` (${body}) installs for production: not a development step, not written` }
  const parts = body.split(/\s*(?:&&|;)\s*/).filter(Boolean)
  if (parts.length > 0 && parts.every((p) => covered.test(p.trim())))
    return { note: `\`${command}\` (${body}) is what the steps above already do: not written` }
  const lock = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'Gemfile.lock'].find((f) => repo.has(f))
  const inputs = ['package.json', ...(lock ? [lock] : [])].filter((f) => repo.has(f))
  // Runs again when what it installs changes; a setup without a manifest is its own input.
  if (inputs.length === 0) inputs.push(command.replace(/^\.\/| setup$/g, ''))
  return {
    step: {
      slot: 'run: App setup',
      type: 'run',
      config: undefined,
      flat: { name: 'App setup', run: command, inputs },
      why: `the app's own setup command (${command})`,
    },
  }
}
