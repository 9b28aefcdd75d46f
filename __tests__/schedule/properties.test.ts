import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  describeWindow,
  freezeListSchema,
  WEEKDAY_NAMES,
  type FreezeWindow,
  type Weekday
} from '../../src/schedule/freeze.js'
import {
  activeWindow,
  formatInZone,
  nextAllowed,
  nextWindow,
  upcomingWindow
} from '../../src/schedule/windows.js'

const ZONES = [
  'UTC',
  'Europe/Paris',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns', // -03:30, DST
  'America/Santiago', // southern DST, midnight transitions
  'America/Sao_Paulo',
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45
  'Asia/Tokyo',
  'Australia/Adelaide', // +09:30, DST
  'Australia/Lord_Howe', // 30-minute DST
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Kiritimati', // +14:00
  'Pacific/Pago_Pago' // -11:00
]

const FROM = Date.UTC(2020, 0, 1)
const TO = Date.UTC(2035, 11, 31)

// Times biased towards midnight and the usual DST hours, with half and quarter hours.
const hour = fc.oneof(fc.constantFrom(0, 1, 2, 3, 14, 23), fc.integer({ min: 0, max: 23 }))
const minute = fc.constantFrom(0, 15, 30, 45, 59)
const weekday = fc.integer({ min: 1, max: 7 }) as fc.Arbitrary<Weekday>

const weekly: fc.Arbitrary<FreezeWindow> = fc
  .record({ fd: weekday, fh: hour, fm: minute, td: weekday, th: hour, tm: minute })
  .filter(({ fd, fh, fm, td, th, tm }) => fd !== td || fh !== th || fm !== tm)
  .map(({ fd, fh, fm, td, th, tm }) => ({
    kind: 'weekly' as const,
    from: { day: fd, hour: fh, minute: fm },
    to: { day: td, hour: th, minute: tm }
  }))

const daily: fc.Arbitrary<FreezeWindow> = fc
  .record({
    days: fc.uniqueArray(weekday, { minLength: 1, maxLength: 7 }),
    fh: hour,
    fm: minute,
    th: hour,
    tm: minute
  })
  .map(({ days, fh, fm, th, tm }) => ({
    kind: 'daily' as const,
    days: [...days].sort((a, b) => a - b),
    from: { hour: fh, minute: fm },
    to: { hour: th, minute: tm }
  }))

const dated: fc.Arbitrary<FreezeWindow> = fc
  .record({
    start: fc.integer({ min: FROM / 60_000, max: TO / 60_000 }),
    minutes: fc.integer({ min: 1, max: 20 * 24 * 60 })
  })
  .map(({ start, minutes }) => {
    const f = new Date(start * 60_000)
    const t = new Date((start + minutes) * 60_000)
    const local = (d: Date) => ({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes()
    })
    return { kind: 'dated' as const, from: local(f), to: local(t) }
  })

const yearly: fc.Arbitrary<FreezeWindow> = fc
  .record({
    fmo: fc.integer({ min: 1, max: 12 }),
    fd: fc.integer({ min: 1, max: 28 }),
    fh: hour,
    fm: minute,
    tmo: fc.integer({ min: 1, max: 12 }),
    td: fc.integer({ min: 1, max: 28 }),
    th: hour,
    tm: minute
  })
  .filter((r) => r.fmo !== r.tmo || r.fd !== r.td || r.fh !== r.th || r.fm !== r.tm)
  .map((r) => ({
    kind: 'yearly' as const,
    from: { month: r.fmo, day: r.fd, hour: r.fh, minute: r.fm },
    to: { month: r.tmo, day: r.td, hour: r.th, minute: r.tm }
  }))

/** An iCalendar event: two instants. */
const span: fc.Arbitrary<FreezeWindow> = fc
  .record({
    start: fc.integer({ min: FROM / 60_000, max: TO / 60_000 }),
    minutes: fc.integer({ min: 1, max: 5 * 24 * 60 })
  })
  .map(({ start, minutes }) => ({
    kind: 'span' as const,
    start: start * 60_000,
    end: (start + minutes) * 60_000
  }))

const windowList = fc.array(fc.oneof(weekly, daily, dated, yearly), { minLength: 1, maxLength: 4 })
const everyKind = fc.array(fc.oneof(weekly, daily, dated, yearly, span), {
  minLength: 1,
  maxLength: 5
})
const zone = fc.constantFrom(...ZONES)
const instant = fc.integer({ min: FROM, max: TO }).map((t) => new Date(t))

