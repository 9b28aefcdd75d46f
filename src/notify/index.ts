/**
 * Notification fan-out (docs/design.md section 10): Slack, Microsoft Teams and a signed webhook,
 * in parallel, bounded in time, never throwing. A failed channel becomes a warning and a
 * line in `failures`; URLs and secrets never appear in either.
 */
import type { Clock } from '../clock.js'
import type { Log } from '../core.js'
import type { DeploymentRecord } from '../record/types.js'
import { fanOut, internalError, jsonDelivery, type Delivery } from './deliver.js'
import { headline, type Language, type NotifyEvent } from './messages.js'
import { slackPayload } from './slack.js'
import { teamsPayload } from './teams.js'
import { webhookRequest } from './webhook.js'

export type { Language, NotifyEvent } from './messages.js'
export { headline } from './messages.js'
export { postJson, type DeliveryResult } from './deliver.js'
export { sendMarkers, type MarkerTargets, type MarkerResult } from './markers.js'

export interface Channels {
  slack?: string
  teams?: string
  webhook?: { url: string; secret?: string }
}

export interface NotifyOptions {
  language: Language
  clock: Clock
  log: Log
  /** the `notify-lead-time` wait announced in the "before" message */
  leadTimeMs?: number
  /** limit for each HTTP attempt (default 10 s) */
  timeoutMs?: number
  /** attempts per channel (default 3) */
  attempts?: number
  /** real-time bound on the whole call, retries included (default 60 s) */
  deadlineMs?: number
  signal?: AbortSignal
}

export interface NotifyResult {
  /** "slack, teams: 'Deploying v1.2.0 to production'" (the record's notify.before/after), or "none" */
  summary: string
  /** "slack: HTTP 500 after 3 attempts", one per channel that was not delivered */
  failures: string[]
  /** the channels delivered, e.g. ["slack", "teams"] */
  delivered: string[]
}

export const DEFAULT_DEADLINE_MS = 60_000

/** "slack, teams: 'headline'", or "none" when nothing was delivered. */
export function notifySummary(delivered: string[], text: string): string {
  return delivered.length ? `${[...new Set(delivered)].join(', ')}: '${text}'` : 'none'
}

/**
 * Sends the event to every configured channel in parallel. Resolves within
 * `deadlineMs` (real time) whatever the endpoints do; never throws.
 */
export async function notifyAll(
  event: NotifyEvent,
  record: DeploymentRecord,
  channels: Channels,
  options: NotifyOptions
): Promise<NotifyResult> {
  try {
    const { log, language } = options
    const extra = { leadTimeMs: options.leadTimeMs }
    const deliveries: Delivery[] = []
    const chats = [
      ['slack', channels.slack, slackPayload],
      ['teams', channels.teams, teamsPayload]
    ] as const
    for (const [channel, url, payload] of chats) {
      if (!url) continue
      const build = () => ({ url, body: JSON.stringify(payload(event, record, language, extra)) })
      deliveries.push(jsonDelivery(channel, build, [], options))
    }
    const { webhook } = channels
    if (webhook?.url) {
      deliveries.push(
        jsonDelivery(
          'webhook',
          () => ({ url: webhook.url, ...webhookRequest(event, record, webhook.secret) }),
          webhook.secret ? [webhook.secret] : [],
          options
        )
      )
    }
    if (deliveries.length === 0) return { summary: 'none', failures: [], delivered: [] }

    const { delivered, failures } = await fanOut(deliveries, {
      log,
      deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      signal: options.signal
    })
    return {
      summary: notifySummary(delivered, headline(event, record, language, extra)),
      failures,
      delivered
    }
  } catch (err) {
    // payload building on a malformed record, or a bug: still never fail the deployment
    const failure = `notify: ${internalError(err)}`
    try {
      options.log.warning(`Notification not delivered: ${failure}`)
    } catch {
      // ignore
    }
    return { summary: 'none', failures: [failure], delivered: [] }
  }
}
