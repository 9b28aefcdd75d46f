/**
 * A loopback HTTP server that records every request and answers with a programmable
 * sequence of responses. It stands in for Slack, Microsoft Teams, a signed webhook, a
 * monitoring URL or a smoke-test target.
 *
 *   const receiver = await startReceiver()
 *   receiver.respondWith([500, { status: 429, retryAfter: 1 }, 200])
 *   ...
 *   const [first] = await receiver.waitFor(1)
 *   await receiver.close()
 *
 * Tests await conditions (`waitFor`) instead of sleeping.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface ReceivedRequest {
  method: string
  /** path without the query string */
  path: string
  /** path with the query string, as sent */
  url: string
  /** lower-cased names */
  headers: Record<string, string>
  /** the raw body, exactly as received */
  body: string
  /** the body parsed as JSON, `undefined` when empty or not JSON */
  json: unknown
  /** `Date.now()` when the body had been read */
  receivedAt: number
  /** the status it was (or will be) answered with, `'hang'` when never answered */
  answer: number | 'hang'
}

export interface ResponseSpec {
  status: number
  /** default: `ok` for 2xx, `error` otherwise */
  body?: string
  headers?: Record<string, string>
  /** sets the `Retry-After` header */
  retryAfter?: number | string
  /** waits this long before answering (the request is recorded at once) */
  delayMs?: number
}

/** a status code, a full response, or `'hang'`: never answer */
export type ReceiverResponse = number | ResponseSpec | 'hang'

export interface ReceiverOptions {
  /** answers for the first requests, in order (default: none) */
  responses?: ReceiverResponse[]
  /** answer once `responses` is used up (default 200) */
  fallback?: ReceiverResponse
}

export interface Receiver {
  /** e.g. `http://127.0.0.1:PORT`; any path is accepted */
  readonly url: string
  readonly requests: ReceivedRequest[]
  /** replaces the queue of answers; `fallback` (default: unchanged) once it is used up */
  respondWith(responses: ReceiverResponse[], fallback?: ReceiverResponse): void
  /** every following request hangs (until `close()`) */
  hang(): void
  /**
   * Resolves with the requests once at least `count` (matching `filter`, if given) have
   * arrived; rejects after `timeoutMs`.
   */
  waitFor(
    count: number,
    timeoutMs?: number,
    filter?: (request: ReceivedRequest) => boolean
  ): Promise<ReceivedRequest[]>
  /** number of requests currently held open */
  readonly hanging: number
  /** closes the server, destroying open (and hanging) connections */
  close(): Promise<void>
}

export const SIGNATURE_HEADER = 'x-red-button-signature-256'

/** `sha256=<hex HMAC-SHA256 of body>`, as docs/design.md section 10 specifies */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`
}

/** whether the request carries a valid signature of its raw body for `secret` */
export function hasValidSignature(
  request: ReceivedRequest,
  secret: string,
  header = SIGNATURE_HEADER
): boolean {
  const given = Buffer.from(request.headers[header.toLowerCase()] ?? '', 'utf8')
  const expected = Buffer.from(signatureOf(request.body, secret), 'utf8')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

interface Waiter {
  count: number
  filter?: (request: ReceivedRequest) => boolean
  resolve: (requests: ReceivedRequest[]) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

function toSpec(response: Exclude<ReceiverResponse, 'hang'>): ResponseSpec {
  return typeof response === 'number' ? { status: response } : response
}

export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = []
  let queue: ReceiverResponse[] = [...(opts.responses ?? [])]
  let fallback: ReceiverResponse = opts.fallback ?? 200
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const held = new Set<http.ServerResponse>()
  let waiters: Waiter[] = []
  let closed = false

  const matching = (w: Pick<Waiter, 'filter'>): ReceivedRequest[] =>
    w.filter ? requests.filter(w.filter) : [...requests]

  const settleWaiters = (): void => {
    waiters = waiters.filter((w) => {
      const found = matching(w)
      if (found.length < w.count) return true
      clearTimeout(w.timer)
      w.resolve(found)
      return false
    })
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = body.trim() === '' ? undefined : (JSON.parse(body) as unknown)
      } catch {
        json = undefined
      }
      const response = queue.length > 0 ? (queue.shift() as ReceiverResponse) : fallback
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
      }
      const url = req.url ?? '/'
      requests.push({
        method: req.method ?? 'GET',
        path: url.split('?')[0] ?? '/',
        url,
        headers,
        body,
        json,
        receivedAt: Date.now(),
        answer: response === 'hang' ? 'hang' : toSpec(response).status
      })
      settleWaiters()

      if (response === 'hang') {
        held.add(res)
        res.on('close', () => held.delete(res))
        return
      }
      const spec = toSpec(response)
      const answer = (): void => {
        if (res.destroyed) return
        const ok = spec.status >= 200 && spec.status < 300
        res.writeHead(spec.status, {
          'content-type': 'text/plain; charset=utf-8',
          ...(spec.retryAfter !== undefined ? { 'retry-after': String(spec.retryAfter) } : {}),
          ...spec.headers
        })
        res.end(spec.body ?? (ok ? 'ok' : 'error'))
      }
      if (spec.delayMs && spec.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer)
          answer()
        }, spec.delayMs)
        timers.add(timer)
      } else {
        answer()
      }
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get hanging() {
      return held.size
    },

    respondWith(responses, newFallback) {
      queue = [...responses]
      if (newFallback !== undefined) fallback = newFallback
    },

    hang() {
      queue = []
      fallback = 'hang'
    },

    waitFor(count, timeoutMs = 5000, filter) {
      const now = filter ? requests.filter(filter) : [...requests]
      if (now.length >= count) return Promise.resolve(now)
      if (closed) return Promise.reject(new Error('receiver is closed'))
      return new Promise<ReceivedRequest[]>((resolve, reject) => {
        const waiter: Waiter = {
          count,
          filter,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters = waiters.filter((w) => w !== waiter)
            reject(
              new Error(
                `waitFor(${count}): only ${matching(waiter).length} matching request(s) ` +
                  `after ${timeoutMs} ms (${requests.length} in all)`
              )
            )
          }, timeoutMs)
        }
        waiters.push(waiter)
      })
    },

    close() {
      closed = true
      for (const w of waiters) {
        clearTimeout(w.timer)
        w.reject(new Error(`receiver closed before ${w.count} request(s) arrived`))
      }
      waiters = []
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    }
  }
}
