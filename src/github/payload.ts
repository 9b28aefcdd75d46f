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

/**
 * The key of the fragment a postponed run adds to the `log_url` of each `queued` status it
 * writes (docs/design.md section 14): `#red-button-postponed-until=<instant>`. A payload cannot
 * change, so a release postponed again by its re-run says its new instant there.
 */
const POSTPONED_UNTIL_FRAGMENT = 'red-button-postponed-until'

/** ISO 8601 with a time and an offset (or Z), as `postponed_until` is written. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/

/**
 * Whether `value` is such an instant, and a real one: `Date.parse` rolls 30 February over to
 * 2 March and 24:00 to the next day, so the date and time are read back and compared.
 */
function isInstant(value: string): boolean {
  const m = ISO_INSTANT.exec(value)
  if (!m) return false
  const [, y, mo, d, h, mi, sec = '00', , sign, oh = '00', om = '00'] = m
  const offsetMin = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om))
  const ms = Date.parse(value)
  if (Number.isNaN(ms) || Number(oh) > 23 || Number(om) > 59) return false
  // the wall-clock time the value names, read back from the instant
  const wall = new Date(ms + offsetMin * 60_000)
  return (
    wall.getUTCFullYear() === Number(y) &&
    wall.getUTCMonth() + 1 === Number(mo) &&
    wall.getUTCDate() === Number(d) &&
    wall.getUTCHours() === Number(h) &&
    wall.getUTCMinutes() === Number(mi) &&
    wall.getUTCSeconds() === Number(sec)
  )
}

/**
 * `url` (a run's URL) with the fragment naming `until`: the instant URL-encoded, its colons kept
 * for a reader (`…/actions/runs/7001#red-button-postponed-until=2027-03-30T00:00:00%2B02:00`).
 */
export function withPostponedUntil(url: string, until: string): string {
  const base = url.split('#')[0] ?? url
  return `${base}#${POSTPONED_UNTIL_FRAGMENT}=${encodeURIComponent(until).replace(/%3A/gi, ':')}`
}

/**
 * The instant a status's `log_url` names in its fragment (`withPostponedUntil`), as written;
 * undefined when there is no such fragment or it is not a valid ISO 8601 instant with offset.
 */
export function postponedUntilIn(logUrl: string | null | undefined): string | undefined {
  const hash = logUrl?.indexOf('#') ?? -1
  if (!logUrl || hash < 0) return undefined
  for (const part of logUrl.slice(hash + 1).split('&')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq) !== POSTPONED_UNTIL_FRAGMENT) continue
    let value: string
    try {
      value = decodeURIComponent(part.slice(eq + 1))
    } catch {
      return undefined
    }
    return isInstant(value) ? value : undefined
  }
  return undefined
}
