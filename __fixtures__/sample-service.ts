import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * A loopback stand-in for the deployed service and its Prometheus.
 *
 * - `GET /health`  200 "ok", or 503 "broken" while broken
 * - `GET /`        200 "Welcome to the shop" (503 while broken)
 * - `GET /slow?ms=300`  answers 200 "slow" after the delay
 * - `GET /metrics/api/v1/query?query=...` (and `/api/v1/query`)  Prometheus' instant query
 *   API; use `prometheusUrl` (= `${url}/metrics`) as the base address of a Prometheus check
 */
export interface SampleService {
  /** base address, e.g. http://127.0.0.1:43121 (no trailing slash) */
  readonly url: string
  /** base address of the Prometheus stand-in */
  readonly prometheusUrl: string
  /** requests received so far (all paths) */
  readonly requests: number
  /** queries received by the Prometheus stand-in, decoded */
  readonly queries: string[]
  readonly broken: boolean
  /** /health and / answer 503 from now on */
  break(): void
  heal(): void
  /** broken for `ms`, then healthy again */
  breakFor(ms: number): void
  /** healthy for `n` more requests, broken from then on */
  breakAfter(n: number): void
  /** the value the error-rate query returns; null: an empty result ("no data") */
  setErrorRate(value: number | null): void
  /** make queries fail with Prometheus' error answer (400); null: answer normally */
  setPrometheusError(message: string | null): void
  /** answer with resultType "scalar" instead of "vector" */
  setPrometheusResultType(type: 'vector' | 'scalar'): void
  /** resolves once `requests` reaches `n` */
  waitForRequests(n: number): Promise<void>
  close(): Promise<void>
}

function promValue(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '+Inf'
  if (x === -Infinity) return '-Inf'
  return String(x)
}

export async function startSampleService(): Promise<SampleService> {
  let broken = false
  let breakAfter: number | undefined
  let requests = 0
  let errorRate: number | null = 0.002
  let promError: string | null = null
  let resultType: 'vector' | 'scalar' = 'vector'
  const queries: string[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let waiters: { n: number; resolve: () => void }[] = []

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain'): void => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
    res.end(body)
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requests++
    if (breakAfter !== undefined) {
      if (breakAfter <= 0) {
        broken = true
        breakAfter = undefined
      } else breakAfter--
    }
    waiters = waiters.filter((w) => {
      if (requests < w.n) return true
      w.resolve()
      return false
    })

    const u = new URL(req.url ?? '/', 'http://localhost')
    if (u.pathname === '/api/v1/query' || u.pathname === '/metrics/api/v1/query') {
      const query = u.searchParams.get('query') ?? ''
      queries.push(query)
      const now = Date.now() / 1000
      if (promError !== null || !query) {
        const error = promError ?? 'query is empty'
        const body = { status: 'error', errorType: 'bad_data', error }
        return send(res, 400, JSON.stringify(body), 'application/json')
      }
      let result: unknown
      if (resultType === 'scalar') result = [now, promValue(errorRate ?? NaN)]
      else if (errorRate === null) result = []
      else result = [{ metric: { job: 'shop' }, value: [now, promValue(errorRate)] }]
      const body = { status: 'success', data: { resultType, result } }
      return send(res, 200, JSON.stringify(body), 'application/json')
    }
    switch (u.pathname) {
      case '/health':
        return broken ? send(res, 503, 'broken') : send(res, 200, 'ok')
      case '/':
        return broken
          ? send(res, 503, 'Service Unavailable')
          : send(res, 200, 'Welcome to the shop')
      case '/slow': {
        const ms = Number(u.searchParams.get('ms') ?? 300)
        return later(ms, () => send(res, 200, 'slow'))
      }
      case '/redirect':
        res.writeHead(302, { location: '/' })
        res.end()
        return
      default:
        return send(res, 404, 'not found')
    }
  }

  const server = createServer(handle)
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`

  return {
    url,
    prometheusUrl: `${url}/metrics`,
    get requests() {
      return requests
    },
    get queries() {
      return [...queries]
    },
    get broken() {
      return broken
    },
    break: () => {
      broken = true
      breakAfter = undefined
    },
    heal: () => {
      broken = false
      breakAfter = undefined
    },
    breakFor: (ms) => {
      broken = true
      breakAfter = undefined
      later(ms, () => {
        broken = false
      })
    },
    breakAfter: (n) => {
      breakAfter = n
    },
    setErrorRate: (value) => {
      errorRate = value
    },
    setPrometheusError: (message) => {
      promError = message
    },
    setPrometheusResultType: (type) => {
      resultType = type
    },
    waitForRequests: (n) =>
      requests >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    close: async () => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
    }
  }
}

/** A loopback address where nothing listens (a port that was just freed). */
export async function refusedUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
