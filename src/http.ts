import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'

/**
 * A small fetch-like client on node:http. Node's global fetch loads undici and compiles its
 * WebAssembly parser on first use, and the process then waits for that compilation before it
 * can exit: a few hundred milliseconds on every run, for a tool that makes a handful of calls.
 */

export interface HttpOptions {
  method?: string
  headers?: Record<string, string>
  body?: string
  signal?: AbortSignal
  /** follow up to 5 redirects (GET/HEAD only), or hand them back */
  redirect?: 'follow' | 'manual'
  /** body bytes kept; the rest is read and dropped */
  maxBytes?: number
}

export interface HttpResponse {
  status: number
  ok: boolean
  statusText: string
  headers: { get(name: string): string | null }
  text(): Promise<string>
}

/** Errors carry the system code (ECONNREFUSED ...) as `cause.code`, like fetch's do. */
export class HttpError extends Error {
  constructor(
    message: string,
    override readonly cause: { code?: string; message: string }
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

const MAX_REDIRECTS = 5

function headerGetter(res: IncomingMessage): HttpResponse['headers'] {
  return {
    get: (name) => {
      const v = res.headers[name.toLowerCase()]
      if (v === undefined) return null
      return Array.isArray(v) ? v.join(', ') : v
    }
  }
}

function once(url: URL, o: HttpOptions): Promise<{ res: IncomingMessage; body: string }> {
  const headers: Record<string, string> = { ...o.headers }
  // credentials in a URL are sent as basic auth, never as part of the request line
  if (
    (url.username || url.password) &&
    !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')
  ) {
    const user = decodeURIComponent(url.username)
    const pass = decodeURIComponent(url.password)
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
  }
  if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body))
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted)
      return reject(new HttpError('aborted', { code: 'ABORT_ERR', message: 'aborted' }))
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: o.method ?? 'GET',
        headers
      },
      (res) => {
        const chunks: Buffer[] = []
        let kept = 0
        const limit = o.maxBytes ?? Infinity
        res.on('data', (chunk: Buffer) => {
          if (kept >= limit) return
          const room = limit - kept
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk)
          kept += Math.min(chunk.length, room)
        })
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', (e) => fail(e))
        res.on('close', () => {
          if (!res.complete)
            fail(
              new HttpError('connection closed before the answer ended', {
                code: 'ECONNRESET',
                message: 'closed'
              })
            )
        })
      }
    )
    const fail = (e: Error & { code?: string }): void => {
      o.signal?.removeEventListener('abort', onAbort)
      reject(
        e instanceof HttpError ? e : new HttpError(e.message, { code: e.code, message: e.message })
      )
    }
    const onAbort = (): void => {
      req.destroy(new HttpError('aborted', { code: 'ABORT_ERR', message: 'aborted' }))
    }
    o.signal?.addEventListener('abort', onAbort, { once: true })
    req.on('error', fail)
    req.on('close', () => o.signal?.removeEventListener('abort', onAbort))
    req.end(o.body)
  })
}

export async function httpFetch(input: string | URL, o: HttpOptions = {}): Promise<HttpResponse> {
  let url = new URL(input)
  for (let hop = 0; ; hop++) {
    const { res, body } = await once(url, o)
    const status = res.statusCode ?? 0
    const location = res.headers.location
    const method = (o.method ?? 'GET').toUpperCase()
    if (
      o.redirect === 'follow' &&
      status >= 300 &&
      status < 400 &&
      location &&
      (method === 'GET' || method === 'HEAD') &&
      hop < MAX_REDIRECTS
    ) {
      const next = new URL(location, url)
      // like fetch: credentials are not handed on to another origin
      if (next.origin !== url.origin && o.headers)
        o = {
          ...o,
          headers: Object.fromEntries(
            Object.entries(o.headers).filter(([h]) => h.toLowerCase() !== 'authorization')
          )
        }
      url = next
      continue
    }
    return {
      status,
      ok: status >= 200 && status < 300,
      statusText: res.statusMessage ?? '',
      headers: headerGetter(res),
      text: async () => body
    }
  }
}

/** A controller that also aborts when `parent` does; `dispose` stops listening to the parent. */
export function linkedAbort(parent?: AbortSignal): {
  controller: AbortController
  dispose: () => void
} {
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(parent?.reason)
  if (parent?.aborted) controller.abort(parent.reason)
  else parent?.addEventListener('abort', onAbort, { once: true })
  return { controller, dispose: () => parent?.removeEventListener('abort', onAbort) }
}

/** A signal that aborts after `ms` or when `parent` aborts; `dispose` clears the timer. */
export function timeoutSignal(
  ms: number,
  parent?: AbortSignal
): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const { controller, dispose } = linkedAbort(parent)
  let fired = false
  const timer = setTimeout(() => {
    fired = true
    controller.abort()
  }, ms)
  return {
    signal: controller.signal,
    timedOut: () => fired,
    dispose: () => {
      clearTimeout(timer)
      dispose()
    }
  }
}

/** Retry-After in ms (delta-seconds or HTTP date), at most `capMs`; undefined when absent or unreadable. */
export function retryAfterMs(
  value: string | null,
  now: Date,
  capMs = Infinity
): number | undefined {
  if (!value) return undefined
  const text = value.trim()
  let ms: number
  if (/^\d+$/.test(text)) ms = Number(text) * 1000
  else {
    const at = Date.parse(text)
    if (Number.isNaN(at)) return undefined
    ms = at - now.getTime()
  }
  return Math.min(capMs, Math.max(0, ms))
}

/** Whether `text` is an absolute http(s) URL with a host. */
export function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== ''
  } catch {
    return false
  }
}
