import type { Deployment } from './api.js'

/**
 * What Red Button's deployments carry in their `payload` (docs/design.md sections 8 and 14), read
 * back from GitHub: the shape of the data, no policy.
 */

/** The payload as an object (GitHub keeps a string as sent). */
export function payloadOf(d: Pick<Deployment, 'payload'>): Record<string, unknown> {
  if (d.payload && typeof d.payload === 'object') return d.payload as Record<string, unknown>
  if (typeof d.payload === 'string') {
    try {
      const parsed: unknown = JSON.parse(d.payload)
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>
    } catch {
      // a free-text payload carries no version
    }
  }
  return {}
}

/** What a postponed release's deployment carries (docs/design.md section 14). */
export interface PostponedPayload {
  version: string
  postponed_until: string
  urgency?: string
  reason?: string
  actor?: string
  run_id?: number
  run_attempt?: number
  job?: string
  job_id?: number
  slack?: { channel: string; ts: string }
}

/** `payload.red_button` of a postponed release; undefined for any other deployment. */
export function postponedPayload(d: Pick<Deployment, 'payload'>): PostponedPayload | undefined {
  const rb = payloadOf(d).red_button
  if (!rb || typeof rb !== 'object') return undefined
  const p = rb as Record<string, unknown>
  if (typeof p.postponed_until !== 'string' || Number.isNaN(Date.parse(p.postponed_until)))
    return undefined
  const num = (v: unknown): number | undefined =>
    typeof v === 'number' && Number.isFinite(v) ? v : undefined
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)
  const slack = p.slack as { channel?: unknown; ts?: unknown } | undefined
  return {
    version: str(p.version) ?? '',
    postponed_until: p.postponed_until,
    urgency: str(p.urgency),
    reason: str(p.reason),
    actor: str(p.actor),
    run_id: num(p.run_id),
    run_attempt: num(p.run_attempt),
    job: str(p.job),
    job_id: num(p.job_id),
    slack:
      slack && typeof slack.channel === 'string' && typeof slack.ts === 'string'
        ? { channel: slack.channel, ts: slack.ts }
        : undefined
  }
}
