// setup: copies install/package.json to the root, installs, writes config.json from BOARD_* env
// start: forks the server in the background; the server writes board.pid
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync, spawn } = require('node:child_process')
const paths = require('./paths')

const command = process.argv[2]
switch (command) {
  case 'setup': {
    if (!fs.existsSync(paths.currentPackage)) fs.copyFileSync(paths.installPackage, paths.currentPackage)
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline'], { cwd: paths.baseDir, stdio: 'inherit' })
    const values = {
      url: process.env.BOARD_URL,
      admin: { username: process.env.BOARD_ADMIN_USERNAME, password: process.env.BOARD_ADMIN_PASSWORD },
    }
    if (!values.url || !values.admin.username || !values.admin.password) {
      console.error('setup needs BOARD_URL, BOARD_ADMIN_USERNAME and BOARD_ADMIN_PASSWORD')
      process.exit(1)
    }
    fs.writeFileSync(paths.config, JSON.stringify({ url: values.url, admin: values.admin.username }, null, 2))
    console.log('wrote config.json')
    break
  }
  case 'start': {
    fs.mkdirSync(path.join(paths.baseDir, 'logs'), { recursive: true })
    const log = fs.openSync(path.join(paths.baseDir, 'logs', 'output.log'), 'a')
    const child = spawn(process.execPath, [path.join(paths.baseDir, 'server.js')], {
      cwd: paths.baseDir,
      detached: true,
      stdio: ['ignore', log, log],
    })
    child.unref()
    console.log('board started in the background')
    break
  }
  case 'stop':
    process.kill(Number(fs.readFileSync(paths.pidfile, 'utf8')), 'SIGTERM')
    break
  default:
    console.error('usage: ./board setup|start|stop')
    process.exit(1)
}
