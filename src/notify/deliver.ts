/**
 * Delivery of one JSON POST with retries, and the fan-out to several channels under one
 * deadline. Nothing here throws, and no message ever contains a URL or a header value:
 * webhook URLs and tokens are secrets (docs/design.md section 10). Channels are named instead.
 */
import type { Clock } from '../clock.js'
import type { Log } from '../core.js'
import { formatDuration } from '../duration.js'
import { httpFetch, retryAfterMs, timeoutSignal } from '../http.js'

export interface PostOptions {
  clock: Clock
  log: Log
  /** name used in log lines and errors instead of the URL, e.g. "slack" */
  channel?: string
  /** total attempts, at least 1 (default 3) */
  attempts?: number
  /** limit for each attempt, connection to end of the response head (default 10 s) */
  timeoutMs?: number
  /** first backoff wait, doubled after each attempt (default 1 s) */
  backoffMs?: number
  /** aborting stops the current attempt and any further one */
  signal?: AbortSignal
  /** further strings that must never appear in an error (tokens passed some other way) */
  secrets?: string[]
}

export interface DeliveryResult {
  ok: boolean
  /** attempts made */
  attempts: number
  /** HTTP status of the last response, if one came */
  status?: number
  /** why it failed, e.g. "HTTP 500", "timeout after 10000ms", "network error (ECONNREFUSED)" */
  error?: string
}

/** Longest wait honoured from a Retry-After header. */
export const MAX_RETRY_AFTER_MS = 30_000

/** Headers whose values are not secret; every other header value is scrubbed from errors. */
const PUBLIC_HEADERS = new Set(['content-type', 'user-agent', 'accept', 'x-red-button-event'])

const REDACTED = '[redacted]'

/** Builds a function that replaces every occurrence of the given secrets. */
export function scrubber(secrets: Array<string | undefined>): (text: string) => string {
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4))].sort(
    (a, b) => b.length - a.length
  )
  return (text) => {
    let out = text
    for (const secret of list) out = out.split(secret).join(REDACTED)
    return out
  }
}

/** The URL and the parts of it that identify it, plus secret-looking header values. */
function secretsOf(url: string, headers: Readonly<{ [name: string]: string }>): string[] {
  const out = [url]
  try {
    out.push(decodeURI(url))
  } catch {
    // undecodable: the raw form is enough
  }
  try {
    const u = new URL(url)
    out.push(u.href, u.username, u.password, u.search, u.hash)
    if (u.pathname.length > 1) out.push(u.pathname + u.search)
    if (u.pathname.length > 8) out.push(u.pathname)
  } catch {
    // not a URL: nothing more to hide
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!PUBLIC_HEADERS.has(name.toLowerCase())) out.push(value, value.replace(/^\S+\s+/, ''))
  }
  return out
}

