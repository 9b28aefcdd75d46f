/**
 * Alertmanager matchers (`alert-filter`): `name="value"`, `name!="value"`, `name=~"regex"`,
 * `name!~"regex"`, comma separated, optionally in braces — the syntax Alertmanager's own
 * `filter` parameter takes. Parsed once as an input; Alertmanager does the matching (its
 * regular expressions are anchored at both ends, as the check of each one here is).
 */

export type MatchOp = '=' | '!=' | '=~' | '!~'

export interface Matcher {
  name: string
  op: MatchOp
  value: string
}

const MATCHER = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"$/

/** Splits at commas outside quotes. */
function parts(text: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (ch === '\\' && quoted) {
      current += ch + (text[i + 1] ?? '')
      i++
      continue
    }
    if (ch === '"') quoted = !quoted
    if (ch === ',' && !quoted) {
      out.push(current)
      current = ''
    } else current += ch
  }
  out.push(current)
  return out.map((p) => p.trim()).filter((p) => p !== '')
}

/** The matchers of `text`, or what is wrong with the first one that is not one. */
export function parseMatchers(text: string): { matchers: Matcher[] } | { error: string } {
  let body = text.trim()
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1)
  const matchers: Matcher[] = []
  for (const part of parts(body)) {
    const m = MATCHER.exec(part)
    if (!m) return { error: `${JSON.stringify(part)} is not a matcher such as severity="critical"` }
    const value = (m[3] as string).replace(/\\(.)/g, '$1')
    const op = m[2] as MatchOp
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(`^(?:${value})$`)
      } catch {
        return { error: `${JSON.stringify(part)} has an invalid regular expression` }
      }
    }
    matchers.push({ name: m[1] as string, op, value })
  }
  return { matchers }
}

/** A matcher as Alertmanager's `filter` parameter takes it. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}"${m.value.replace(/(["\\])/g, '\\$1')}"`
}
