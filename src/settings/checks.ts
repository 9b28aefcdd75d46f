import { z } from 'zod'
import type { AlertSource } from '../alerts/client.js'
import { isHttpUrl } from '../http.js'
import { MAX_DURATION_MS, parseDuration } from '../duration.js'

/** Default time limit of one HTTP or Prometheus probe. */
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000

export interface HttpCheck {
  kind: 'http'
  name: string
  url: string
  /** exact status expected; undefined: any 2xx */
  status?: number
  maxMs?: number
  contains?: string
  /** sent with the request (e.g. Authorization); values are secrets */
  headers?: Record<string, string>
  timeoutMs: number
}

export interface CommandCheck {
  kind: 'command'
  name: string
  run: string
  /** undefined: the context's command timeout */
  timeoutMs?: number
}

export interface PrometheusCheck {
  kind: 'prometheus'
  name: string
  /** base address; the probe asks `{prometheus}/api/v1/query` */
  prometheus: string
  query: string
  min?: number
  max?: number
  /** an empty result or NaN (no traffic: 0/0) passes: `no-data: pass` */
  noDataPasses?: boolean
  /** sent with the request (e.g. Authorization for Grafana Cloud or Mimir); values are secrets */
  headers?: Record<string, string>
  timeoutMs: number
}

/** One entry of `smoke-tests` or `monitor-checks` (docs/design.md section 7). */
/**
 * The alerts of `alertmanager-url`, asked in every monitoring round: an alert that was not
 * firing at the gate (`known` fingerprints) fails the round. Added by the process, never
 * written by users.
 */
export interface AlertsCheck {
  kind: 'alerts'
  name: string
  source: AlertSource
  known: string[]
}

export type Check = HttpCheck | CommandCheck | PrometheusCheck | AlertsCheck

const KINDS = { url: 'HTTP', run: 'command', prometheus: 'Prometheus' } as const
type KindKey = keyof typeof KINDS

const name = z
  .string({
    error: (iss) => (iss.input === undefined ? 'name is required' : 'name must be a text')
  })
  .trim()
  .min(1, { error: 'name must not be empty' })

const httpUrl = (key: string) =>
  z
    .string({ error: `${key} must be a text` })
    .trim()
    .refine(isHttpUrl, { error: `${key} must be an http:// or https:// address` })

const timeout = z
  .string({ error: 'timeout must be a duration such as "5s"' })
  .transform((text, ctx) => {
    const ms = parseDuration(text)
    if (ms === undefined || ms <= 0 || ms > MAX_DURATION_MS) {
      ctx.addIssue({ code: 'custom', message: 'timeout must be a duration such as "5s"' })
      return z.NEVER
    }
    return ms
  })

const finite = (key: string) =>
  z.number({ error: `${key} must be a number` }).refine(Number.isFinite, {
    error: `${key} must be a finite number`
  })

/** Request headers: names as HTTP allows them, values that a header can carry. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const headers = z
  .record(
    z.string(),
    z
      .string({ error: 'headers: each value must be a text (put it in quotes)' })
      .regex(/^[\t\x20-\x7e\x80-\uffff]*$/, {
        error: 'headers: a value must be one line without control characters'
      }),
    {
      error: (iss) =>
        iss.code === 'invalid_type'
          ? 'headers must be a mapping of header names to values'
          : undefined
    }
  )
  .superRefine((h, ctx) => {
    for (const name of Object.keys(h).filter((n) => !HEADER_NAME.test(n)))
      ctx.addIssue({
        code: 'custom',
        message: `headers: "${name}" is not an HTTP header name such as Authorization`,
        path: [name]
      })
  })
  .optional()

/** Every header value of the checks: secrets, masked before anything is logged. */
export function headerValues(checks: readonly Check[]): string[] {
  return checks.flatMap((c) =>
    'headers' in c && c.headers ? Object.values(c.headers).filter((v) => v.trim() !== '') : []
  )
}

/** message for keys a kind of check does not take */
const unknownKeys =
  (kind: string, allowed: string[]) =>
  (issue: { code?: string; keys?: string[] }): string | undefined => {
    if (issue.code !== 'unrecognized_keys' || !issue.keys) return undefined
    const s = issue.keys.length > 1 ? 's' : ''
    return `unknown key${s} ${issue.keys.map((k) => `"${k}"`).join(', ')} (${kind} check takes ${allowed.join(', ')})`
  }