/** Instants close to a window edge or a DST transition are where bugs live. */
const nearEdge = fc
  .tuple(instant, fc.integer({ min: -90, max: 90 }), fc.constantFrom(0, 1, 59_999))
  .map(
    ([d, min, ms]) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000 + min * 60_000 + ms)
  )

const anyInstant = fc.oneof(instant, nearEdge)

function tryNext(ws: FreezeWindow[], now: Date, tz: string): Date | undefined {
  try {
    return nextAllowed(ws, now, tz)
  } catch (e) {
    expect((e as Error).message).toMatch(/^freeze windows never end/)
    // Only possible when everything is frozen: sample the next few months.
    for (let k = 0; k <= 20; k++) {
      expect(activeWindow(ws, new Date(now.getTime() + k * 7919 * 60_000), tz)).toBeDefined()
    }
    return undefined
  }
}

const RUNS = { numRuns: 300 }

describe('nextAllowed properties', () => {
  it('is never earlier than now and never inside a window; just before it is frozen', () => {
    fc.assert(
      fc.property(windowList, anyInstant, zone, (ws, now, tz) => {
        const next = tryNext(ws, now, tz)
        if (!next) return
        expect(next.getTime()).toBeGreaterThanOrEqual(now.getTime())
        expect(activeWindow(ws, next, tz)).toBeUndefined()
        if (next.getTime() > now.getTime()) {
          expect(activeWindow(ws, new Date(next.getTime() - 1), tz)).toBeDefined()
        }
      }),
      RUNS
    )
  })

  it('is now itself exactly when now is outside every window', () => {
    fc.assert(
      fc.property(windowList, anyInstant, zone, (ws, now, tz) => {
        const active = activeWindow(ws, now, tz)
        const next = tryNext(ws, now, tz)
        if (active === undefined) expect(next?.getTime()).toBe(now.getTime())
        else if (next) expect(next.getTime()).toBeGreaterThan(now.getTime())
      }),
      RUNS
    )
  })

  it('every instant between now and nextAllowed is frozen (sampled)', () => {
    fc.assert(
      fc.property(
        windowList,
        anyInstant,
        zone,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (ws, now, tz, fraction) => {
          const next = tryNext(ws, now, tz)
          if (!next || next.getTime() === now.getTime()) return
          const between = now.getTime() + Math.floor((next.getTime() - now.getTime()) * fraction)
          expect(activeWindow(ws, new Date(between), tz)).toBeDefined()
        }
      ),
      RUNS
    )
  })

  it('the formatted next window parses back to the same instant (to the second)', () => {
    fc.assert(
      fc.property(windowList, anyInstant, zone, (ws, now, tz) => {
        const next = tryNext(ws, now, tz)
        if (!next) return
        const text = formatInZone(next, tz)
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
        expect(new Date(text).getTime()).toBe(Math.floor(next.getTime() / 1000) * 1000)
      }),
      RUNS
    )
  })
})

describe('schema properties', () => {
  const hhmm = (t: { hour: number; minute: number }): string =>
    `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`

  /** The YAML-like input a user would write for a window. */
  function toInput(w: FreezeWindow): Record<string, unknown> {
    switch (w.kind) {
      case 'weekly':
        return {
          from: `${WEEKDAY_NAMES[w.from.day - 1]} ${hhmm(w.from)}`,
          to: `${WEEKDAY_NAMES[w.to.day - 1]} ${hhmm(w.to)}`
        }
      case 'daily':
        return { days: w.days.map((d) => WEEKDAY_NAMES[d - 1]), from: hhmm(w.from), to: hhmm(w.to) }
      case 'dated': {
        const text = (d: typeof w.from): string =>
          `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')} ${hhmm(d)}`
        return { from: text(w.from), to: text(w.to) }
      }
      case 'yearly': {
        const text = (d: typeof w.from): string =>
          `${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')} ${hhmm(d)}`
        return { from: text(w.from), to: text(w.to) }
      }
      case 'span':
        throw new Error('a span comes from a calendar, not from the freeze input')
    }
  }

  it('parses what a user would write for any window back to the same window', () => {
    fc.assert(
      fc.property(windowList, (ws) => {
        expect(freezeListSchema.parse(ws.map(toInput))).toEqual(ws)
        for (const w of ws) expect(describeWindow(w)).toContain(' → ')
      }),
      RUNS
    )
  })
})