/** One printable line of at most `max` characters. */
function snippet(text: string, max = 120): string {
  const flat = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function networkError(err: unknown, scrub: (s: string) => string): string {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause
  if (cause && typeof cause.code === 'string') return `network error (${snippet(cause.code, 40)})`
  const message = err instanceof Error ? err.message : String(err)
  return `network error (${snippet(scrub(message), 120)})`
}

interface AttemptOutcome {
  ok: boolean
  retry: boolean
  status?: number
  error?: string
  waitMs?: number
}

async function attemptOnce(
  url: string,
  body: string,
  headers: { [name: string]: string },
  timeoutMs: number,
  clock: Clock,
  scrub: (s: string) => string,
  signal?: AbortSignal
): Promise<AttemptOutcome> {
  const attempt = timeoutSignal(timeoutMs, signal)
  try {
    const res = await httpFetch(url, {
      method: 'POST',
      headers,
      body,
      signal: attempt.signal,
      redirect: 'manual'
    })
    const status = res.status
    if (status >= 200 && status < 300) {
      return { ok: true, retry: false, status }
    }
    let text = ''
    if (status >= 400 && status < 500 && status !== 429) {
      text = await res.text().catch(() => '')
    }
    const detail = text ? snippet(scrub(text), 100) : ''
    const error = `HTTP ${status}${detail ? ` (${detail})` : ''}`
    const retry = status >= 500 || status === 429
    const waitMs =
      status === 429 || status === 503
        ? retryAfterMs(res.headers.get('retry-after'), clock.now(), MAX_RETRY_AFTER_MS)
        : undefined
    return { ok: false, retry, status, error, waitMs }
  } catch (err) {
    if (attempt.timedOut()) return { ok: false, retry: true, error: `timeout after ${timeoutMs}ms` }
    if (signal?.aborted) return { ok: false, retry: false, error: 'cancelled' }
    return { ok: false, retry: true, error: networkError(err, scrub) }
  } finally {
    attempt.dispose()
  }
}

/**
 * POSTs `body` (already serialised, so that a signature can cover exactly these bytes).
 * Retries network errors, timeouts, 5xx and 429 with exponential backoff through
 * `clock.sleep`, honouring Retry-After (capped at 30 s); other statuses are final.
 * Never throws; the result never contains the URL or secret header values.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Readonly<{ [name: string]: string }>,
  options: PostOptions
): Promise<DeliveryResult> {
  const { clock, log, signal, channel = 'endpoint' } = options
  const maxAttempts = Math.max(1, Math.floor(options.attempts ?? 3))
  const timeoutMs = Math.max(1, options.timeoutMs ?? 10_000)
  const backoffMs = Math.max(0, options.backoffMs ?? 1000)
  const scrub = scrubber([...secretsOf(url, headers), ...(options.secrets ?? [])])
  let attempts = 0
  let status: number | undefined
  try {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return { ok: false, attempts, error: 'invalid URL' }
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { ok: false, attempts, error: 'URL must be http or https' }
    }
    const allHeaders = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'red-button',
      ...headers
    }
    for (;;) {
      if (signal?.aborted) return { ok: false, attempts, status, error: 'cancelled' }
      attempts += 1
      const outcome = await attemptOnce(url, body, allHeaders, timeoutMs, clock, scrub, signal)
      status = outcome.status ?? status
      if (outcome.ok) return { ok: true, attempts, status: outcome.status }
      const error = scrub(outcome.error ?? 'failed')
      if (!outcome.retry || attempts >= maxAttempts || signal?.aborted) {
        return { ok: false, attempts, status: outcome.status, error }
      }
      const backoff = backoffMs * 2 ** (attempts - 1)
      const waitMs = Math.max(backoff, outcome.waitMs ?? 0)
      log.debug(
        `${channel}: ${error}; attempt ${attempts + 1} of ${maxAttempts} in ${Math.round(waitMs / 100) / 10}s`
      )
      await clock.sleep(waitMs, signal)
    }
  } catch (err) {
    // a bug or a misbehaving clock; still no throw, still no URL
    const message = err instanceof Error ? err.message : String(err)
    return { ok: false, attempts, status, error: snippet(scrub(message)) }
  }
}

/** One channel of a fan-out: `send` gets the shared signal and must honour it. */
export interface Delivery {
  channel: string
  send: (signal: AbortSignal) => Promise<DeliveryResult>
}

/** A JSON POST, built when its delivery starts. */
export interface JsonRequest {
  url: string
  /** already serialised */
  body: string
  headers?: { [name: string]: string }
}

/** What every channel of a fan-out shares: the clock, the log and the retry limits. */
export type ChannelOptions = Pick<PostOptions, 'clock' | 'log' | 'attempts' | 'timeoutMs'>

/** The failure of a delivery that threw: its kind only, never its message. */
export function internalError(err: unknown): string {
  return `internal error (${err instanceof Error ? err.name : 'error'})`
}

/**
 * One channel of a fan-out that builds its request when it starts, then POSTs it with
 * `postJson` (the channel's own secrets scrubbed from errors). A request that cannot be
 * built fails the channel, no attempt made, with `buildError` of what was thrown.
 */
export function jsonDelivery(
  channel: string,
  build: () => JsonRequest,
  secrets: string[],
  options: ChannelOptions,
  buildError: (err: unknown) => string = internalError
): Delivery {
  return {
    channel,
    send: async (signal) => {
      let request: JsonRequest
      try {
        request = build()
      } catch (err) {
        return { ok: false, attempts: 0, error: buildError(err) }
      }
      return postJson(request.url, request.body, request.headers ?? {}, {
        clock: options.clock,
        log: options.log,
        channel,
        signal,
        secrets,
        attempts: options.attempts,
        timeoutMs: options.timeoutMs
      })
    }
  }
}

export interface FanOutOptions {
  log: Log
  /** real-time bound on the whole fan-out; pending channels are abandoned after it */
  deadlineMs: number
  signal?: AbortSignal
}

export interface FanOutResult {
  delivered: string[]
  /** "slack: HTTP 500 after 3 attempts", one per failed channel */
  failures: string[]
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** How a failed delivery reads in the record and the warnings. */
export function describeFailure(channel: string, result: DeliveryResult): string {
  const what = result.error ?? (result.status ? `HTTP ${result.status}` : 'failed')
  return result.attempts > 0
    ? `${channel}: ${what} after ${plural(result.attempts, 'attempt')}`
    : `${channel}: ${what}`
}

/**
 * Runs every delivery in parallel. Resolves within `deadlineMs` (real time) even if a
 * channel hangs: the shared signal is aborted and unfinished channels count as failed.
 * Logs one warning per failed channel. Never throws.
 */
export async function fanOut(
  deliveries: Delivery[],
  options: FanOutOptions
): Promise<FanOutResult> {
  const { log } = options
  const controller = new AbortController()
  const onAbort = (): void => controller.abort()
  if (options.signal?.aborted) controller.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const results: Array<DeliveryResult | undefined> = deliveries.map(() => undefined)
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, options.deadlineMs))
  })
  try {
    const all = Promise.all(
      deliveries.map(async (d, i) => {
        try {
          results[i] = await d.send(controller.signal)
        } catch (err) {
          results[i] = { ok: false, attempts: 0, error: internalError(err) }
        }
      })
    )
    await Promise.race([all, deadline])
  } finally {
    clearTimeout(timer)
    controller.abort()
    options.signal?.removeEventListener('abort', onAbort)
  }
  const delivered: string[] = []
  const failures: string[] = []
  deliveries.forEach((d, i) => {
    const result = results[i]
    if (result?.ok) {
      delivered.push(d.channel)
      return
    }
    const failure = result
      ? describeFailure(d.channel, result)
      : `${d.channel}: no answer within the ${formatDuration(options.deadlineMs)} notification deadline`
    failures.push(failure)
    try {
      log.warning(`Notification not delivered: ${failure}`)
    } catch {
      // a broken logger must not break the deployment either
    }
  })
  return { delivered, failures }
}
