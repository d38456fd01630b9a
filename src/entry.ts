// The process entry (built as dist/cli.js). `devsetup --version` answers here, before any
// library is loaded: it should cost no more than starting Node. Everything else loads the
// commander wiring in cli.ts, which in turn loads only the command that runs.
declare const DEVSETUP_VERSION: string

const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${typeof DEVSETUP_VERSION === 'string' ? DEVSETUP_VERSION : '0.0.0-dev'}\n`)
} else {
  await import('./cli.js')
}