const httpShape = {
  name,
  url: httpUrl('url'),
  status: z
    .number({ error: 'status must be a number such as 200' })
    .int({ error: 'status must be a whole number' })
    .min(100, { error: 'status must be between 100 and 599' })
    .max(599, { error: 'status must be between 100 and 599' })
    .optional(),
  'max-ms': z
    .number({ error: 'max-ms must be a number of milliseconds' })
    .int({ error: 'max-ms must be a whole number of milliseconds' })
    .positive({ error: 'max-ms must be positive' })
    .optional(),
  contains: z
    .string({ error: 'contains must be a text (put it in quotes)' })
    .min(1, { error: 'contains must not be empty' })
    .optional(),
  headers,
  timeout: timeout.optional()
}
const httpEntry = z
  .strictObject(httpShape, { error: unknownKeys('an HTTP', Object.keys(httpShape)) })
  .transform((e): HttpCheck => ({
    kind: 'http',
    name: e.name,
    url: e.url,
    ...(e.status !== undefined && { status: e.status }),
    ...(e['max-ms'] !== undefined && { maxMs: e['max-ms'] }),
    ...(e.contains !== undefined && { contains: e.contains }),
    ...(e.headers !== undefined && { headers: e.headers }),
    timeoutMs: e.timeout ?? DEFAULT_CHECK_TIMEOUT_MS
  }))

const commandShape = {
  name,
  run: z
    .string({ error: 'run must be a text' })
    .trim()
    .min(1, { error: 'run must not be empty' })
    .refine((t) => !t.includes('\u0000'), { error: 'run must not contain NUL characters' }),
  timeout: timeout.optional()
}
const commandEntry = z
  .strictObject(commandShape, { error: unknownKeys('a command', Object.keys(commandShape)) })
  .transform((e): CommandCheck => ({
    kind: 'command',
    name: e.name,
    run: e.run,
    ...(e.timeout !== undefined && { timeoutMs: e.timeout })
  }))

const prometheusShape = {
  name,
  prometheus: httpUrl('prometheus'),
  query: z
    .string({ error: 'query must be a text' })
    .trim()
    .min(1, { error: 'query must not be empty' }),
  min: finite('min').optional(),
  max: finite('max').optional(),
  'no-data': z.enum(['pass', 'fail'], { error: 'no-data must be pass or fail' }).optional(),
  headers,
  timeout: timeout.optional()
}
const prometheusEntry = z
  .strictObject(prometheusShape, {
    error: unknownKeys('a Prometheus', Object.keys(prometheusShape))
  })
  .refine((e) => e.min !== undefined || e.max !== undefined, {
    error: 'a Prometheus check needs min, max or both'
  })
  .refine((e) => e.min === undefined || e.max === undefined || e.min <= e.max, {
    error: 'min must not be greater than max'
  })
  .transform((e): PrometheusCheck => ({
    kind: 'prometheus',
    name: e.name,
    prometheus: e.prometheus,
    query: e.query,
    ...(e.min !== undefined && { min: e.min }),
    ...(e.max !== undefined && { max: e.max }),
    ...(e['no-data'] === 'pass' && { noDataPasses: true }),
    ...(e.headers !== undefined && { headers: e.headers }),
    timeoutMs: e.timeout ?? DEFAULT_CHECK_TIMEOUT_MS
  }))

const entrySchemas = { url: httpEntry, run: commandEntry, prometheus: prometheusEntry } as const

/**
 * One check. The kind is told by which of `url`, `run` or `prometheus` the entry has (exactly
 * one); the entry is then checked strictly against that kind's keys.
 */
export const checkSchema = z.unknown().transform((value, ctx): Check => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'each check must be a mapping with a name and one of url, run or prometheus'
    })
    return z.NEVER
  }
  const entry = value as Record<string, unknown>
  const label =
    typeof entry.name === 'string' && entry.name.trim() ? `check "${entry.name.trim()}": ` : ''
  const kinds = (Object.keys(KINDS) as KindKey[]).filter((k) => k in entry)
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        kinds.length === 0
          ? `${label}a check needs one of url (HTTP), run (command) or prometheus (query)`
          : `${label}a check takes only one of url, run or prometheus (found ${kinds.join(', ')})`
    })
    return z.NEVER
  }
  const parsed = entrySchemas[kinds[0] as KindKey].safeParse(value)
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: `${label}${issue.message}`, path: issue.path })
  }
  return z.NEVER
})

/**
 * The YAML-parsed `smoke-tests` or `monitor-checks` input: a list of checks with distinct
 * names. An absent list (null / undefined, as YAML gives for an empty input) reads as [].
 */
export const checkListSchema = z
  .array(checkSchema, { error: 'must be a list of checks (YAML entries starting with "- ")' })
  .nullish()
  .transform((list) => list ?? [])
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((check, i) => {
      if (seen.has(check.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `two checks are named "${check.name}"; names must be distinct`,
          path: [i, 'name']
        })
      }
      seen.add(check.name)
    })
  })

/**
 * Parses a check list, or throws an Error whose message names the input and every problem,
 * one a line, e.g. `smoke-tests[1].status: "Login": status must be between 100 and 599`.
 */
export function parseCheckList(value: unknown, inputName: string): Check[] {
  const parsed = checkListSchema.safeParse(value)
  if (parsed.success) return parsed.data
  const lines = parsed.error.issues.map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
    return `${inputName}${path}: ${issue.message}`
  })
  throw new Error(`invalid ${inputName}:\n${lines.join('\n')}`)
}
