// "Builds" the stylesheet: concatenates assets/*.css into public/app.css.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'

const parts = readdirSync('assets')
  .filter((f) => f.endsWith('.css'))
  .sort()
  .map((f) => `/* ${f} */\n${readFileSync(`assets/${f}`, 'utf8')}`)
mkdirSync('public', { recursive: true })
writeFileSync('public/app.css', parts.join('\n'))
console.log(`built public/app.css from ${parts.length} files`)
