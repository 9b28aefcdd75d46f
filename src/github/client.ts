import { getOctokit } from '@actions/github'
import { GitHub } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import { fetch as undiciFetch, Headers, Response } from 'undici'
import type { Log } from '../core.js'
import { dispatcherFor, retryAfterMs, timeoutSignal } from '../http.js'

/**
 * The GitHub client: the Actions toolkit's octokit (`@actions/github`) with the retry and
 * throttling plugins, over the same proxy-aware transport as every other request. Three small
 * additions, each where octokit lets one in:
 * - the transport gives every attempt a time limit and reads `Retry-After` HTTP dates as
 *   seconds (the throttling plugin reads only numbers);
 * - `conditionalGets` repeats a GET with `If-None-Match` and answers a `304` from what it
 *   kept: GitHub does not count a 304 against the rate limit, so polling pending checks is free;
 * - a request can opt out of the retry plugin (`POST deployments`, see `api.ts`);
 * - writes are paced by a token bucket rather than one a second each (see `writePacing`).
 */

/**
 * GitHub asks clients that make many writes to leave about a second between them; the
 * throttling plugin spaces every write by a second. A run makes a handful (the deployment, its
 * statuses, a comment), and that spacing cost each deployment two seconds of waiting (before
 * its first status, and before its comment). A token bucket keeps GitHub's average for a
 * sustained stream and lets a run's few writes go at once: 3 at once, then one a second.
 * Comments (writes that notify people) keep the plugin's own 3 s spacing.
 */
export const WRITE_BURST = 3
let writes: Bottleneck.Group | undefined
/** One for the process, as the plugin's own groups are (each group keeps a clean-up timer). */
function writePacing(): Bottleneck.Group {
  writes ??= new Bottleneck.Group({
    maxConcurrent: 1,
    minTime: 0,
    reservoir: WRITE_BURST,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: 1000,
    reservoirIncreaseMaximum: WRITE_BURST
  })
  return writes
}

export interface GitHubClientOptions {
  baseUrl: string
  token: string
  log?: Log
  /** time limit of one HTTP attempt */
  timeoutMs?: number
  /** longest wait honoured from Retry-After / a rate-limit reset; longer ones fail at once */
  maxWaitMs?: number
  /** retries of 5xx and network errors */
  retries?: number
  /**
   * One second of back-off, in ms (default 1000): the retry plugin waits 1, 4, 9 of them after
   * a 5xx, the throttling plugin the Retry-After's count. Tests shrink it (see
   * `RunContext.backoffUnitMs`); what is logged and bounded by `maxWaitMs` stays in seconds.
   */
  backoffUnitMs?: number
}

