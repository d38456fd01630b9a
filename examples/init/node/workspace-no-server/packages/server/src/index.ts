// Started by the deployment's own process manager; no script here runs it.
import express from 'express'

export function createServer() {
  const app = express()
  app.get('/notes', (_req, res) => res.json([]))
  return app
}
