// The backfill is TypeScript shared with the app: it runs from the compiled server.
const { execFileSync } = require('node:child_process')
const path = require('node:path')

module.exports = {
  async up() {
    const script = path.join(
      process.cwd(),
      'build',
      `server/scripts/${path.basename(__filename)}`,
    )
    execFileSync('node', [script], { stdio: 'inherit' })
  },
  async down() {},
}
