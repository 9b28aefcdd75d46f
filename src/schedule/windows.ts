/**
 * Freeze windows as concrete instants. Pure: every function takes `now` and an IANA
 * `timeZone`; nothing reads the process time zone or the current time.
 */
import type { FreezeWindow } from './freeze.js'
import { DAY_MS, HOUR_MS, MINUTE_MS, fromWall, isoWeekday, toWall, wallDay } from './zone.js'

export { formatInZone, isValidTimeZone } from './zone.js'

/** At least this far ahead `nextAllowed` looks for an instant outside every window. */
export const SEARCH_HORIZON_DAYS = 366

/** One occurrence of a window: [start, end) in epoch ms. */
interface Occurrence {
  start: number
  end: number
  window: FreezeWindow
}

/**
 * Windows that apply to a deployment to `environment`: a window without `environments`
 * applies to production targets; one with `environments` applies exactly to those
 * (compared case-insensitively, as GitHub does for environment names).
 */
export function windowsFor(
  windows: readonly FreezeWindow[],
  environment: string,
  isProduction: boolean
): FreezeWindow[] {
  const env = environment.trim().toLowerCase()
  return windows.filter((w) =>
    w.environments ? w.environments.some((e) => e.trim().toLowerCase() === env) : isProduction
  )
}

const minutesOf = (t: { hour: number; minute: number }): number => t.hour * 60 + t.minute

/**
 * Occurrences of `w` that start on local days `firstDay`..`lastDay` (day numbers from
 * `wallDay`). Dated windows are returned whatever the range. Edges are resolved with
 * `fromWall` (gap -> first instant after it, overlap -> first occurrence); an occurrence that
 * collapses to nothing (both edges in one gap) is dropped.
 */
function occurrences(
  w: FreezeWindow,
  firstDay: number,
  lastDay: number,
  timeZone: string
): Occurrence[] {
  const out: Occurrence[] = []
  const push = (startWall: number, endWall: number): void => {
    const start = fromWall(startWall, timeZone)
    const end = fromWall(endWall, timeZone)
    if (end > start) out.push({ start, end, window: w })
  }
  if (w.kind === 'span') {
    out.push({ start: w.start, end: w.end, window: w })
    return out
  }
  if (w.kind === 'yearly') {
    // every year whose occurrence may touch the days asked for (a yearly window may last
    // almost a year, so the one of the year before is included)
    const firstYear = new Date(firstDay * DAY_MS).getUTCFullYear() - 1
    const lastYear = new Date(lastDay * DAY_MS).getUTCFullYear()
    const f = w.from
    const t = w.to
    const over =
      t.month * 100 + t.day < f.month * 100 + f.day ||
      (t.month === f.month && t.day === f.day && minutesOf(t) <= minutesOf(f))
    for (let y = firstYear; y <= lastYear; y++) {
      push(
        Date.UTC(y, f.month - 1, f.day, f.hour, f.minute),
        Date.UTC(over ? y + 1 : y, t.month - 1, t.day, t.hour, t.minute)
      )
    }
    return out
  }
  if (w.kind === 'dated') {
    const f = w.from
    const t = w.to
    push(
      Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute),
      Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute)
    )
    return out
  }
  const fromMin = minutesOf(w.from)
  const toMin = minutesOf(w.to)
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = isoWeekday(day)
    let spanDays: number
    if (w.kind === 'weekly') {
      if (weekday !== w.from.day) continue
      spanDays = (w.to.day - w.from.day + 7) % 7
      // Same day with `to` not later: it wraps round the whole week.
      if (spanDays === 0 && toMin <= fromMin) spanDays = 7
    } else {
      if (!w.days.includes(weekday as (typeof w.days)[number])) continue
      // A daily window whose `to` is not after `from` runs past midnight into the next day.
      spanDays = toMin <= fromMin ? 1 : 0
    }
    push(day * DAY_MS + fromMin * MINUTE_MS, (day + spanDays) * DAY_MS + toMin * MINUTE_MS)
  }
  return out
}

/** Day number (see `wallDay`) of the local date at instant `t`. */
function dayOf(t: number, timeZone: string): number {
  return wallDay(toWall(t, timeZone))
}

// Weekly windows last under 7 days and daily ones at most 24 h (plus a DST hour), so an
// occurrence containing `t` starts at most 8 local days before `t`'s local day. An occurrence
// may start on the next local day only around a fall-back transition at midnight.
const LOOK_BACK_DAYS = 8

/**
 * True when the weekly and daily windows, merged, cover every minute of the week on the wall
 * clock. Then no instant is ever allowed: resolving wall times to instants is monotonic (a DST
 * gap collapses, an overlap resolves to its first occurrence), so wall-clock coverage without
 * holes stays without holes in any zone. Checked on a plain UTC week, where wall == instant.
 */
function repeatingWindowsCoverTheWeek(windows: readonly FreezeWindow[]): boolean {
  const monday = 4 // 1970-01-05, day 4 since the epoch, was a Monday
  const all = windows
    .filter((w) => w.kind === 'weekly' || w.kind === 'daily')
    .flatMap((w) => occurrences(w, monday - LOOK_BACK_DAYS, monday + 7, 'UTC'))
    .sort((a, b) => a.start - b.start)
  let cursor = monday * DAY_MS
  for (const o of all) {
    if (o.start > cursor) break
    if (o.end > cursor) cursor = o.end
  }
  return cursor >= (monday + 7) * DAY_MS
}

