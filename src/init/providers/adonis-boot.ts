// What an AdonisJS app needs before `node ace migration:run` can even start: every ace command
// boots the app's own providers (adonisrc.ts `providers:`), so a file a provider reads at boot
// must exist first. When that file is under a gitignored folder (missing on a fresh clone) and
// one of the app's own ace commands (commands/*.ts, `static commandName`) writes that folder,
// that command runs before the database step, with `creates:` so it runs once.
// (adonis-packages: providers/app_provider.ts reads content/build/packages.json, which
// `node ace build:packages` writes.) Not read from the README's "getting started" list: that
// list also holds destructive (`migration:fresh`) and manual (`gh auth token`) commands.
import path from 'node:path'
import { inIgnoredFolder } from '../build-first.js'
import type { DetectedStep } from '../provider.js'
import type { RepoProbe } from '../repo.js'

/** The app-command steps the providers' boot-time reads need. */
export function bootFilesSteps(repo: RepoProbe): DetectedStep[] {
  const rc = repo.read('adonisrc.ts') ?? repo.read('.adonisrc.json') ?? ''
  const providers = [...rc.matchAll(/import\(\s*['"](\.\/[^'"]+)['"]\s*\)/g)]
    .map((m) => m[1]!.replace(/^\.\//, '').replace(/\.js$/, '.ts'))
    .filter((f) => f.startsWith('providers/') && repo.has(f))
  const commands = repo.list('commands').filter((f) => /\.[jt]s$/.test(f))
  const steps: DetectedStep[] = []
  for (const provider of providers) {
    const text = repo.read(provider) ?? ''
    for (const { file, at } of pathsIn(text, provider)) {
      if (repo.has(file) || !inIgnoredFolder(repo, file)) continue
      // The command names the ignored folder itself (`../content/build/`), not just a parent of it.
      const writes = (p: { file: string }) =>
        file.startsWith(`${p.file}/`) && inIgnoredFolder(repo, `${p.file}/-`)
      const writer = commands.find((c) =>
        pathsIn(repo.read(`commands/${c}`) ?? '', `commands/${c}`).some(writes),
      )
      const name =
        writer && /static\s+commandName\s*=\s*['"]([\w:-]+)['"]/.exec(repo.read(`commands/${writer}`)!)?.[1]
      if (!name || steps.some((s) => s.flat?.creates === file)) continue
      const line = text.slice(0, at).split('\n').length
      steps.push({
        slot: `run: ${name}`,
        type: 'run',
        config: undefined,
        flat: { name: `node ace ${name}`, run: `node ace ${name}`, creates: file },
        why: `${provider}:${line} reads ${file} at boot (every ace command, migrate too), which commands/${writer} writes (gitignored)`,
        orderAs: 'service',
      })
    }
  }
  return steps
}

/** Paths a file builds from its own folder: `join(getDirname(import.meta.url), '../x/y')`, `join(__dirname, '..', 'x')`. */
function pathsIn(text: string, file: string): { file: string; at: number }[] {
  const found: { file: string; at: number }[] = []
  const own =
    /join\(\s*(?:getDirname\(\s*import\.meta\.url\s*\)|__dirname|import\.meta\.dirname)\s*,([^)]*)\)/g
  for (const match of text.matchAll(own)) {
    const parts = match[1]!.match(/['"][^'"]+['"]/g)?.map((p) => p.slice(1, -1))
    if (!parts) continue
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), ...parts))
    if (!resolved.startsWith('..')) found.push({ file: resolved.replace(/\/$/, ''), at: match.index })
  }
  return found
}
