import { z } from 'zod'

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7

export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

/** A local wall-clock time of day, 24 h. */
export interface LocalTime {
  hour: number
  minute: number
}

/** A local date-time in the zone of the time rules. */
export interface LocalDateTime extends LocalTime {
  year: number
  /** 1-12 */
  month: number
  /** 1-31 */
  day: number
}

interface WindowCommon {
  name?: string
  /** When set, the window applies exactly to these environments (production or not). */
  environments?: string[]
}

/** Every week from `from` to `to`; when `to` comes earlier in the week it runs over the weekend. */
export interface WeeklyWindow extends WindowCommon {
  kind: 'weekly'
  from: LocalTime & { day: Weekday }
  to: LocalTime & { day: Weekday }
}

/** Once, from one local date-time to a later one. */
export interface DatedWindow extends WindowCommon {
  kind: 'dated'
  from: LocalDateTime
  to: LocalDateTime
}

/**
 * On each of `days` (sorted, distinct) from `from` to `to`. When `to` <= `from` the window
 * runs past midnight and ends at `to` on the next day (so `from` == `to` is a whole 24 h).
 */
export interface DailyWindow extends WindowCommon {
  kind: 'daily'
  days: Weekday[]
  from: LocalTime
  to: LocalTime
}

/** Every year, from a local month-day and time to the next `to` (over New Year when earlier). */
export interface YearlyWindow extends WindowCommon {
  kind: 'yearly'
  from: LocalTime & { month: number; day: number }
  to: LocalTime & { month: number; day: number }
}

/**
 * Once, between two instants (epoch ms): an event of an iCalendar source, whose times are
 * already resolved in the event's own zone.
 */
export interface SpanWindow extends WindowCommon {
  kind: 'span'
  start: number
  end: number
}

export type FreezeWindow = WeeklyWindow | DatedWindow | DailyWindow | YearlyWindow | SpanWindow

export const DEFAULT_FREEZE: FreezeWindow[] = [
  {
    kind: 'weekly',
    name: 'Friday afternoon and weekend',
    from: { day: 5, hour: 14, minute: 0 },
    to: { day: 1, hour: 0, minute: 0 }
  }
]

// ---------------------------------------------------------------------------------------------
// Parsing of the pieces. Each returns a value or an error message (a string starting lowercase).

const DAY_LOOKUP = new Map<string, Weekday>()
;['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].forEach((n, i) => {
  DAY_LOOKUP.set(n, (i + 1) as Weekday)
  DAY_LOOKUP.set(n.slice(0, 3), (i + 1) as Weekday)
})

const EXPECTED_DAYS = 'expected Mon, Tue, Wed, Thu, Fri, Sat or Sun'

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error })

export function parseDay(text: string): Parsed<Weekday> {
  const day = DAY_LOOKUP.get(text.trim().toLowerCase())
  return day ? ok(day) : fail(`unknown day "${text}": ${EXPECTED_DAYS}`)
}

export function parseTime(text: string): Parsed<LocalTime> {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim())
  if (!m) return fail(`"${text}" is not a time: expected HH:MM (24 h), e.g. "14:00"`)
  const hour = Number(m[1])
  const minute = Number(m[2])
  if (hour > 23 || minute > 59) {
    return fail(`"${text}" is not a valid time: expected 00:00 to 23:59`)
  }
  return ok({ hour, minute })
}

function parseWeekly(text: string): Parsed<LocalTime & { day: Weekday }> {
  const m = /^([A-Za-z]+)\s+(\S+)$/.exec(text.trim())
  if (!m) return fail(`"${text}" is not a day and time: expected e.g. "Fri 14:00"`)
  const day = parseDay(m[1] as string)
  if (!day.ok) return day
  const time = parseTime(m[2] as string)
  if (!time.ok) return time
  return ok({ day: day.value, ...time.value })
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function parseDated(text: string): Parsed<LocalDateTime> {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\S+))?$/.exec(text.trim())
  if (!m) return fail(`"${text}" is not a date-time: expected e.g. "2026-12-24 00:00"`)
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(`"${text}" is not a valid date: ${m[1]}-${m[2]}-${m[3]} does not exist`)
  }
  // A bare date means midnight at the start of that day.
  const time = m[4] === undefined ? ok({ hour: 0, minute: 0 }) : parseTime(m[4])
  if (!time.ok) return fail(`"${text}": ${time.error}`)
  return ok({ year, month, day, ...time.value })
}

