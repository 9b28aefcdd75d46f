/**
 * Slack's Web API (bot-token mode, docs/design.md section 10): `chat.postMessage` and
 * `chat.update`, form-encoded as Slack's OpenAPI description lists their arguments, through the
 * project's http layer (proxy rules included). Slack answers most errors with HTTP 200 and
 * `ok: false`, and rate limits with 429 and `Retry-After`.
 *
 * One client per run keeps the run's budget: all its calls together — requests, retries and
 * `Retry-After` waits — take at most `budgetMs` (30 s); then, or after a permanent error
 * (`not_in_channel`, `invalid_auth`, …), it makes no more calls. It never throws, and the
 * token never appears in what it returns.
 */
import type { Clock } from '../clock.js'
import { httpFetch, retryAfterMs, timeoutSignal } from '../http.js'
import type { SlackBot } from '../settings/schema.js'
import { scrubber } from './deliver.js'

export type SlackMethod = 'chat.postMessage' | 'chat.update'

/** What the release waits on Slack at most, in all (docs/design.md section 10). */
export const SLACK_BUDGET_MS = 30_000

/** Errors after which no call can succeed this run, and what to do about each. */
export const PERMANENT_ERRORS: Readonly<{ [error: string]: string }> = {
  not_in_channel: 'invite the app to the channel: /invite @<app name> in that channel',
  channel_not_found:
    'check slack-channel: a channel ID (C…, G…, D…) the app can see; invite the app to a private channel',
  is_archived: 'the channel is archived: unarchive it or choose another slack-channel',
  invalid_auth: 'check slack-token: the bot token (xoxb-…) of an app installed in the workspace',
  not_authed: 'check slack-token: the bot token (xoxb-…) of an app installed in the workspace',
  token_revoked: 'slack-token was revoked: reinstall the app and update the secret',
  token_expired: 'slack-token has expired: reinstall the app and update the secret',
  account_inactive:
    'the app or its workspace is deactivated: reinstall the app and update slack-token',
  missing_scope: 'give the app the chat:write scope, then reinstall it to the workspace',
  no_permission: 'give the app the chat:write scope, then reinstall it to the workspace'
}

/** Slack's own transient failures, told with `ok: false`: worth another attempt. */
const TRANSIENT_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout'
])

export type SlackAnswer =
  | { ok: true; channel?: string; ts?: string }
  | {
      ok: false
      /** Slack's error code (`not_in_channel`), `ratelimited`, `HTTP 503`, `timeout`, … */
      error: string
      /** what to do about it, when known */
      advice?: string
      /** the client makes no more calls: a permanent error, or the time budget is spent */
      stopped?: boolean
      /** no request was made: the client had stopped already */
      skipped?: boolean
    }

export interface SlackApiDeps {
  clock: Clock
  /** limit for the run's calls, waits included (default 30 s) */
  budgetMs?: number
  /** limit for one attempt (default 10 s, never more than the budget left) */
  timeoutMs?: number
  /** attempts per call (default 3) */
  attempts?: number
  /** first backoff wait, doubled after each attempt (default 1 s) */
  backoffMs?: number
}

interface Attempt {
  answer: SlackAnswer
  retry: boolean
  waitMs?: number
}

export class SlackWebApi {
  private spentMs = 0
  private stop?: { error: string; advice?: string }
  private readonly scrub: (s: string) => string
  private readonly budgetMs: number

  constructor(
    private readonly bot: SlackBot,
    private readonly deps: SlackApiDeps
  ) {
    this.scrub = scrubber([bot.token])
    this.budgetMs = deps.budgetMs ?? SLACK_BUDGET_MS
  }

  /** Why the client makes no more calls, if it stopped. */
  get stopped(): { error: string; advice?: string } | undefined {
    return this.stop
  }

  /** Time spent on Slack so far (ms), requests and waits. */
  get spent(): number {
    return this.spentMs
  }

  private url(method: SlackMethod): string {
    return `${this.bot.apiUrl.replace(/\/+$/, '')}/${method}`
  }

  private left(): number {
    return this.budgetMs - this.spentMs
  }

