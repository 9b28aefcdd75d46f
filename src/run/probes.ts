import type { Log } from '../core.js'
import { formatDuration } from '../duration.js'
import type { CheckResultRecord } from '../record/types.js'
import type {
  AlertsCheck,
  Check,
  CommandCheck,
  HttpCheck,
  PrometheusCheck
} from '../settings/checks.js'
import { describeAlerts, firingAlerts, type Alert } from '../alerts/client.js'
import { httpFetch, timeoutSignal } from '../http.js'
import { runCommand } from './command.js'

export interface ProbeContext {
  /** working directory of command checks */
  cwd: string
  /** environment added for command checks (DEPLOY_*) */
  env: Record<string, string>
  /** aborting ends a probe at once with detail `cancelled` */
  signal?: AbortSignal
  log: Log
  /** time limit of a command check without its own `timeout` */
  commandTimeoutMs: number
  /** SIGTERM → SIGKILL grace of command checks (runCommand's default when absent) */
  killGraceMs?: number
}

export interface CheckResult {
  name: string
  ok: boolean
  /** `200 in 34 ms`, `expected 200, got 503`, `value 0.002 (max 0.01)`, `exit code 1: ...` */
  detail: string
  latencyMs?: number
  /** the check was not run (an earlier one failed, or the run was cancelled); ok is false */
  skipped?: boolean
}

/** A CheckResult in the record's shape (docs/design.md section 8). */
export function toCheckRecord(result: CheckResult): CheckResultRecord {
  return {
    name: result.name,
    ok: result.ok,
    detail: result.detail,
    ...(result.latencyMs !== undefined && { latency_ms: result.latencyMs })
  }
}

/** Runs one check once. Never rejects. */
export async function probe(check: Check, ctx: ProbeContext): Promise<CheckResult> {
  try {
    switch (check.kind) {
      case 'http':
        return await probeHttp(check, ctx)
      case 'command':
        return await probeCommand(check, ctx)
      case 'prometheus':
        return await probePrometheus(check, ctx)
      case 'alerts':
        return await probeAlerts(check, ctx)
    }
  } catch (err) {
    return { name: check.name, ok: false, detail: `probe failed: ${(err as Error).message}` }
  }
}

/** Body text kept for `contains` and Prometheus answers. */
const MAX_BODY = 1024 * 1024

type GetOutcome =
  | { ok: true; status: number; body: string; latencyMs: number }
  | { ok: false; detail: string; latencyMs: number }

