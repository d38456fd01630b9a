import { startServer } from './server/http-server.js'
import { loadServerConfig } from './load.js'

export async function bootstrap() {
  return startServer(await loadServerConfig())
}
