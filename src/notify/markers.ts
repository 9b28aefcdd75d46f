/**
 * Deployment markers on dashboards: a Grafana annotation and a Datadog event spanning the
 * deployment (start to end of the watch). Best effort, like every notification.
 */
import type { Clock } from '../clock.js'
import type { Log } from '../core.js'
import { escapeHtml } from '../report/escape.js'
import type { DeploymentRecord } from '../record/types.js'
import { fanOut, jsonDelivery, type Delivery } from './deliver.js'
import { buildMessage, type Language } from './messages.js'

export interface GrafanaTarget {
  /** Grafana base URL, e.g. https://grafana.example (a sub-path is kept) */
  url: string
  token: string
}

export interface DatadogTarget {
  apiKey: string
  /** e.g. datadoghq.com, datadoghq.eu, us5.datadoghq.com (default datadoghq.com) */
  site?: string
  /** overrides https://api.{site}, for tests and proxies */
  datadogBaseUrl?: string
}

export interface MarkerTargets {
  grafana?: GrafanaTarget
  datadog?: DatadogTarget
}

export interface MarkerRequest {
  url: string
  body: string
  headers: { [name: string]: string }
}

export interface GrafanaAnnotation {
  time: number
  timeEnd: number
  tags: string[]
  text: string
}

export interface DatadogEvent {
  title: string
  text: string
  tags: string[]
  alert_type: 'error' | 'warning' | 'info' | 'success'
}

function epochMs(iso: string | undefined, fallback: number): number {
  const t = iso ? Date.parse(iso) : NaN
  return Number.isNaN(t) ? fallback : t
}

function span(record: DeploymentRecord, now: Date): { time: number; timeEnd: number } {
  const time = epochMs(record.started_at, now.getTime())
  return { time, timeEnd: Math.max(time, epochMs(record.finished_at, time)) }
}

function textLines(record: DeploymentRecord, language: Language): string[] {
  const m = buildMessage('after', record, language)
  return [m.headline, ...m.lines, ...(record.run_url ? [record.run_url] : [])]
}

export function grafanaRequest(
  record: DeploymentRecord,
  target: GrafanaTarget,
  language: Language,
  now: Date
): MarkerRequest {
  const annotation: GrafanaAnnotation = {
    ...span(record, now),
    tags: ['deploy', record.environment, record.version],
    // Grafana renders annotation text as (sanitised) HTML
    text: textLines(record, language)
      .map((l) => escapeHtml(l))
      .join('<br>')
  }
  return {
    url: `${target.url.replace(/\/+$/, '')}/api/annotations`,
    body: JSON.stringify(annotation),
    headers: { authorization: `Bearer ${target.token}` }
  }
}

function alertType(record: DeploymentRecord): DatadogEvent['alert_type'] {
  switch (record.status) {
    case 'deployed':
      return 'success'
    case 'aborted':
    case 'rollback-failed':
      return 'error'
    case 'rolled-back':
    case 'cancelled':
    case 'postponed':
      return 'warning'
    default:
      return 'info'
  }
}

/** Datadog tag values: no spaces or commas; kept readable. */
function tagValue(s: string): string {
  return s.replace(/[^A-Za-z0-9_\-./:]/g, '_').slice(0, 190)
}

export function datadogBaseUrl(target: DatadogTarget): string {
  if (target.datadogBaseUrl) return target.datadogBaseUrl.replace(/\/+$/, '')
  const site = (target.site || 'datadoghq.com').trim().toLowerCase()
  // a port is allowed, as the input allows it (a site behind a relay)
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/.test(site)) {
    throw new Error('datadog-site is not a host name')
  }
  return `https://api.${site}`
}

export function datadogRequest(
  record: DeploymentRecord,
  target: DatadogTarget,
  language: Language
): MarkerRequest {
  const [title = '', ...rest] = textLines(record, language)
  const event: DatadogEvent = {
    title: title.length > 100 ? `${title.slice(0, 99)}…` : title,
    text: rest.join('\n').slice(0, 3900),
    tags: [
      'deploy',
      `env:${tagValue(record.environment)}`,
      `version:${tagValue(record.version)}`,
      `status:${record.status}`
    ],
    alert_type: alertType(record)
  }
  return {
    url: `${datadogBaseUrl(target)}/api/v1/events`,
    body: JSON.stringify(event),
    headers: { 'DD-API-KEY': target.apiKey }
  }
}

export interface MarkerOptions {
  language: Language
  clock: Clock
  log: Log
  timeoutMs?: number
  attempts?: number
  /** real-time bound on the whole call (default 60 s) */
  deadlineMs?: number
  signal?: AbortSignal
}

export interface MarkerResult {
  /** "grafana, datadog", or "none" */
  summary: string
  failures: string[]
}

/** Sends the configured markers in parallel. Never throws; never logs URLs or tokens. */
export async function sendMarkers(
  record: DeploymentRecord,
  targets: MarkerTargets,
  options: MarkerOptions
): Promise<MarkerResult> {
  const { clock, log, language } = options
  const deliveries: Delivery[] = []
  /** a target that cannot be addressed (e.g. a bad datadog-site) fails with why */
  const via = (channel: string, build: () => MarkerRequest, secrets: string[]): Delivery =>
    jsonDelivery(channel, build, secrets, options, (err) =>
      err instanceof Error ? err.message : 'invalid'
    )
  const { grafana, datadog } = targets
  if (grafana?.url) {
    deliveries.push(
      via('grafana', () => grafanaRequest(record, grafana, language, clock.now()), [grafana.token])
    )
  }
  if (datadog?.apiKey) {
    deliveries.push(
      via('datadog', () => datadogRequest(record, datadog, language), [datadog.apiKey])
    )
  }
  if (deliveries.length === 0) return { summary: 'none', failures: [] }
  try {
    const { delivered, failures } = await fanOut(deliveries, {
      log,
      deadlineMs: options.deadlineMs ?? 60_000,
      signal: options.signal
    })
    return { summary: delivered.length ? delivered.join(', ') : 'none', failures }
  } catch {
    return { summary: 'none', failures: ['markers: internal error'] }
  }
}
