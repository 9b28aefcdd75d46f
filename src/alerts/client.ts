import { httpFetch, timeoutSignal } from '../http.js'
import { formatMatcher, type Matcher } from './matchers.js'

/** One firing alert, as Alertmanager's API v2 lists it (the fields we read). */
export interface Alert {
  fingerprint: string
  labels: Record<string, string>
  startsAt: string
}

export interface AlertSource {
  /** Alertmanager's base URL (Prometheus Alertmanager, Grafana, Mimir) */
  url: string
  token?: string
  matchers: Matcher[]
}

/** The time limit of one question to Alertmanager. */
export const ALERTS_TIMEOUT_MS = 10_000

/**
 * `GET {url}/api/v2/alerts?active=true&silenced=false&inhibited=false&filter=...`: the alerts
 * that fire now, unsilenced and uninhibited, matching every matcher. Rejects when
 * Alertmanager does not answer 2xx with a list: monitoring that cannot be read is not active.
 */
export async function firingAlerts(source: AlertSource, signal?: AbortSignal): Promise<Alert[]> {
  const url = new URL(`${source.url.replace(/\/+$/, '')}/api/v2/alerts`)
  url.searchParams.set('active', 'true')
  url.searchParams.set('silenced', 'false')
  url.searchParams.set('inhibited', 'false')
  for (const m of source.matchers) url.searchParams.append('filter', formatMatcher(m))
  const limit = timeoutSignal(ALERTS_TIMEOUT_MS, signal)
  try {
    const res = await httpFetch(url, {
      headers: {
        accept: 'application/json',
        'user-agent': 'red-button',
        ...(source.token ? { authorization: `Bearer ${source.token}` } : {})
      },
      signal: limit.signal,
      maxBytes: 4 * 1024 * 1024
    })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    let parsed: unknown
    try {
      parsed = JSON.parse(await res.text())
    } catch {
      throw new Error('the answer is not JSON')
    }
    if (!Array.isArray(parsed)) throw new Error('the answer is not a list of alerts')
    return parsed.map((a: { fingerprint?: unknown; labels?: unknown; startsAt?: unknown }) => ({
      fingerprint: typeof a.fingerprint === 'string' ? a.fingerprint : JSON.stringify(a.labels),
      labels: a.labels && typeof a.labels === 'object' ? (a.labels as Record<string, string>) : {},
      startsAt: typeof a.startsAt === 'string' ? a.startsAt : ''
    }))
  } catch (e) {
    if (limit.timedOut())
      throw new Error(`no answer within ${ALERTS_TIMEOUT_MS / 1000} s`, { cause: e })
    const code = (e as { cause?: { code?: string } }).cause?.code
    throw new Error(code && code !== 'ABORT_ERR' ? code : (e as Error).message, { cause: e })
  } finally {
    limit.dispose()
  }
}

/** `HighErrorRate (critical) since 2026-11-24T09:58:00Z`, for the first three alerts. */
export function describeAlerts(
  alerts: Alert[],
  words: { since: string; more: (n: number) => string } = {
    since: 'since',
    more: (n) => `and ${n} more`
  }
): string {
  const named = alerts.slice(0, 3).map((a) => {
    const name = a.labels.alertname ?? a.fingerprint
    const severity = a.labels.severity ? ` (${a.labels.severity})` : ''
    const since = a.startsAt ? ` ${words.since} ${a.startsAt.replace(/\.\d+Z$/, 'Z')}` : ''
    return `${name}${severity}${since}`
  })
  const more = alerts.length > 3 ? ` ${words.more(alerts.length - 3)}` : ''
  return `${named.join(', ')}${more}`
}