describe('activeWindow against a wall-clock oracle (zones without DST)', () => {
  // Fixed offsets in 2020-2035, in minutes.
  const FIXED: Record<string, number> = {
    UTC: 0,
    'Asia/Kolkata': 330,
    'Asia/Kathmandu': 345,
    'Asia/Tokyo': 540,
    'Pacific/Kiritimati': 840,
    'Pacific/Pago_Pago': -660
  }
  const WEEK = 7 * 1440

  /** Does `w` contain the wall time `wall` (ms, encoded as UTC)? Written independently. */
  function contains(w: FreezeWindow, wall: number): boolean {
    const d = new Date(wall)
    // Minutes since Monday 00:00, with the fraction of the minute.
    const cur =
      ((d.getUTCDay() + 6) % 7) * 1440 +
      d.getUTCHours() * 60 +
      d.getUTCMinutes() +
      (d.getUTCSeconds() * 1000 + d.getUTCMilliseconds()) / 60_000
    const inSpan = (start: number, length: number): boolean =>
      (((cur - start) % WEEK) + WEEK) % WEEK < length
    const m = (t: { hour: number; minute: number }): number => t.hour * 60 + t.minute
    switch (w.kind) {
      case 'weekly': {
        const start = (w.from.day - 1) * 1440 + m(w.from)
        const end = (w.to.day - 1) * 1440 + m(w.to)
        return inSpan(start, (((end - start) % WEEK) + WEEK) % WEEK)
      }
      case 'daily': {
        const length = m(w.to) > m(w.from) ? m(w.to) - m(w.from) : m(w.to) + 1440 - m(w.from)
        return w.days.some((day) => inSpan((day - 1) * 1440 + m(w.from), length))
      }
      case 'dated': {
        const at = (x: typeof w.from): number =>
          Date.UTC(x.year, x.month - 1, x.day, x.hour, x.minute)
        return at(w.from) <= wall && wall < at(w.to)
      }
      case 'yearly': {
        const year = d.getUTCFullYear()
        const f = w.from
        const t = w.to
        const over =
          Date.UTC(2001, t.month - 1, t.day, t.hour, t.minute) <=
          Date.UTC(2001, f.month - 1, f.day, f.hour, f.minute)
        return [year - 1, year].some(
          (y) =>
            Date.UTC(y, f.month - 1, f.day, f.hour, f.minute) <= wall &&
            wall < Date.UTC(over ? y + 1 : y, t.month - 1, t.day, t.hour, t.minute)
        )
      }
      case 'span':
        return w.start <= wall && wall < w.end
    }
  }

  it('finds exactly the first window containing the wall time', () => {
    fc.assert(
      fc.property(windowList, anyInstant, fc.constantFrom(...Object.keys(FIXED)), (ws, now, tz) => {
        const wall = now.getTime() + (FIXED[tz] as number) * 60_000
        expect(activeWindow(ws, now, tz)).toBe(ws.find((w) => contains(w, wall)))
      }),
      RUNS
    )
  })
})

describe('nextWindow with a runway (every source: weekly, daily, dated, yearly, calendar events)', () => {
  const runway = fc.constantFrom(0, 1, 15 * 60_000, 45 * 60_000, 75 * 60_000, 3 * 3_600_000)

  function blocked(ws: FreezeWindow[], at: Date, tz: string, runwayMs: number): boolean {
    return (
      activeWindow(ws, at, tz) !== undefined ||
      (runwayMs > 0 && upcomingWindow(ws, at, tz, runwayMs) !== undefined)
    )
  }

  it('is never inside a window, never has a window starting within the runway, and is the first such instant', () => {
    fc.assert(
      fc.property(everyKind, anyInstant, zone, runway, (ws, now, tz, runwayMs) => {
        let next: Date
        try {
          next = nextWindow(now, { windows: ws, timeZone: tz, runwayMs })
        } catch (e) {
          expect((e as Error).message).toMatch(/^freeze windows never end/)
          return
        }
        expect(next.getTime()).toBeGreaterThanOrEqual(now.getTime())
        expect(activeWindow(ws, next, tz)).toBeUndefined()
        expect(upcomingWindow(ws, next, tz, runwayMs)).toBeUndefined()
        if (next.getTime() > now.getTime()) {
          expect(blocked(ws, new Date(next.getTime() - 1), tz, runwayMs)).toBe(true)
        } else {
          expect(blocked(ws, now, tz, runwayMs)).toBe(false)
        }
      }),
      RUNS
    )
  })
})
