import yaml from 'js-yaml'
import type { z } from 'zod'
import { MAX_DURATION_MS, parseDuration } from '../duration.js'
import { isHttpUrl } from '../http.js'
import { parseMatchers, type Matcher } from '../alerts/matchers.js'
import { isValidTimeZone } from '../schedule/windows.js'

/**
 * How each kind of input is read from its (trimmed) text: a value, with `bad` told what was
 * expected when the text does not fit. Each reader is a zod transform of the schema.
 */
export type Bad = (expected: string, got?: string) => void

// Control characters in names would end up in headers, logs and Markdown; refuse them early.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const CONTROL = /[\u0000-\u001f\u007f]/

export function listOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export const optional = (t: string): string | undefined => (t === '' ? undefined : t)

export function name(fallback?: string) {
  return (text: string, bad: Bad): string => {
    const t = text || fallback || ''
    if (t === '') {
      bad('a non-empty name')
      return ''
    }
    if (CONTROL.test(t) || t.length > 255) bad('a single line of at most 255 characters', t)
    return t
  }
}

/**
 * Several names, comma separated or a YAML list (`staging, production-canary`), without
 * repeats (ignoring case); an empty text means `[fallback]`, a list with no name is refused.
 */
export function names(fallback: string) {
  const one = name()
  return (text: string, bad: Bad): string[] => {
    if (text === '') return [fallback]
    const items = yamlOrList(text, bad)
    if (items.length === 0) {
      bad('at least one name (comma separated or a YAML list)', text)
      return [fallback]
    }
    const seen = new Set<string>()
    return items
      .map((n) => one(n, bad))
      .filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()))
  }
}

export function singleLine(t: string, bad: Bad): string | undefined {
  if (t !== '' && (CONTROL.test(t) || t.length > 255))
    bad('a single line of at most 255 characters', t)
  return optional(t)
}

export function oneOf<T extends string>(values: readonly T[], fallback: T) {
  return (t: string, bad: Bad): T => {
    if (t === '') return fallback
    const hit = values.find((v) => v.toLowerCase() === t.toLowerCase())
    if (hit) return hit
    bad(`one of ${values.join(', ')}`, t)
    return fallback
  }
}

export function bool(fallback: boolean) {
  return (t: string, bad: Bad): boolean => {
    if (t === '') return fallback
    if (['true', 'True', 'TRUE'].includes(t)) return true
    if (['false', 'False', 'FALSE'].includes(t)) return false
    bad('true or false', t)
    return fallback
  }
}

export function duration(fallback: string, allowZero = false) {
  return (text: string, bad: Bad): number => {
    const t = text || fallback
    const ms = parseDuration(t)
    const what = allowZero
      ? 'a duration such as 90s, 15m, 1h or 1h30m (at most 24d), or 0'
      : 'a positive duration such as 90s, 15m, 1h or 1h30m (at most 24d)'
    if (ms === undefined || (!allowZero && ms <= 0) || ms > MAX_DURATION_MS) {
      bad(what, t)
      return 0
    }
    return ms
  }
}

export function positiveInt(fallback: number) {
  return (t: string, bad: Bad): number => {
    if (t === '') return fallback
    if (!/^\d+$/.test(t) || Number(t) < 1) {
      bad('a whole number of at least 1', t)
      return fallback
    }
    return Number(t)
  }
}

/** URLs may be secrets (webhooks): never echoed back in the error. */
export function url(t: string, bad: Bad): string | undefined {
  if (t === '') return undefined
  if (!isHttpUrl(t)) {
    bad('an http or https URL')
    return undefined
  }
  return t
}

