const { execSync } = require('node:child_process')

// Polls the compose container until PostgreSQL accepts connections.
function check() {
  try {
    execSync('docker exec notes-board-database-1 pg_isready --host localhost', { stdio: 'ignore' })
    console.log('postgres is ready')
  } catch {
    setTimeout(check, 1000)
  }
}
check()