function parseYearly(text: string): Parsed<LocalTime & { month: number; day: number }> {
  const m = /^(\d{2})-(\d{2})(?:[ T]+(\S+))?$/.exec(text.trim())
  if (!m) return fail(`"${text}" is not a month-day and time: expected e.g. "12-24 00:00"`)
  const month = Number(m[1])
  const day = Number(m[2])
  // a leap year, so that 02-29 is a day (it falls on 03-01 in other years)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2024, month)) {
    return fail(`"${text}" is not a valid month-day: ${m[1]}-${m[2]} does not exist`)
  }
  const time = m[3] === undefined ? ok({ hour: 0, minute: 0 }) : parseTime(m[3])
  if (!time.ok) return fail(`"${text}": ${time.error}`)
  return ok({ month, day, ...time.value })
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/**
 * YAML turns an unquoted `2026-12-24` (or `2026-12-24 10:00:00`) into a Date at that UTC time;
 * read it back as the local date-time the user wrote.
 */
function dateToText(d: Date): string | undefined {
  if (Number.isNaN(d.getTime()) || d.getUTCSeconds() !== 0 || d.getUTCMilliseconds() !== 0) {
    return undefined
  }
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  )
}

function compareDateTime(a: LocalDateTime, b: LocalDateTime): number {
  return (
    Date.UTC(a.year, a.month - 1, a.day, a.hour, a.minute) -
    Date.UTC(b.year, b.month - 1, b.day, b.hour, b.minute)
  )
}

// ---------------------------------------------------------------------------------------------
// Schema

const KEYS = 'name, environments, days, from, to'

function textField(what: string): z.ZodType<string | Date> {
  return z.union([z.string(), z.date()], {
    error: (iss) => (iss.input === undefined ? `"${what}" is missing` : `"${what}" must be a text`)
  })
}

const rawWindowSchema = z.strictObject(
  {
    name: z
      .string({ error: '"name" must be a text' })
      .trim()
      .min(1, { error: '"name" must not be empty' })
      .optional(),
    environments: z
      .union([z.array(z.string()), z.string()], {
        error: '"environments" must be a list of environment names'
      })
      .optional(),
    days: z
      .array(z.string({ error: 'each of "days" must be a day name like Mon' }), {
        error: `"days" must be a list of days, e.g. [Mon, Tue, Wed, Thu, Fri]`
      })
      .optional(),
    from: textField('from'),
    to: textField('to')
  },
  {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        const keys = iss.keys.map((k) => `"${k}"`).join(', ')
        return `unknown key${iss.keys.length > 1 ? 's' : ''} ${keys}: expected ${KEYS}`
      }
      if (iss.code === 'invalid_type') {
        return 'each window must be a mapping with from and to, e.g. {from: "Fri 14:00", to: "Mon 00:00"}'
      }
      return undefined
    }
  }
)

type RawWindow = z.infer<typeof rawWindowSchema>

function toText(v: string | Date): string {
  return typeof v === 'string' ? v : (dateToText(v) ?? v.toISOString())
}