/** Text that is a YAML list (`[a, b]` or `- a`) rather than plain separated values. */
const isYamlList = (t: string): boolean => /^\s*(\[|- )/.test(t)

/** A list given as YAML (`[a, b]` or `- a`) or as comma/newline separated text. */
export function yamlOrList(t: string, bad: Bad): string[] {
  if (t === '') return []
  if (isYamlList(t)) {
    try {
      const parsed = yaml.load(t)
      if (Array.isArray(parsed)) {
        // a mapping or a nested list is no name: String() would make it "[object Object]"
        if (parsed.some((x) => x !== null && typeof x === 'object')) {
          bad('a list of names, one text per entry')
          return []
        }
        return parsed.map((x) => String(x ?? '').trim()).filter(Boolean)
      }
    } catch {
      bad('a YAML list or comma separated values')
      return []
    }
  }
  return listOf(t)
}

/** A monitoring URL may carry a key (query, user info) and is not masked: say which entry. */
export function urls(t: string, bad: Bad): string[] {
  const items = yamlOrList(t, bad)
  const wrong = items.findIndex((u) => !isHttpUrl(u))
  if (wrong >= 0) bad(`http or https URLs (entry ${wrong + 1} of ${items.length} is not)`)
  return items.filter(isHttpUrl)
}

/** YAML text checked by `schema` (freeze windows, checks). */
export function structured<T>(schema: z.ZodType<T>, what: string) {
  return (t: string, bad: Bad): T | undefined => {
    if (t === '') return undefined
    let parsed: unknown
    try {
      parsed = yaml.load(t)
    } catch (e) {
      bad(`${what} (YAML): ${e instanceof yaml.YAMLException ? e.reason : 'not YAML'}`)
      return undefined
    }
    const result = schema.safeParse(parsed)
    if (result.success) return result.data
    const issue = result.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    bad(`${what}${where}: ${issue?.message ?? 'invalid'}`)
    return undefined
  }
}

/** A bash script: any text but NUL, which bash cannot be given (never echoed: it may hold secrets). */
export function script(t: string, bad: Bad): string | undefined {
  if (t.includes('\u0000')) {
    bad('a bash script without NUL characters')
    return undefined
  }
  return optional(t)
}

/** A token sent in an HTTP header: never echoed, and refused when a header cannot carry it. */
export function token(t: string, bad: Bad): string | undefined {
  // fetch would refuse the header and put the value in its error, and so in the record
  if (t !== '' && !/^[\x21-\x7e]+$/.test(t)) {
    bad('a token of visible ASCII characters, without spaces or line breaks')
    return undefined
  }
  return optional(t)
}

/** A Slack conversation ID (`C…` channel, `G…` private channel, `D…` direct message), not a name. */
export function slackChannel(t: string, bad: Bad): string | undefined {
  if (t !== '' && !/^[CGD][A-Z0-9]{6,}$/.test(t)) {
    bad(
      t.startsWith('#')
        ? "a channel ID like C0123456789, not a channel name (in Slack: the channel's details, at the bottom)"
        : 'a Slack channel ID (C…, G… or D…, e.g. C0123456789)',
      t
    )
    return undefined
  }
  return optional(t)
}

export function timeZone(text: string, bad: Bad): string {
  const t = text || 'UTC'
  if (!isValidTimeZone(t)) {
    bad('an IANA time zone such as Europe/Paris', t)
    return 'UTC'
  }
  return t
}

export function datadogSite(text: string, bad: Bad): string {
  const t = text || 'datadoghq.com'
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(t)) bad('a host name such as datadoghq.eu', t)
  return t
}

/**
 * Globs of files in the repository (`db/migrations/*.sql`): relative to the workspace and
 * inside it, so that a run never reads files the repository does not hold.
 */
export function globs(t: string, bad: Bad): string[] {
  // one glob a line, or a YAML list: never split on commas, which braces use (`{up,down}`)
  const items = isYamlList(t)
    ? yamlOrList(t, bad)
    : t
        .split('\n')
        .map((g) => g.trim())
        .filter(Boolean)
  const wrong = items.findIndex(
    (g) => CONTROL.test(g) || g.startsWith('/') || /^[a-z]:/i.test(g) || g.split('/').includes('..')
  )
  if (wrong >= 0)
    bad(
      `globs relative to the repository, such as db/migrations/*.sql (entry ${wrong + 1} of ${items.length} is not)`,
      items[wrong]
    )
  return wrong >= 0 ? [] : items
}

export function wholeNumber(fallback: number) {
  return (t: string, bad: Bad): number => {
    if (t === '') return fallback
    if (!/^\d+$/.test(t) || Number(t) > 100) {
      bad('a whole number from 0 to 100', t)
      return fallback
    }
    return Number(t)
  }
}

/** Alertmanager matchers, e.g. `severity="critical", service="shop"`. */
export function alertFilter(t: string, bad: Bad): Matcher[] {
  if (t === '') return []
  const parsed = parseMatchers(t)
  if ('error' in parsed) {
    bad(`Alertmanager matchers such as severity="critical", service=~"shop|api": ${parsed.error}`)
    return []
  }
  return parsed.matchers
}