/** What the client did; the benchmark and the tests read it. */
export interface ClientStats {
  /** HTTP attempts sent, retries included */
  requests: number
  /** answered `304 Not Modified` (free of rate limit) */
  notModified: number
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

const NULL_BODY = new Set([101, 204, 205, 304])
const RATE_LIMIT_RETRIES = 3
const API_VERSION = '2022-11-28'

function makeClient(o: GitHubClientOptions, stats: ClientStats) {
  const timeoutMs = o.timeoutMs ?? 30_000
  const maxWaitMs = o.maxWaitMs ?? 60_000
  const backoffUnitMs = o.backoffUnitMs ?? 1000
  const log = o.log

  const transport = async (url: string, init: RequestInit & { signal?: AbortSignal | null }) => {
    stats.requests++
    const limit = timeoutSignal(timeoutMs, init.signal ?? undefined)
    try {
      const res = await undiciFetch(url, {
        ...(init as object),
        signal: limit.signal,
        dispatcher: dispatcherFor(url)
      })
      // read inside the time limit: a body that stalls counts as no answer
      const body = NULL_BODY.has(res.status) ? null : await res.arrayBuffer()
      const headers = new Headers(res.headers)
      const after = headers.get('retry-after')
      if (after && !/^\s*\d+\s*$/.test(after)) {
        const ms = retryAfterMs(after, new Date())
        if (ms !== undefined) headers.set('retry-after', String(Math.max(1, Math.ceil(ms / 1000))))
      }
      const answer = new Response(body, { status: res.status, statusText: res.statusText, headers })
      // octokit reads the final URL (paginating compares); a new Response has none of its own
      return Object.defineProperty(answer, 'url', { value: res.url })
    } catch (e) {
      // not an AbortError: octokit would neither wrap nor retry that
      if (limit.timedOut())
        throw new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`, { cause: e })
      throw e
    } finally {
      limit.dispose()
    }
  }

  const willWait = (kind: string, retryAfterS: number, retryCount: number, route: string) => {
    const ok = retryCount < RATE_LIMIT_RETRIES && retryAfterS * 1000 <= maxWaitMs
    if (ok) log?.info(`GitHub ${kind} on ${route}: waiting ${retryAfterS} s before retrying`)
    return ok
  }

  const options = {
    baseUrl: o.baseUrl.replace(/\/$/, ''),
    userAgent: 'red-button',
    request: { fetch: transport },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (m: string) => log?.debug(m),
      error: (m: string) => log?.debug(m)
    },
    retry: { retries: o.retries ?? 3, retryAfterBaseValue: backoffUnitMs },
    throttle: {
      retryAfterBaseValue: backoffUnitMs,
      write: writePacing(),
      onRateLimit: (after: number, opts: { method: string; url: string }, _o: unknown, n: number) =>
        willWait('rate limit', after, n, `${opts.method} ${opts.url}`),
      onSecondaryRateLimit: (
        after: number,
        opts: { method: string; url: string },
        _o: unknown,
        n: number
      ) => willWait('secondary rate limit', after, n, `${opts.method} ${opts.url}`)
    }
  }
  // no token (a local run without one): unauthenticated requests, which getOctokit refuses
  const withToken = () => getOctokit(o.token, options, retry, throttling)
  if (!o.token)
    return new (GitHub.plugin(retry, throttling))(options) as unknown as ReturnType<
      typeof withToken
    >
  return withToken()
}

export type Octokit = ReturnType<typeof makeClient>

interface CachedAnswer {
  etag: string
  response: unknown
}

/** Repeats GETs with `If-None-Match`; a 304 is answered with the response kept. */
function conditionalGets(octokit: Octokit, stats: ClientStats): void {
  const kept = new Map<string, CachedAnswer>()
  octokit.hook.wrap('request', async (request, options) => {
    if (options.method !== 'GET') return request(options)
    const key = octokit.request.endpoint.parse(options).url
    const hit = kept.get(key)
    if (hit) options.headers = { ...options.headers, 'if-none-match': hit.etag }
    try {
      const response = await request(options)
      const etag = response.headers.etag
      // kept as a copy: octokit.paginate reshapes the response it is given in place
      if (etag) kept.set(key, { etag, response: structuredClone(response) })
      return response
    } catch (e) {
      if (hit && (e as { status?: number }).status === 304) {
        stats.notModified++
        return structuredClone(hit.response) as Awaited<ReturnType<typeof request>>
      }
      throw e
    }
  })
}

export function createGitHubClient(o: GitHubClientOptions): {
  octokit: Octokit
  stats: ClientStats
} {
  const stats: ClientStats = { requests: 0, notModified: 0 }
  const octokit = makeClient(o, stats)
  octokit.hook.before('request', (options) => {
    options.headers['x-github-api-version'] = API_VERSION
  })
  conditionalGets(octokit, stats)
  return { octokit, stats }
}

/** Octokit's errors as ours: the route, the HTTP status and GitHub's message. */
export function asGitHubError(e: unknown, route: string): GitHubError {
  if (e instanceof GitHubError) return e
  const err = e as {
    status?: number
    message?: string
    response?: { data?: unknown }
  }
  const status = typeof err.status === 'number' ? err.status : 0
  if (!err.response) {
    return new GitHubError(0, route, `${route} failed: network error: ${err.message ?? String(e)}`)
  }
  const data = err.response.data as { message?: unknown } | undefined
  const message =
    data && typeof data === 'object' && typeof data.message === 'string' ? data.message : ''
  return new GitHubError(
    status,
    route,
    `${route} failed: HTTP ${status}${message ? `: ${message}` : ''}`
  )
}
