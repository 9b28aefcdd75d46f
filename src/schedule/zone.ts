/**
 * Wall-clock arithmetic in an IANA time zone, computed from `Intl` only.
 *
 * Why not date-fns-tz: `toZonedTime`, `fromZonedTime` and `formatInTimeZone` pass through
 * Date objects whose *process-local* fields hold the zone's wall clock, so their results depend
 * on process.env.TZ (e.g. with TZ=America/New_York, `formatInTimeZone` prints
 * 2026-03-08T02:30Z in UTC as 03:30, because 02:30 does not exist in New York that night), and
 * `fromZonedTime` resolves a time in a spring-forward gap to the instant *before* the gap
 * (02:30 Europe/Paris on 2026-03-29 -> 00:30Z = 01:30 CET) and a fall-back time to an
 * occurrence that depends on the process zone. The time rules need neither, so this module
 * works on epoch milliseconds and reads zone offsets with `Intl.DateTimeFormat#formatToParts`.
 * It never uses local-time Date methods (getHours, getDay, setHours, new Date(y, m, d) ...).
 *
 * A "wall" value is the zone's local date-time encoded as if it were UTC milliseconds:
 * `Date.UTC(year, month - 1, day, hour, minute)`.
 */

export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** True for a time zone name `Intl` knows (IANA names such as `Europe/Paris`, and `UTC`). */
export function isValidTimeZone(tz: string): boolean {
  // Offsets like "+01:00" are accepted by some Intl versions; the input is documented as IANA.
  if (typeof tz !== 'string' || !/^[A-Za-z]/.test(tz)) return false
  try {
    formatterFor(tz)
    return true
  } catch {
    return false
  }
}

/** Offsets at whole UTC hours, per zone: `Intl` is slow (microseconds) and edges repeat. */
const hourlyOffsets = new Map<string, Map<number, number>>()
const MAX_CACHED_HOURS = 100_000

function offsetAtHour(hour: number, timeZone: string): number {
  let zone = hourlyOffsets.get(timeZone)
  if (!zone) hourlyOffsets.set(timeZone, (zone = new Map()))
  let offset = zone.get(hour)
  if (offset === undefined) {
    if (zone.size >= MAX_CACHED_HOURS) zone.clear()
    offset = intlOffset(hour * HOUR_MS, timeZone)
    zone.set(hour, offset)
  }
  return offset
}

/** Offset of `timeZone` from UTC at the instant `t` (epoch ms), in ms (east positive). */
export function offsetAt(t: number, timeZone: string): number {
  // When the offsets at the whole hours around `t` agree, no transition happened in between
  // (no zone changes its offset twice within an hour); otherwise ask Intl for `t` itself.
  const hour = Math.floor(t / HOUR_MS)
  const before = offsetAtHour(hour, timeZone)
  return before === offsetAtHour(hour + 1, timeZone) ? before : intlOffset(t, timeZone)
}

function intlOffset(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000
  let year = 0
  let month = 1
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  let bc = false
  for (const part of formatterFor(timeZone).formatToParts(new Date(whole))) {
    switch (part.type) {
      case 'year':
        year = Number(part.value)
        break
      case 'month':
        month = Number(part.value)
        break
      case 'day':
        day = Number(part.value)
        break
      case 'hour':
        hour = Number(part.value)
        break
      case 'minute':
        minute = Number(part.value)
        break
      case 'second':
        second = Number(part.value)
        break
      case 'era':
        bc = part.value.startsWith('B')
        break
    }
  }
  if (bc) year = 1 - year
  const wall = new Date(0)
  wall.setUTCFullYear(year, month - 1, day)
  wall.setUTCHours(hour, minute, second, 0)
  return wall.getTime() - whole
}

/** The zone's wall clock at instant `t`, encoded as UTC milliseconds (see module comment). */
export function toWall(t: number, timeZone: string): number {
  return t + offsetAt(t, timeZone)
}

/**
 * The instant at which the zone's wall clock reads `wall`.
 * - An ambiguous wall time (fall-back overlap) resolves to its first occurrence.
 * - A nonexistent wall time (spring-forward gap) resolves to the first instant after the gap,
 *   i.e. the transition itself (02:30 in a 02:00 -> 03:00 gap gives the instant of 03:00).
 */
export function fromWall(wall: number, timeZone: string): number {
  // Offsets in force a day either side bracket any single transition near `wall`.
  const before = offsetAt(wall - DAY_MS, timeZone)
  const after = offsetAt(wall + DAY_MS, timeZone)
  const candidates = [wall - before, wall - after].filter(
    (t, i) => offsetAt(t, timeZone) === (i === 0 ? before : after)
  )
  if (candidates.length > 0) return Math.min(...candidates)
  // In a gap: the transition lies in (wall - after, wall - before]; find its first instant.
  let lo = wall - Math.max(before, after) // offset there is the old one
  let hi = wall - Math.min(before, after) // offset there is the new one
  const oldOffset = offsetAt(lo, timeZone)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (offsetAt(mid, timeZone) === oldOffset) lo = mid
    else hi = mid
  }
  return hi
}

/** Days since 1970-01-01 of the wall date of `wall`. */
export function wallDay(wall: number): number {
  return Math.floor(wall / DAY_MS)
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a day number from `wallDay`. */
export function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/**
 * ISO 8601 with the offset in force at that instant, seconds included, milliseconds dropped:
 * `2026-11-30T00:00:00+01:00`; UTC gives `+00:00`, never `Z`.
 */
export function formatInZone(date: Date, timeZone: string): string {
  const t = Math.floor(date.getTime() / 1000) * 1000
  const offsetMinutes = Math.round(offsetAt(t, timeZone) / MINUTE_MS)
  const w = new Date(t + offsetMinutes * MINUTE_MS)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return (
    `${pad(w.getUTCFullYear(), 4)}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}` +
    `T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}
