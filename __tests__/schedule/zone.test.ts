import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { fromWall, isoWeekday, offsetAt, toWall, wallDay } from '../../src/schedule/zone.js'

const wall = (iso: string): number => Date.parse(`${iso}Z`)
const utc = (iso: string): number => Date.parse(iso)

/** Offset from Intl's own "GMT+05:30" rendering: an oracle independent of the code under test. */
function intlOffset(t: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(t))
    .find((p) => p.type === 'timeZoneName')?.value as string
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name)
  if (!m) throw new Error(`unexpected ${name}`)
  if (!m[1]) return 0
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000
}

describe('offsetAt', () => {
  it.each([
    ['2026-03-29T00:59:59.999Z', 'Europe/Paris', 60],
    ['2026-03-29T01:00:00Z', 'Europe/Paris', 120],
    ['2026-10-25T00:59:59Z', 'Europe/Paris', 120],
    ['2026-10-25T01:00:00Z', 'Europe/Paris', 60],
    // Lord Howe switches at a half hour (15:30Z), between two cached whole hours.
    ['2026-10-03T15:29:59Z', 'Australia/Lord_Howe', 630],
    ['2026-10-03T15:30:00Z', 'Australia/Lord_Howe', 660],
    ['2026-07-01T00:00:00Z', 'Asia/Kathmandu', 345],
    ['2026-07-01T00:00:00Z', 'America/St_Johns', -150]
  ])('%s in %s is %i minutes', (iso, tz, minutes) => {
    expect(offsetAt(utc(iso), tz)).toBe(minutes * 60_000)
  })

  it('agrees with Intl longOffset for random instants and zones', () => {
    const zones = [
      'Europe/Paris',
      'America/New_York',
      'America/Santiago',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Asia/Kolkata',
      'America/St_Johns',
      'Africa/Casablanca'
    ]
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }),
        fc.constantFrom(...zones),
        (t, tz) => {
          expect(offsetAt(t, tz)).toBe(intlOffset(t, tz))
        }
      ),
      { numRuns: 500 }
    )
  })
})

describe('fromWall', () => {
  it('round-trips ordinary wall times', () => {
    expect(fromWall(wall('2026-11-27T15:00:00'), 'Europe/Paris')).toBe(utc('2026-11-27T14:00:00Z'))
    expect(toWall(utc('2026-11-27T14:00:00Z'), 'Europe/Paris')).toBe(wall('2026-11-27T15:00:00'))
  })

  it.each([
    // zone, nonexistent wall time, the first instant after the gap
    ['Europe/Paris', '2026-03-29T02:00:00', '2026-03-29T01:00:00Z'],
    ['Europe/Paris', '2026-03-29T02:30:00', '2026-03-29T01:00:00Z'],
    ['Europe/Paris', '2026-03-29T02:59:59.999', '2026-03-29T01:00:00Z'],
    ['America/New_York', '2026-03-08T02:30:00', '2026-03-08T07:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-04T02:15:00', '2026-10-03T15:30:00Z'],
    ['Pacific/Chatham', '2026-09-27T03:00:00', '2026-09-26T14:00:00Z'],
    // Santiago springs forward at midnight: 2026-09-06 00:00 does not exist.
    ['America/Santiago', '2026-09-06T00:00:00', '2026-09-06T04:00:00Z']
  ])('in %s, %s (a gap) resolves to %s', (tz, local, instant) => {
    expect(fromWall(wall(local), tz)).toBe(utc(instant))
  })

  it('puts a time in a spring-forward gap after the gap, where date-fns-tz puts it before', () => {
    // fromZonedTime('2026-03-29 02:30', 'Europe/Paris') gives 00:30Z (01:30 CET, before the
    // gap): a freeze window starting at 02:30 that night would begin an hour early.
    expect(fromWall(wall('2026-03-29T02:30:00'), 'Europe/Paris')).toBe(utc('2026-03-29T01:00:00Z'))
    expect(fromWall(wall('2026-03-29T02:30:00'), 'Europe/Paris')).not.toBe(
      utc('2026-03-29T00:30:00Z')
    )
  })

  it.each([
    // zone, ambiguous wall time, its first occurrence
    ['Europe/Paris', '2026-10-25T02:30:00', '2026-10-25T00:30:00Z'],
    ['America/New_York', '2026-11-01T01:30:00', '2026-11-01T05:30:00Z'],
    ['Australia/Lord_Howe', '2026-04-05T01:45:00', '2026-04-04T14:45:00Z']
  ])('in %s, %s (an overlap) resolves to the first occurrence %s', (tz, local, instant) => {
    expect(fromWall(wall(local), tz)).toBe(utc(instant))
  })

  it('is monotonic and inverts toWall wherever the wall time exists once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }),
        fc.integer({ min: 0, max: 3 * 3_600_000 }),
        fc.constantFrom('Europe/Paris', 'America/Santiago', 'Australia/Lord_Howe', 'UTC'),
        (w, delta, tz) => {
          expect(fromWall(w, tz)).toBeLessThanOrEqual(fromWall(w + delta, tz))
          const t = fromWall(w, tz)
          // Either the wall time exists (t shows it) or it is in a gap (t shows a later time).
          expect(toWall(t, tz)).toBeGreaterThanOrEqual(w)
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('calendar helpers', () => {
  it('numbers days and ISO weekdays from the epoch', () => {
    expect(wallDay(wall('1970-01-01T23:59:00'))).toBe(0)
    expect(isoWeekday(0)).toBe(4) // Thursday
    expect(isoWeekday(wallDay(wall('2026-11-27T15:00:00')))).toBe(5) // Friday
    expect(isoWeekday(wallDay(wall('2026-11-29T00:00:00')))).toBe(7) // Sunday
    expect(isoWeekday(-4)).toBe(7) // 1969-12-28, a Sunday
  })
})