/** Builds a typed window from a structurally valid raw one; `issue` records errors. */
function buildWindow(
  raw: RawWindow,
  issue: (message: string, field?: string) => void
): FreezeWindow | undefined {
  const reject = (message: string, field?: string): undefined => {
    issue(message, field)
    return undefined
  }
  const common: WindowCommon = {}
  if (raw.name !== undefined) common.name = raw.name
  if (raw.environments !== undefined) {
    // A comma-separated text is accepted too, like the `production-environments` input.
    const list = (
      typeof raw.environments === 'string' ? raw.environments.split(',') : raw.environments
    )
      .map((e) => e.trim())
      .filter((e) => e !== '')
    if (list.length === 0) {
      issue('"environments" must name at least one environment', 'environments')
      return undefined
    }
    common.environments = [...new Set(list)]
  }

  const from = toText(raw.from).trim()
  const to = toText(raw.to).trim()

  if (raw.days !== undefined) {
    if (raw.days.length === 0) {
      issue('"days" must list at least one day', 'days')
      return undefined
    }
    const days = new Set<Weekday>()
    for (const d of raw.days) {
      const day = parseDay(d)
      if (!day.ok) {
        issue(`"days": ${day.error}`, 'days')
        return undefined
      }
      days.add(day.value)
    }
    const f = parseTime(from)
    const t = parseTime(to)
    const times = ' (with "days", from and to are times of day)'
    if (!f.ok) return reject(`"from": ${f.error}${times}`, 'from')
    if (!t.ok) return reject(`"to": ${t.error}${times}`, 'to')
    return {
      kind: 'daily',
      ...common,
      days: [...days].sort((a, b) => a - b),
      from: f.value,
      to: t.value
    }
  }

  const kindOf = (s: string): 'dated' | 'yearly' | 'weekly' | 'time' | 'unknown' =>
    /^\d{4}-/.test(s)
      ? 'dated'
      : /^\d{2}-\d/.test(s)
        ? 'yearly'
        : /^[A-Za-z]/.test(s)
          ? 'weekly'
          : /^\d{1,2}:\d/.test(s)
            ? 'time'
            : 'unknown'
  const fromKind = kindOf(from)
  const toKind = kindOf(to)

  if (fromKind === 'time' || toKind === 'time') {
    issue(
      'a time of day alone needs "days" (daily window, e.g. days: [Mon, Fri]); otherwise give a day ' +
        '("Fri 14:00", weekly) or a date ("2026-12-24 00:00", dated)',
      fromKind === 'time' ? 'from' : 'to'
    )
    return undefined
  }

  if (fromKind === 'dated' && toKind === 'dated') {
    const f = parseDated(from)
    if (!f.ok) return reject(`"from": ${f.error}`, 'from')
    const t = parseDated(to)
    if (!t.ok) return reject(`"to": ${t.error}`, 'to')
    if (compareDateTime(t.value, f.value) <= 0) {
      return reject(`"to" (${to}) must be later than "from" (${from})`, 'to')
    }
    return { kind: 'dated', ...common, from: f.value, to: t.value }
  }

  if (fromKind === 'yearly' && toKind === 'yearly') {
    const f = parseYearly(from)
    if (!f.ok) return reject(`"from": ${f.error}`, 'from')
    const t = parseYearly(to)
    if (!t.ok) return reject(`"to": ${t.error}`, 'to')
    const key = (v: typeof f.value): number =>
      ((v.month * 32 + v.day) * 24 + v.hour) * 60 + v.minute
    if (key(f.value) === key(t.value)) {
      return reject(`"from" and "to" are the same (${from}): the window would be empty`, 'to')
    }
    return { kind: 'yearly', ...common, from: f.value, to: t.value }
  }

  if (fromKind === 'weekly' && toKind === 'weekly') {
    const f = parseWeekly(from)
    if (!f.ok) return reject(`"from": ${f.error}`, 'from')
    const t = parseWeekly(to)
    if (!t.ok) return reject(`"to": ${t.error}`, 'to')
    const { day: fd, hour: fh, minute: fm } = f.value
    const { day: td, hour: th, minute: tm } = t.value
    if (fd === td && fh === th && fm === tm) {
      return reject(`"from" and "to" are the same (${from}): the window would be empty`, 'to')
    }
    return { kind: 'weekly', ...common, from: f.value, to: t.value }
  }

  if (fromKind === 'unknown' || toKind === 'unknown') {
    const bad = fromKind === 'unknown' ? 'from' : 'to'
    issue(
      `"${bad}" is "${bad === 'from' ? from : to}": expected a day and time ("Fri 14:00"), ` +
        'a date and time ("2026-12-24 00:00"), a month-day and time ("12-24 00:00", every ' +
        'year) or, with "days", a time ("11:30")',
      bad
    )
    return undefined
  }

  issue(
    `"from" (${from}) and "to" (${to}) must be of the same kind: both a day and time ` +
      '("Fri 14:00"), both a date and time ("2026-12-24 00:00") or both a month-day and time ' +
      '("12-24 00:00")',
    'to'
  )
  return undefined
}