/**
 * With a runway, a window starting at `start` blocks a release begun after `start - runway`
 * (one begun exactly then ends its runway as the window begins, which is fine).
 */
function earliestStart(start: number, runwayMs: number): number {
  return runwayMs > 0 ? start - runwayMs + 1 : start
}

/** What the time rules allow: the windows that apply, their zone and the runway. */
export interface Schedule {
  windows: readonly FreezeWindow[]
  timeZone: string
  /** a release begins only when no window starts within this long (0: none) */
  runwayMs: number
}

/**
 * The first instant at or after `from` outside every window of `schedule` from which the
 * runway is free (no window starts before it ends). `from` itself when it is allowed.
 * Throws like `nextAllowed` when no such instant exists. Name and shape are stable: the bake
 * time merges its own earliest instant with the windows through this function.
 */
export function nextWindow(from: Date, schedule: Schedule): Date {
  return nextAllowed(schedule.windows, from, schedule.timeZone, schedule.runwayMs)
}

/** A window occurrence: its window and when it starts and ends. */
export interface Upcoming {
  window: FreezeWindow
  start: Date
  end: Date
}

/**
 * The earliest window occurrence starting after `now` and before `now + withinMs`
 * (one starting exactly at `now + withinMs` is not counted), if any.
 */
export function upcomingWindow(
  windows: readonly FreezeWindow[],
  now: Date,
  timeZone: string,
  withinMs: number
): Upcoming | undefined {
  const t = now.getTime()
  const today = dayOf(t, timeZone)
  const lastDay = dayOf(t + withinMs, timeZone) + 1
  let best: { start: number; end: number; window: FreezeWindow } | undefined
  for (const w of windows) {
    for (const o of occurrences(w, today - 1, lastDay, timeZone)) {
      if (o.start > t && o.start < t + withinMs && (!best || o.start < best.start)) best = o
    }
  }
  return best && { window: best.window, start: new Date(best.start), end: new Date(best.end) }
}

/** The first window (in list order) containing `now`: from inclusive, to exclusive. */
export function activeWindow(
  windows: readonly FreezeWindow[],
  now: Date,
  timeZone: string
): FreezeWindow | undefined {
  const t = now.getTime()
  const today = dayOf(t, timeZone)
  return windows.find((w) =>
    occurrences(w, today - LOOK_BACK_DAYS, today + 1, timeZone).some(
      (o) => o.start <= t && t < o.end
    )
  )
}

/**
 * The first instant >= `now` outside all `windows`, overlapping and adjacent windows being
 * chained (a window ending 14:00 followed by one starting 14:00 gives the end of the second).
 * Returns `now` itself (same instant) when `now` is allowed.
 *
 * Always terminates. Throws an Error whose message starts "freeze windows never end" when the
 * weekly and daily windows together cover the whole week, or when nothing is allowed within
 * `SEARCH_HORIZON_DAYS` days (or until the end of the latest dated window, if later). Callers
 * should treat that as a configuration error.
 */
export function nextAllowed(
  windows: readonly FreezeWindow[],
  now: Date,
  timeZone: string,
  runwayMs = 0
): Date {
  const t0 = now.getTime()
  if (windows.length === 0) return new Date(t0)
  if (repeatingWindowsCoverTheWeek(windows)) {
    throw new Error('freeze windows never end: the weekly and daily windows cover the whole week')
  }
  const today = dayOf(t0, timeZone)
  const firstDay = today - LOOK_BACK_DAYS
  let horizon = t0 + SEARCH_HORIZON_DAYS * DAY_MS
  for (const w of windows) {
    if (w.kind === 'dated') {
      const end = Date.UTC(w.to.year, w.to.month - 1, w.to.day, w.to.hour, w.to.minute)
      horizon = Math.max(horizon, end + 2 * DAY_MS)
    }
    if (w.kind === 'span') horizon = Math.max(horizon, w.end + 2 * DAY_MS)
  }
  const horizonDay = dayOf(horizon, timeZone) + 2

  let lastDay = today + 14
  for (;;) {
    lastDay = Math.min(lastDay, horizonDay)
    const all = windows
      .flatMap((w) => occurrences(w, firstDay, lastDay, timeZone))
      .map((o) => ({ ...o, start: earliestStart(o.start, runwayMs) }))
      .sort((a, b) => a.start - b.start)
    let cursor = t0
    for (const o of all) {
      if (o.start > cursor) break
      if (o.end > cursor) cursor = o.end
    }
    // Occurrences not enumerated start on local day lastDay + 1 or later, i.e. no earlier than
    // that day's midnight minus the largest offset (and a fall-back hour): keep a wide margin.
    const safeUntil = (lastDay + 1) * DAY_MS - 26 * HOUR_MS - runwayMs
    if (cursor < safeUntil) return new Date(cursor)
    if (lastDay >= horizonDay || cursor > horizon) {
      throw new Error(
        `freeze windows never end: no allowed instant within ${Math.round(
          (horizon - t0) / DAY_MS
        )} days after ${now.toISOString()}`
      )
    }
    lastDay = today + (lastDay - today) * 2
  }
}
