// A Rails-style YAML config (config/cable.yml, config/database.yml, config/redis.yml) has one
// section per environment, and only the development one is what `devsetup up` runs: `rails new`
// writes cable.yml with `adapter: redis` and REDIS_URL under `production:` alone (development uses
// `async`), which needs no Redis here. So init reads such a file's development section, the
// sections it merges (`<<: *default`, and what those merge) and config_for's `shared:`; the other
// environments' lines are blanked, line numbers kept.
const environments =
  /^(development|dev|test|testing|production|prod|staging|stage|ci|qa|preview|sandbox|demo|beta|uat)$/

interface Section {
  key: string
  from: number
  to: number
}

/** The text of a YAML file as the development environment reads it (unchanged when it has no environment sections). */
export function developmentPart(file: string, text: string): string {
  if (!/\.ya?ml$/.test(file)) return text
  const lines = text.split('\n')
  const sections: Section[] = []
  for (const [i, line] of lines.entries()) {
    const key = /^([\w-]+):/.exec(line)?.[1]
    if (key === undefined) continue
    if (sections.length > 0) sections.at(-1)!.to = i
    sections.push({ key, from: i, to: lines.length })
  }
  if (!sections.some((s) => environments.test(s.key))) return text
  const body = (s: Section) => lines.slice(s.from, s.to).join('\n')
  const kept = new Set(sections.filter((s) => s.key === 'development' || s.key === 'shared'))
  // An anchor a kept section merges keeps the section that defines it (default: &default).
  for (let grew = true; grew; ) {
    grew = false
    const aliases = new Set([...kept].flatMap((s) => [...body(s).matchAll(/\*([\w-]+)/g)].map((m) => m[1]!)))
    for (const s of sections) {
      if (kept.has(s)) continue
      const anchors = [...body(s).matchAll(/&([\w-]+)/g)].map((m) => m[1]!)
      if (anchors.some((a) => aliases.has(a))) {
        kept.add(s)
        grew = true
      }
    }
  }
  // Other environments, and anchors only they merge, are dropped; any other top-level key stays.
  const dropped = sections.filter(
    (s) => !kept.has(s) && (environments.test(s.key) || /^[\w-]+:\s*&[\w-]+/.test(lines[s.from]!)),
  )
  for (const s of dropped) for (let i = s.from; i < s.to; i++) lines[i] = ''
  return lines.join('\n')
}