/**
 * The `freeze` input once YAML-parsed: a list of windows, each weekly, dated or daily.
 * Messages name the window by position ("window 2: ...") and do not name the input, which the
 * settings module prefixes. Issue paths are `[index, field]` as well.
 */
export const freezeListSchema = z
  .array(z.unknown(), {
    error: 'expected a list of freeze windows, e.g. [{from: "Fri 14:00", to: "Mon 00:00"}]'
  })
  .transform((items, ctx): FreezeWindow[] => {
    const windows: FreezeWindow[] = []
    items.forEach((item, i) => {
      const label = `window ${i + 1}`
      const raw = rawWindowSchema.safeParse(item)
      if (!raw.success) {
        for (const iss of raw.error.issues) {
          ctx.addIssue({
            code: 'custom',
            message: `${label}: ${iss.message}`,
            path: [i, ...iss.path]
          })
        }
        return
      }
      const w = buildWindow(raw.data, (message, field) =>
        ctx.addIssue({
          code: 'custom',
          message: `${label}: ${message}`,
          path: field ? [i, field] : [i]
        })
      )
      if (w) windows.push(w)
    })
    return windows
  })

// ---------------------------------------------------------------------------------------------
// Description

function formatTime(t: LocalTime): string {
  return `${pad(t.hour)}:${pad(t.minute)}`
}

function formatDateTime(d: LocalDateTime): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)} ${formatTime(d)}`
}

/** "Mon–Fri", "Sat, Sun", "Mon, Wed–Fri": runs of three or more days are shortened. */
function formatDays(days: Weekday[]): string {
  const parts: string[] = []
  let i = 0
  while (i < days.length) {
    let j = i
    while (j + 1 < days.length && (days[j + 1] as number) === (days[j] as number) + 1) j++
    const first = WEEKDAY_NAMES[(days[i] as number) - 1]
    const last = WEEKDAY_NAMES[(days[j] as number) - 1]
    if (j - i >= 2) parts.push(`${first}–${last}`)
    else for (let k = i; k <= j; k++) parts.push(WEEKDAY_NAMES[(days[k] as number) - 1] as string)
    i = j + 1
  }
  return parts.join(', ')
}

/** Short text for a window: its name, else e.g. "Fri 14:00 → Mon 00:00". */
export function describeWindow(w: FreezeWindow): string {
  if (w.name) return w.name
  switch (w.kind) {
    case 'weekly':
      return (
        `${WEEKDAY_NAMES[w.from.day - 1]} ${formatTime(w.from)} → ` +
        `${WEEKDAY_NAMES[w.to.day - 1]} ${formatTime(w.to)}`
      )
    case 'dated':
      return `${formatDateTime(w.from)} → ${formatDateTime(w.to)}`
    case 'yearly':
      return (
        `${pad(w.from.month)}-${pad(w.from.day)} ${formatTime(w.from)} → ` +
        `${pad(w.to.month)}-${pad(w.to.day)} ${formatTime(w.to)}`
      )
    case 'span':
      return `${new Date(w.start).toISOString()} → ${new Date(w.end).toISOString()}`
    case 'daily': {
      const overnight =
        w.to.hour * 60 + w.to.minute <= w.from.hour * 60 + w.from.minute ? ' (next day)' : ''
      return `${formatDays(w.days)} ${formatTime(w.from)} → ${formatTime(w.to)}${overnight}`
    }
  }
}
