// npm run demo: devsetup on a fresh copy of examples/app (in a temp dir), then again,
// to show a first run that sets everything up and a re-run that changes nothing.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const app = path.join(mkdtempSync(path.join(tmpdir(), 'devsetup-demo-')), 'app')
cpSync(path.join(root, 'examples', 'app'), app, { recursive: true })
spawnSync('git', ['init', '-q'], { cwd: app })

const devsetup = (label, args = []) => {
  console.log(`\n\x1b[1m$ devsetup ${args.join(' ')}\x1b[0m   # ${label}`)
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'devsetup.js'), ...args, '--cwd', app], {
    stdio: 'inherit',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

console.log(`A fresh copy of examples/app in ${app}`)
devsetup('first run: sets everything up')
devsetup('second run: nothing to do')
console.log('\n(breaking it: deleting public/app.css and the database file)')
rmSync(path.join(app, 'public', 'app.css'))
// The database file and the example's companion files next to it (see examples/app/db/migrate.js).
for (const file of readdirSync(path.join(app, 'db')).filter((f) => f.startsWith('development.sqlite3'))) {
  rmSync(path.join(app, 'db', file))
}
devsetup('third run: repairs exactly what broke')
devsetup('doctor: the same recipe as a checklist', ['doctor'])
