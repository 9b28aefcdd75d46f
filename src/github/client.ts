import type { Clock } from '../clock.js'
import { httpFetch, retryAfterMs, timeoutSignal, type HttpResponse } from '../http.js'

/**
 * A small REST client over node:http (see http.ts). Octokit (with undici) would add ~500 KB to the
 * bundle and tens of milliseconds to every start; the dozen endpoints we call need only
 * JSON, pagination and careful retries.
 */
export interface RestResponse<T> {
  status: number
  data: T
  headers: HttpResponse['headers']
}

export class GitHubError extends Error {
  constructor(
    readonly status: number,
    readonly route: string,
    message: string
  ) {
    super(message)
    this.name = 'GitHubError'
  }
}

export interface RestClientOptions {
  baseUrl: string
  token: string
  clock: Clock
  /** attempts for retryable failures (5xx, rate limits, network) */
  attempts?: number
  timeoutMs?: number
  /** longest wait honoured from Retry-After / rate-limit reset */
  maxWaitMs?: number
  userAgent?: string
}

type Query = Record<string, string | number | undefined>

export class RestClient {
  /** every HTTP request sent, retries included: the benchmark reads it */
  requestCount = 0
  private readonly attempts: number
  private readonly timeoutMs: number
  private readonly maxWaitMs: number

  constructor(private readonly opts: RestClientOptions) {
    this.attempts = opts.attempts ?? 4
    this.timeoutMs = opts.timeoutMs ?? 30_000
    this.maxWaitMs = opts.maxWaitMs ?? 60_000
  }

  /**
   * `once`: the request must not be repeated after a 5xx or a network error, which may
   * have been processed (creating a deployment twice would leave a phantom lock).
   * Rate-limit refusals are still retried: GitHub did nothing with those.
   */
  async request<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; once?: boolean } = {}
  ): Promise<RestResponse<T>> {
    const url = this.url(path, options.query)
    const route = `${method} ${path.replace(/\?.*$/, '')}`
    let lastError = ''
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      let response: HttpResponse
      // not AbortSignal.timeout(): its timer would stay behind for timeoutMs after each request
      const timeout = timeoutSignal(this.timeoutMs)
      try {
        this.requestCount++
        response = await httpFetch(url, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.opts.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': this.opts.userAgent ?? 'red-button',
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {})
          },
          body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
          signal: timeout.signal
        }).finally(() => timeout.dispose())
      } catch (e) {
        lastError = `network error: ${(e as Error).message}`
        if (options.once) throw new GitHubError(0, route, `${route} failed: ${lastError}`)
        if (attempt < this.attempts) await this.opts.clock.sleep(this.backoff(attempt))
        continue
      }
      const text = await response.text()
      if (response.ok) {
        return {
          status: response.status,
          data: (text ? JSON.parse(text) : undefined) as T,
          headers: response.headers
        }
      }
      const message = errorMessage(text) || response.statusText
      lastError = `HTTP ${response.status}: ${message}`
      const wait = this.retryWait(response, message, attempt)
      const unsafe = options.once === true && response.status >= 500
      if (wait === undefined || unsafe || attempt === this.attempts) {
        throw new GitHubError(response.status, route, `${route} failed: ${lastError}`)
      }
      await this.opts.clock.sleep(wait)
    }
    throw new GitHubError(0, route, `${route} failed after ${this.attempts} attempts: ${lastError}`)
  }

  /** Follows `Link: rel="next"` and concatenates the items `pick` takes from each page. */
  async paginate<P, T>(
    path: string,
    query: Query,
    pick: (page: P) => T[],
    maxPages = 10
  ): Promise<T[]> {
    const items: T[] = []
    let next: string | undefined = this.url(path, { per_page: 100, ...query })
    for (let page = 0; next && page < maxPages; page++) {
      const res: RestResponse<P> = await this.request<P>('GET', next)
      items.push(...pick(res.data))
      next = nextLink(res.headers.get('link'))
    }
    return items
  }

  private url(path: string, query?: Query): string {
    const base = /^https?:\/\//.test(path) ? path : `${this.opts.baseUrl.replace(/\/$/, '')}${path}`
    const u = new URL(base)
    for (const [k, v] of Object.entries(query ?? {}))
      if (v !== undefined) u.searchParams.set(k, String(v))
    return u.toString()
  }

  private backoff(attempt: number): number {
    return Math.min(this.maxWaitMs, 500 * 2 ** (attempt - 1))
  }

  /** How long to wait before retrying, or undefined when the failure is final. */
  private retryWait(res: HttpResponse, message: string, attempt: number): number | undefined {
    const fromHeader = retryAfterMs(res.headers.get('retry-after'), this.opts.clock.now())
    const rateLimited =
      res.status === 429 ||
      (res.status === 403 &&
        (res.headers.get('x-ratelimit-remaining') === '0' || /rate limit/i.test(message)))
    if (rateLimited) {
      const reset = Number(res.headers.get('x-ratelimit-reset'))
      const untilReset =
        res.headers.get('x-ratelimit-remaining') === '0' && reset > 0
          ? reset * 1000 - this.opts.clock.now().getTime()
          : undefined
      const wait = fromHeader ?? untilReset ?? 60_000
      return wait > this.maxWaitMs ? undefined : Math.max(wait, 0)
    }
    if (res.status >= 500) return Math.min(fromHeader ?? this.backoff(attempt), this.maxWaitMs)
    return undefined
  }
}

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown }
    return typeof parsed.message === 'string' ? parsed.message : ''
  } catch {
    return text.slice(0, 200)
  }
}

export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part)
    if (m) return m[1]
  }
  return undefined
}
