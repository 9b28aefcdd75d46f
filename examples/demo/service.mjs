/**
 * The shop: a small web service on 127.0.0.1:DEMO_PORT, at release DEMO_VERSION, whose
 * data is in PostgreSQL (the environment's db.mjs, at DEMO_DB_SOCKET). Started detached by
 * deploy.mjs; stops on SIGTERM, or by itself once DEMO_PID_FILE no longer names it.
 *
 *   GET  /             homepage: "Welcome to the Acme shop" and the orders
 *   GET  /health       200 when it can serve orders, else 500 (v2: once its pool is empty)
 *   GET  /version      { version }
 *   GET  /api/orders   the orders as JSON
 *   POST /api/orders   { customer, item, total_cents } -> 201 { id }
 */
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { connect } from './lib/db-client.mjs'
import { releaseOf } from './lib/releases.mjs'

const version = process.env.DEMO_VERSION ?? ''
const port = Number(process.env.DEMO_PORT)
const socket = process.env.DEMO_DB_SOCKET ?? ''
const pidFile = process.env.DEMO_PID_FILE ?? ''
const release = releaseOf(version)
const db = connect(socket)

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The shop's database connections; v2's homepage keeps one for good on every view (its bug). */
const POOL_SIZE = 2
let inUse = 0
async function listOrders({ leak = false } = {}) {
  if (inUse >= POOL_SIZE)
    throw new Error(`connection pool exhausted (${inUse} of ${POOL_SIZE} in use)`)
  inUse++
  try {
    return await db.query(`SELECT ${release.orderColumns.join(', ')} FROM orders ORDER BY id`)
  } finally {
    if (!leak) inUse--
  }
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'x-shop-version': version })
  res.end(body)
}
const json = (res, status, body) => send(res, status, 'application/json', JSON.stringify(body))

function readJson(req) {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (c) => (text += c))
    req.on('end', () => {
      try {
        resolve(text ? JSON.parse(text) : {})
      } catch {
        reject(new Error('the body is not JSON'))
      }
    })
    req.on('error', reject)
  })
}

async function handle(req, res) {
  const path = new URL(req.url ?? '/', 'http://shop').pathname
  if (req.method === 'GET' && path === '/') {
    let orders
    try {
      orders = await listOrders({ leak: release.leaksConnections === true })
    } catch (e) {
      return send(res, 500, 'text/plain', `Internal error: ${e.message}\n`)
    }
    const rows = orders
      .map(
        (o) =>
          `<li>#${o.id} ${escapeHtml(o.customer)}: ${escapeHtml(o.item)} ` +
          `(${(o.total_cents / 100).toFixed(2)} €)${o.coupon ? ` coupon ${escapeHtml(o.coupon)}` : ''}</li>`
      )
      .join('\n')
    return send(
      res,
      200,
      'text/html; charset=utf-8',
      `<!doctype html><title>Acme shop</title><h1>Welcome to the Acme shop</h1>\n` +
        `<p>Release ${escapeHtml(version)}: ${escapeHtml(release.notes)}</p>\n<ul>\n${rows}\n</ul>\n`
    )
  }
  if (req.method === 'GET' && path === '/health') {
    try {
      const orders = await listOrders()
      return json(res, 200, { status: 'ok', version, orders: orders.length })
    } catch (e) {
      return json(res, 500, { status: 'error', version, error: e.message })
    }
  }
  if (req.method === 'GET' && path === '/version') return json(res, 200, { version })
  if (path === '/api/orders') {
    if (req.method === 'GET') {
      try {
        return json(res, 200, await listOrders())
      } catch (e) {
        return json(res, 500, { error: e.message })
      }
    }
    if (req.method === 'POST') {
      let body
      try {
        body = await readJson(req)
      } catch (e) {
        return json(res, 400, { error: e.message })
      }
      const { customer, item, total_cents: total } = body
      if (typeof customer !== 'string' || typeof item !== 'string' || !Number.isInteger(total)) {
        return json(res, 400, { error: 'expected { customer, item, total_cents }' })
      }
      try {
        const rows = await db.query(
          'INSERT INTO orders (customer, item, total_cents) VALUES ($1, $2, $3) RETURNING id',
          [customer, item, total]
        )
        return json(res, 201, { id: rows[0].id })
      } catch (e) {
        return json(res, 500, { error: e.message })
      }
    }
  }
  return json(res, 404, { error: 'not found' })
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) json(res, 500, { error: e.message })
    else res.destroy()
  })
})
server.keepAliveTimeout = 1000
server.listen(port, '127.0.0.1', () => {
  console.log(`shop ${version} listening on http://127.0.0.1:${port} (pid ${process.pid})`)
})

function stop(why) {
  console.log(`shop ${version}: stopping (${why})`)
  server.close(() => process.exit(0))
  server.closeAllConnections()
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGINT', () => stop('SIGINT'))

// Stop by ourselves once the pid file names another process or is gone (a newer deploy,
// or the demo cleaning up): no orphan shop keeps the port. Grace while deploy.mjs writes it.
const started = Date.now()
let named = false
setInterval(() => {
  let owner = ''
  try {
    owner = readFileSync(pidFile, 'utf8').trim()
  } catch {
    // gone
  }
  if (owner === String(process.pid)) named = true
  else if (named || Date.now() - started > 5000) stop('pid file no longer names this process')
}, 500).unref()
