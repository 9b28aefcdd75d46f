import { getProxyUrl } from '@actions/http-client'
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici'

/**
 * Every outbound request of Red Button (GitHub through octokit, chat, webhooks, markers,
 * probes, Prometheus) goes through undici with the dispatcher `dispatcherFor` picks: the
 * proxy that `HTTPS_PROXY` / `HTTP_PROXY` name (either case), unless `NO_PROXY` or a loopback
 * host says to go direct — the rules of `@actions/http-client`, which decides it here too.
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

let direct: Agent | undefined
const proxies = new Map<string, ProxyAgent>()

/** The proxy for `url` per the runner's environment, or undefined to go direct. */
export function proxyFor(url: string | URL): string | undefined {
  return getProxyUrl(String(url)) || undefined
}

/** The dispatcher for `url`: one ProxyAgent per proxy, one Agent for direct requests. */
export function dispatcherFor(url: string | URL): Dispatcher {
  const proxy = proxyFor(url)
  if (!proxy) return (direct ??= new Agent())
  let agent = proxies.get(proxy)
  if (!agent) {
    const p = new URL(proxy)
    const token =
      p.username || p.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(p.username)}:${decodeURIComponent(p.password)}`).toString('base64')}`
        : undefined
    p.username = ''
    p.password = ''
    agent = new ProxyAgent({ uri: p.href, token })
    proxies.set(proxy, agent)
  }
  return agent
}

/** undici's error codes, told as the system codes callers know (a closed socket is a reset). */
function asHttpError(e: unknown, signal?: AbortSignal): HttpError {
  if (e instanceof HttpError) return e
  const err = e as Error & { code?: string; cause?: { code?: string } }
  if (signal?.aborted || err?.name === 'AbortError' || err?.code === 'UND_ERR_ABORTED')
    return new HttpError('aborted', { code: 'ABORT_ERR', message: 'aborted' })
  let code = err?.code ?? err?.cause?.code
  if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') code = 'ECONNRESET'
  const message = err?.message ?? String(e)
  return new HttpError(message, { code, message })
}

async function readBody(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let kept = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (kept >= limit) continue // read to the end, keep nothing more
    const room = limit - kept
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk)
    kept += Math.min(chunk.length, room)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function once(
  url: URL,
  o: HttpOptions
): Promise<{ res: Dispatcher.ResponseData; body: string }> {
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
  const target = new URL(url)
  target.username = ''
  target.password = ''
  if (o.signal?.aborted) throw new HttpError('aborted', { code: 'ABORT_ERR', message: 'aborted' })
  try {
    const res = await request(target, {
      method: (o.method ?? 'GET') as Dispatcher.HttpMethod,
      headers,
      body: o.body,
      signal: o.signal,
      dispatcher: dispatcherFor(target)
    })
    const body = await readBody(res.body, o.maxBytes ?? Infinity)
    return { res, body }
  } catch (e) {
    throw asHttpError(e, o.signal)
  }
}

function headerGetter(res: Dispatcher.ResponseData): HttpResponse['headers'] {
  return {
    get: (name) => {
      const v = res.headers[name.toLowerCase()]
      if (v === undefined) return null
      return Array.isArray(v) ? v.join(', ') : v
    }
  }
}

export async function httpFetch(input: string | URL, o: HttpOptions = {}): Promise<HttpResponse> {
  let url = new URL(input)
  for (let hop = 0; ; hop++) {
    const { res, body } = await once(url, o)
    const status = res.statusCode
    const location = res.headers.location
    const method = (o.method ?? 'GET').toUpperCase()
    if (
      o.redirect === 'follow' &&
      status >= 300 &&
      status < 400 &&
      typeof location === 'string' &&
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
