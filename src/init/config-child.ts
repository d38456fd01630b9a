// The program the child `node` runs to load a config module (load-config.ts starts it). It is a
// string, passed with `-e`, so the bundle needs no extra file and the child reads nothing outside
// the repository. Inside: every read of process.env is recorded (the values' provenance); packages
// a fresh clone has not installed yet are permissive stubs (`require('dotenv').config()` must not
// throw), dotenv always is (the example env's values are already in the environment); network and
// servers throw (Node 20's permission model does not cover the network). The resolved config is
// printed as one JSON line after a marker, so whatever the config logs itself is ignored.
export const resultMarker = '\u0001devsetup-config\u0001'

export const childProgram = String.raw`
'use strict'
const Module = require('node:module')
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const file = process.argv[1]
const marker = ${JSON.stringify(resultMarker)}

const target = { ...process.env }
const read = new Set()
process.env = new Proxy(target, {
  get(t, k) { if (typeof k === 'string') read.add(k); return t[k] },
  has(t, k) { if (typeof k === 'string') read.add(k); return k in t },
})

const stubbed = new Set()
const stubs = new WeakSet()
function stub(name) {
  stubbed.add(name)
  const self = new Proxy(function () {}, {
    get(_, k) {
      if (k === Symbol.toPrimitive) return () => ''
      if (typeof k === 'symbol' || k === 'then' || k === 'toJSON') return undefined
      if (k === '__esModule') return false
      return self
    },
    // A missing env validator (envalid's cleanEnv(process.env, spec)) hands the environment back.
    apply: (_, __, args) => (args[0] === process.env ? process.env : self),
    construct: () => self,
  })
  stubs.add(self)
  return self
}
const alwaysStubbed = new Set(['dotenv', 'dotenv/config', 'dotenv-flow', 'dotenv-safe'])
// node-config's settings, merged by devsetup (node-config.ts): served as the 'config' module.
const nodeConfig = target.DEVSETUP_NODE_CONFIG
delete target.DEVSETUP_NODE_CONFIG
if (nodeConfig) {
  const settings = JSON.parse(nodeConfig)
  const at = (key) => String(key).split('.').reduce((v, k) => (v == null ? undefined : v[k]), settings)
  const m = new Module('\0node-config')
  m.exports = Object.assign(settings, { get: (k) => at(k), has: (k) => at(k) !== undefined })
  m.loaded = true
  Module._cache['\0node-config'] = m
}
const bare = (r) => !r.startsWith('.') && !path.isAbsolute(r) && !r.startsWith('node:')
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (alwaysStubbed.has(request)) return stubModule(request)
  if (request === 'config' && nodeConfig) return '\0node-config'
  try {
    return resolve.call(this, request, ...rest)
  } catch (error) {
    if (bare(request) && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_ACCESS_DENIED'))
      return stubModule(request)
    throw error
  }
}
function stubModule(request) {
  const id = '\0stub:' + request
  if (!Module._cache[id]) {
    const m = new Module(id)
    m.exports = stub(request.split('/').slice(0, request.startsWith('@') ? 2 : 1).join('/'))
    m.loaded = true
    Module._cache[id] = m
  }
  return id
}

function deny(what) {
  return function () {
    const error = new Error('devsetup: ' + what + ' is not allowed while reading a config')
    error.code = 'DEVSETUP_DENIED'
    throw error
  }
}
const net = require('node:net')
net.connect = net.createConnection = net.createServer = deny('the network')
net.Socket.prototype.connect = deny('the network')
net.Server.prototype.listen = deny('a server')
for (const name of ['http', 'https', 'http2']) {
  const m = require('node:' + name)
  for (const fn of ['request', 'get', 'connect', 'createServer', 'createSecureServer'])
    if (typeof m[fn] === 'function') m[fn] = deny('the network')
}
require('node:tls').connect = deny('the network')
require('node:dgram').createSocket = deny('the network')
const dns = require('node:dns')
for (const fn of Object.keys(dns)) if (/^(lookup|resolve)/.test(fn)) dns[fn] = deny('DNS')
for (const fn of Object.keys(dns.promises)) if (/^(lookup|resolve)/.test(fn)) dns.promises[fn] = deny('DNS')
globalThis.fetch = deny('the network')
// A config that makes its data folder (\`fs.mkdirSync('data')\` before a SQLite file) gets a
// no-op: nothing is written (the permission model refuses it anyway), and loading goes on.
const fs = require('node:fs')
const skip = () => undefined
fs.mkdirSync = skip
fs.mkdir = (...args) => { const cb = args.at(-1); if (typeof cb === 'function') cb(null) }
fs.promises.mkdir = async () => undefined
globalThis.WebSocket = undefined
Module.syncBuiltinESMExports()

function json(value) {
  const seen = new WeakSet()
  return JSON.stringify(value, (_, v) => {
    if (typeof v === 'bigint') return String(v)
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return undefined
      seen.add(v)
    }
    return typeof v === 'function' && stubs.has(v) ? undefined : v
  })
}

async function main() {
  let value
  try {
    value = require(file)
  } catch (error) {
    if (error.code !== 'ERR_REQUIRE_ESM') throw error
    value = await import(pathToFileURL(file).href)
  }
  if (value && typeof value === 'object' && 'default' in value && (value.__esModule || Object.keys(value).length === 1))
    value = value.default
  // knex and TypeORM accept a config that is a function, or a promise, of the config.
  if (typeof value === 'function' && !stubs.has(value)) value = await value()
  value = await value
  process.stdout.write('\n' + marker + json({ value, read: [...read], stubbed: [...stubbed] }) + '\n')
  process.exit(0)
}
main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error).split('\n').slice(0, 3).join('\n'))
  process.exit(3)
})
`
