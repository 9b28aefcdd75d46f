/** Client of db.mjs, the database server of one environment, over its Unix socket. */
import http from 'node:http'

export class DbError extends Error {
  constructor(message, info = {}) {
    super(message)
    this.name = 'DbError'
    Object.assign(this, info)
  }
}

function request(socketPath, method, path, body, { raw = false, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload =
      body === undefined
        ? undefined
        : Buffer.isBuffer(body)
          ? body
          : Buffer.from(JSON.stringify(body))
    const req = http.request(
      {
        socketPath,
        method,
        path,
        headers: payload
          ? {
              'content-type': Buffer.isBuffer(body) ? 'application/gzip' : 'application/json',
              'content-length': payload.length
            }
          : {}
      },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const bytes = Buffer.concat(chunks)
          if (raw && res.statusCode === 200) return resolve(bytes)
          let json
          try {
            json = JSON.parse(bytes.toString('utf8'))
          } catch {
            return reject(new DbError(`database answered ${res.statusCode} with a non-JSON body`))
          }
          if (!json.ok) {
            const { error, ...info } = json
            return reject(new DbError(error ?? `database answered ${res.statusCode}`, info))
          }
          resolve(json)
        })
      }
    )
    req.setTimeout(timeoutMs, () => req.destroy(new DbError(`no answer within ${timeoutMs} ms`)))
    req.on('error', (e) => {
      if (e instanceof DbError) return reject(e)
      const hint =
        e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
          ? ` (is the database server running? no socket at ${socketPath})`
          : ''
      reject(new DbError(`cannot reach the database: ${e.message}${hint}`))
    })
    req.end(payload)
  })
}

/** A connection-less client: every call is one request to the server. */
export function connect(socketPath) {
  return {
    socketPath,
    health: () => request(socketPath, 'GET', '/health'),
    /** one statement with `$1` parameters; resolves with the rows */
    async query(sql, params = []) {
      return (await request(socketPath, 'POST', '/query', { sql, params })).rows
    },
    /**
     * Runs `statements` (`{ sql, params?, label? }`; without params a statement may hold
     * several SQL commands) in one transaction, rolled back at the end when `rollback`.
     * Rejects with a DbError whose `label` names the statement that failed.
     */
    async transaction(statements, { rollback = false } = {}) {
      return (await request(socketPath, 'POST', '/transaction', { statements, rollback })).results
    },
    /** the whole data directory, as a gzipped tarball */
    dump: () => request(socketPath, 'POST', '/dump', undefined, { raw: true, timeoutMs: 120_000 }),
    /** replaces the whole database with a tarball from `dump()` */
    restore: (tarball) =>
      request(socketPath, 'POST', '/restore', tarball, { timeoutMs: 120_000 }).then(() => undefined)
  }
}

/** Resolves once the server answers /health, or rejects after `timeoutMs`. */
export async function waitForDatabase(socketPath, timeoutMs = 30_000) {
  const client = connect(socketPath)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await client.health()
      return client
    } catch (e) {
      if (Date.now() > deadline) throw e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** Is there a table (or view) of that name in the search path? */
export async function tableExists(client, name) {
  const rows = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [name])
  return rows[0]?.present === true
}

/** Column names of a table, in order; [] when the table does not exist. */
export async function columnsOf(client, table) {
  const rows = await client.query(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table]
  )
  return rows.map((r) => r.column_name)
}
