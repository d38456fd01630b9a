// A real HTTP server standing in for the npm registry: it serves the package documents a test
// gives it (`/<name>/<version>` → JSON, else 404) and records every path asked, so a test can
// tell what devsetup asked and that a cached answer asked nothing.
import { createServer } from 'node:http'
import { afterAll, beforeAll } from 'vitest'

export interface RegistryDocuments {
  /** `http://127.0.0.1:<port>/`, for npm_config_registry. */
  url: string
  asked: string[]
  close: () => void
}

export async function serveRegistryDocuments(documents: Record<string, unknown>): Promise<RegistryDocuments> {
  const asked: string[] = []
  const server = createServer((req, res) => {
    asked.push(req.url ?? '')
    const document = documents[req.url ?? '']
    res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify(document ?? { error: 'Not found' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  return { url, asked, close: () => server.close() }
}

/** The server for the tests of one file: started before them, closed after. */
export function registryDocumentsDuringTests(documents: Record<string, unknown>): RegistryDocuments {
  const live: RegistryDocuments = { url: '', asked: [], close: () => {} }
  beforeAll(async () => Object.assign(live, await serveRegistryDocuments(documents)))
  afterAll(() => live.close())
  return live
}