  private halt(error: string, advice?: string): SlackAnswer {
    this.stop = { error, advice }
    return { ok: false, error, advice, stopped: true }
  }

  /** One call, retried within the budget. Never throws. */
  async call(
    method: SlackMethod,
    args: { [name: string]: string | undefined }
  ): Promise<SlackAnswer> {
    if (this.stop) return { ok: false, ...this.stop, stopped: true, skipped: true }
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(args)) if (v !== undefined) body.set(k, v)
    const maxAttempts = Math.max(1, this.deps.attempts ?? 3)
    const backoffMs = this.deps.backoffMs ?? 1000
    let last: SlackAnswer = { ok: false, error: 'not attempted' }
    try {
      for (let attempt = 1; ; attempt++) {
        if (this.left() <= 0) return this.spentAll(last)
        const outcome = await this.timed(() => this.once(method, body.toString()))
        last = outcome.answer
        if (last.ok || !outcome.retry || attempt >= maxAttempts) break
        const waitMs = Math.max(outcome.waitMs ?? 0, backoffMs * 2 ** (attempt - 1))
        if (waitMs >= this.left()) {
          // waiting as asked would go past the budget: give up now, and make no more calls
          return this.spentAll(last)
        }
        await this.timed(() => this.deps.clock.sleep(waitMs))
      }
    } catch (e) {
      last = { ok: false, error: this.scrub(`internal error (${(e as Error).message})`) }
    }
    if (!last.ok && this.left() <= 0) return this.spentAll(last)
    return last
  }

  private spentAll(last: SlackAnswer): SlackAnswer {
    const why = last.ok ? '' : ` (last: ${last.error})`
    return this.halt(
      `no answer within the ${Math.round(this.budgetMs / 1000)} s the release may wait on Slack${why}`,
      'later messages of this run are not sent; the release goes on'
    )
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const t0 = this.deps.clock.now().getTime()
    try {
      return await work()
    } finally {
      this.spentMs += Math.max(0, this.deps.clock.now().getTime() - t0)
    }
  }

  private async once(method: SlackMethod, body: string): Promise<Attempt> {
    const timeoutMs = Math.max(1, Math.min(this.deps.timeoutMs ?? 10_000, this.left()))
    const limit = timeoutSignal(timeoutMs)
    try {
      const res = await httpFetch(this.url(method), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.bot.token}`,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'user-agent': 'red-button'
        },
        body,
        signal: limit.signal,
        redirect: 'manual',
        maxBytes: 64 * 1024
      })
      if (res.status === 429) {
        return {
          answer: { ok: false, error: 'ratelimited' },
          retry: true,
          waitMs: retryAfterMs(res.headers.get('retry-after'), this.deps.clock.now()) ?? 1000
        }
      }
      if (res.status !== 200) {
        return { answer: { ok: false, error: `HTTP ${res.status}` }, retry: res.status >= 500 }
      }
      let json: { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown }
      try {
        json = JSON.parse(await res.text()) as typeof json
      } catch {
        return { answer: { ok: false, error: 'an answer that is not JSON' }, retry: false }
      }
      if (json?.ok === true) {
        return {
          answer: {
            ok: true,
            channel: typeof json.channel === 'string' ? json.channel : undefined,
            ts: typeof json.ts === 'string' ? json.ts : undefined
          },
          retry: false
        }
      }
      const error =
        typeof json?.error === 'string' ? this.scrub(json.error).slice(0, 80) : 'unknown_error'
      const advice = PERMANENT_ERRORS[error]
      if (advice) return { answer: this.halt(error, advice), retry: false }
      return { answer: { ok: false, error }, retry: TRANSIENT_ERRORS.has(error) }
    } catch (e) {
      if (limit.timedOut())
        return { answer: { ok: false, error: `timeout after ${timeoutMs}ms` }, retry: true }
      const cause = (e as { cause?: { code?: unknown } }).cause
      const code = typeof cause?.code === 'string' ? cause.code : 'failed'
      return { answer: { ok: false, error: `network error (${this.scrub(code)})` }, retry: true }
    } finally {
      limit.dispose()
    }
  }
}
