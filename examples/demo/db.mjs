/**
 * The database server of one environment: a real PostgreSQL (PGlite, Postgres compiled to
 * WebAssembly) with its data directory on disk, served to the other processes (the service,
 * the migration and backup commands) over a Unix socket, as a managed database would be.
 *
 * PGlite is single-connection: only one process may open a data directory. So this process
 * owns it, and the others speak a small JSON protocol (lib/db-client.mjs) to it:
 *
 *   GET  /health                                     -> { ok }
 *   POST /query        { sql, params }               -> { ok, rows, fields }
 *   POST /transaction  { statements, rollback }      -> { ok, results } | { ok: false, error, label }
 *   POST /dump                                       -> the data directory as a .tar.gz
 *   POST /restore      (a .tar.gz from /dump)        -> { ok }: replaces the whole database
 *
 * Usage: node examples/demo/db.mjs <environment folder> [<template.tar.gz>]
 * With a template (a /dump of another, new database), the data directory starts as a copy of
 * it: seconds faster than creating a database (initdb), which the demo's second environment
 * would otherwise do while the first run deploys.
 * Prints `ready <socket>` once it listens. Stops on SIGTERM/SIGINT, and on its own when its
 * parent process goes away (so that a killed demo leaves no database running).
 */
import { PGlite } from '@electric-sql/pglite'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync
} from 'node:fs'
import http from 'node:http'
import { resolve } from 'node:path'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: node examples/demo/db.mjs <environment folder> [<template.tar.gz>]')
  process.exit(2)
}
const root = resolve(dir)
const dataDir = `${root}/pgdata`
const socketPath = `${root}/db.sock`
const pidFile = `${root}/db.pid`
mkdirSync(root, { recursive: true })

const template = process.argv[3]
let db = await PGlite.create({
  dataDir,
  ...(template && !existsSync(`${dataDir}/PG_VERSION`)
    ? { loadDataDir: new Blob([readFileSync(template)]) }
    : {})
})
/** Serialises restore against everything else: requests wait for the current database. */
let ready = Promise.resolve()

const MAX_BODY = 64 * 1024 * 1024

function readBody(req) {
  return new Promise((resolveBody, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (c) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error('request body too large'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(text)
}

/** PGlite's errors carry Postgres fields; keep the useful ones. */
function errorInfo(e) {
  const info = { error: e instanceof Error ? e.message : String(e) }
  for (const key of ['code', 'detail', 'hint', 'position']) {
    if (e && typeof e === 'object' && e[key] !== undefined) info[key] = e[key]
  }
  return info
}

async function runTransaction({ statements, rollback }) {
  if (!Array.isArray(statements)) throw new Error('statements must be a list')
  const results = []
  let current
  try {
    await db.transaction(async (tx) => {
      for (const s of statements) {
        current = s.label ?? s.sql.slice(0, 60)
        if (s.params !== undefined) {
          const r = await tx.query(s.sql, s.params)
          results.push({ rows: r.rows, affectedRows: r.affectedRows ?? 0 })
        } else {
          const r = await tx.exec(s.sql)
          results.push({ rows: r.at(-1)?.rows ?? [], affectedRows: r.at(-1)?.affectedRows ?? 0 })
        }
      }
      current = undefined
      if (rollback) await tx.rollback()
    })
  } catch (e) {
    return { ok: false, label: current, ...errorInfo(e) }
  }
  return { ok: true, results, rolledBack: Boolean(rollback) }
}

async function restore(buffer) {
  await db.close()
  rmSync(dataDir, { recursive: true, force: true })
  db = await PGlite.create({ dataDir, loadDataDir: new Blob([buffer]) })
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://db')
  const body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0)
  if (url.pathname === '/restore' && req.method === 'POST') {
    const previous = ready
    let done
    ready = new Promise((r) => (done = r))
    await previous
    try {
      await restore(body)
      send(res, 200, { ok: true })
    } finally {
      done()
    }
    return
  }
  await ready
  if (req.method === 'GET' && url.pathname === '/health') {
    await db.query('SELECT 1')
    return send(res, 200, { ok: true })
  }
  if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'use POST' })
  if (url.pathname === '/dump') {
    const file = await db.dumpDataDir('gzip')
    const bytes = Buffer.from(await file.arrayBuffer())
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bytes.length })
    return res.end(bytes)
  }
  const input = body.length > 0 ? JSON.parse(body.toString('utf8')) : {}
  if (url.pathname === '/query') {
    try {
      const r = await db.query(input.sql, input.params ?? [])
      return send(res, 200, { ok: true, rows: r.rows, fields: r.fields.map((f) => f.name) })
    } catch (e) {
      return send(res, 400, { ok: false, ...errorInfo(e) })
    }
  }
  if (url.pathname === '/transaction') {
    const r = await runTransaction(input)
    return send(res, r.ok ? 200 : 400, r)
  }
  return send(res, 404, { ok: false, error: `no such endpoint ${url.pathname}` })
}

if (existsSync(socketPath)) unlinkSync(socketPath)
const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) send(res, 500, { ok: false, ...errorInfo(e) })
    else res.destroy()
  })
})
server.listen(socketPath, () => {
  chmodSync(socketPath, 0o600)
  writeFileSync(pidFile, `${process.pid}\n`)
  console.log(`ready ${socketPath}`)
})

let stopping = false
async function stop(why) {
  if (stopping) return
  stopping = true
  console.log(`db: stopping (${why})`)
  server.close()
  server.closeAllConnections?.()
  try {
    await ready
    await db.close()
  } finally {
    rmSync(socketPath, { force: true })
    rmSync(pidFile, { force: true })
    process.exit(0)
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
// An orphan (its parent was killed) stops by itself.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) void stop('parent process gone')
}, 1000).unref()
