const path = require('node:path')

const baseDir = path.join(__dirname, '..')
module.exports = {
  baseDir,
  installPackage: path.join(baseDir, 'install/package.json'),
  currentPackage: path.join(baseDir, 'package.json'),
  config: path.join(baseDir, 'config.json'),
  pidfile: path.join(baseDir, 'board.pid'),
}