/** GET `url` (redirects followed), reading the body, within `timeoutMs`. */
async function get(
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  accept: string,
  extra: Record<string, string> = {}
): Promise<GetOutcome> {
  const started = performance.now()
  const elapsed = (): number => Math.round(performance.now() - started)
  if (signal?.aborted) return { ok: false, detail: 'cancelled', latencyMs: 0 }

  // credentials in the URL go as basic auth, never into logs
  const target = new URL(url)
  const headers: Record<string, string> = { accept, 'user-agent': 'red-button' }
  // the check's own headers (lower-cased, so that its Authorization replaces the URL's)
  for (const [k, v] of Object.entries(extra)) headers[k.toLowerCase()] = v
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username)
    const pass = decodeURIComponent(target.password)
    headers.authorization ??= `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
    target.username = ''
    target.password = ''
  }

  const deadline = timeoutSignal(timeoutMs, signal)
  try {
    const response = await httpFetch(target, {
      headers,
      redirect: 'follow',
      signal: deadline.signal,
      maxBytes: MAX_BODY
    })
    const body = await response.text()
    return { ok: true, status: response.status, body, latencyMs: elapsed() }
  } catch (err) {
    let detail: string
    if (deadline.timedOut()) detail = `no answer within ${formatDuration(timeoutMs)}`
    else if (signal?.aborted) detail = 'cancelled'
    else detail = describeNetworkError(err)
    return { ok: false, detail, latencyMs: elapsed() }
  } finally {
    deadline.dispose()
  }
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable'
}

function describeNetworkError(err: unknown): string {
  let cause: unknown = (err as { cause?: unknown })?.cause ?? err
  if (cause instanceof AggregateError && cause.errors.length > 0) cause = cause.errors[0]
  const code = (cause as { code?: unknown })?.code
  const message = (cause as { message?: unknown })?.message
  if (typeof code === 'string') {
    if (NETWORK_ERRORS[code]) return NETWORK_ERRORS[code]
    if (/CERT|SSL|TLS|SELF_SIGNED/.test(code)) return `TLS error: ${String(message ?? code)}`
    return `${code}${message ? `: ${String(message)}` : ''}`
  }
  return typeof message === 'string' && message ? message : String(err)
}

async function probeHttp(check: HttpCheck, ctx: ProbeContext): Promise<CheckResult> {
  const answer = await get(check.url, check.timeoutMs, ctx.signal, '*/*', check.headers)
  if (!answer.ok) {
    return { name: check.name, ok: false, detail: answer.detail, latencyMs: answer.latencyMs }
  }
  const problems: string[] = []
  const statusOk =
    check.status !== undefined
      ? answer.status === check.status
      : answer.status >= 200 && answer.status < 300
  if (!statusOk) problems.push(`expected ${check.status ?? '2xx'}, got ${answer.status}`)
  if (check.maxMs !== undefined && answer.latencyMs > check.maxMs) {
    problems.push(`took ${answer.latencyMs} ms > ${check.maxMs} ms`)
  }
  if (statusOk && check.contains !== undefined && !answer.body.includes(check.contains)) {
    problems.push(`body lacks ${JSON.stringify(check.contains)}`)
  }
  return {
    name: check.name,
    ok: problems.length === 0,
    detail: problems.length ? problems.join('; ') : `${answer.status} in ${answer.latencyMs} ms`,
    latencyMs: answer.latencyMs
  }
}

async function probeCommand(check: CommandCheck, ctx: ProbeContext): Promise<CheckResult> {
  const result = await runCommand({
    command: check.run,
    cwd: ctx.cwd,
    env: ctx.env,
    timeoutMs: check.timeoutMs ?? ctx.commandTimeoutMs,
    ...(ctx.signal && { signal: ctx.signal }),
    ...(ctx.killGraceMs !== undefined && { killGraceMs: ctx.killGraceMs }),
    log: ctx.log,
    label: `check: ${check.name}`
  })
  let detail = result.reason
  if (result.ok) detail = `${result.reason} in ${formatDuration(result.durationMs)}`
  else {
    const last = result.tail.at(-1)?.trim()
    if (last && !result.aborted)
      detail += `: ${last.length > 200 ? `${last.slice(0, 200)}…` : last}`
  }
  return { name: check.name, ok: result.ok, detail, latencyMs: result.durationMs }
}

/** Prometheus writes +Inf, -Inf and NaN as such. */
function promNumber(text: unknown): number {
  if (typeof text !== 'string') return NaN
  if (text === '+Inf' || text === 'Inf') return Infinity
  if (text === '-Inf') return -Infinity
  return text.trim() === '' ? NaN : Number(text)
}

function formatValue(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf'
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)))
}

interface PromAnswer {
  status?: unknown
  errorType?: unknown
  error?: unknown
  data?: { resultType?: unknown; result?: unknown }
}

async function probePrometheus(check: PrometheusCheck, ctx: ProbeContext): Promise<CheckResult> {
  const target = new URL(check.prometheus)
  target.pathname = `${target.pathname.replace(/\/+$/, '')}/api/v1/query`
  target.searchParams.set('query', check.query)
  const answer = await get(
    target.href,
    check.timeoutMs,
    ctx.signal,
    'application/json',
    check.headers
  )
  const fail = (detail: string): CheckResult => ({
    name: check.name,
    ok: false,
    detail,
    latencyMs: answer.latencyMs
  })
  if (!answer.ok) return fail(answer.detail)

  let json: PromAnswer
  try {
    json = JSON.parse(answer.body) as PromAnswer
  } catch {
    return fail(`HTTP ${answer.status}, not a Prometheus answer`)
  }
  if (json?.status !== 'success') {
    if (json?.status === 'error') {
      const type = typeof json.errorType === 'string' ? `${json.errorType}: ` : ''
      return fail(`query failed: ${type}${String(json.error ?? 'unknown error')}`)
    }
    return fail(`HTTP ${answer.status}, not a Prometheus answer`)
  }

  const { resultType, result } = json.data ?? {}
  let raw: unknown
  let series = 1
  if (resultType === 'vector') {
    if (!Array.isArray(result)) return fail('malformed answer (result is not a list)')
    if (result.length === 0) {
      if (check.noDataPasses)
        return {
          name: check.name,
          ok: true,
          detail: 'no data (no-data: pass)',
          latencyMs: answer.latencyMs
        }
      return fail('no data')
    }
    series = result.length
    raw = (result[0] as { value?: unknown[] })?.value?.[1]
  } else if (resultType === 'scalar') {
    if (!Array.isArray(result)) return fail('malformed answer (result is not a sample)')
    raw = result[1]
  } else {
    return fail(`query gave a ${String(resultType)}; use a query that gives an instant vector`)
  }

  const value = promNumber(raw)
  const shown = `value ${formatValue(value)}${series > 1 ? ` (first of ${series} series)` : ''}`
  if (Number.isNaN(value)) {
    if (check.noDataPasses)
      return {
        name: check.name,
        ok: true,
        detail: `${shown} (no-data: pass)`,
        latencyMs: answer.latencyMs
      }
    return fail(shown)
  }
  if (check.min !== undefined && value < check.min) return fail(`${shown} < min ${check.min}`)
  if (check.max !== undefined && value > check.max) return fail(`${shown} > max ${check.max}`)
  const bounds = [
    check.min !== undefined ? `min ${check.min}` : '',
    check.max !== undefined ? `max ${check.max}` : ''
  ]
    .filter(Boolean)
    .join(', ')
  return { name: check.name, ok: true, detail: `${shown} (${bounds})`, latencyMs: answer.latencyMs }
}

/** New alerts since the gate fail the round; those already firing then are not held against it. */
async function probeAlerts(check: AlertsCheck, ctx: ProbeContext): Promise<CheckResult> {
  const started = performance.now()
  const latencyMs = (): number => Math.round(performance.now() - started)
  let alerts: Alert[]
  try {
    alerts = await firingAlerts(check.source, ctx.signal)
  } catch (e) {
    if (ctx.signal?.aborted) return { name: check.name, ok: false, detail: 'cancelled' }
    return {
      name: check.name,
      ok: false,
      detail: `Alertmanager did not answer (${(e as Error).message})`,
      latencyMs: latencyMs()
    }
  }
  const fresh = alerts.filter((a) => !check.known.includes(a.fingerprint))
  if (fresh.length === 0)
    return { name: check.name, ok: true, detail: 'no new alert', latencyMs: latencyMs() }
  return {
    name: check.name,
    ok: false,
    detail: `started firing: ${describeAlerts(fresh)}`,
    latencyMs: latencyMs()
  }
}
