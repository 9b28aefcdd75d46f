import { describe, expect, it } from '@jest/globals'
import { calendarWindows, CalendarError } from '../../src/schedule/calendar.js'
import { DEFAULT_FREEZE, type FreezeWindow } from '../../src/schedule/freeze.js'
import { holidayWindows, unknownHolidayCodes } from '../../src/schedule/holidays.js'
import { deployHoursFreeze, parseDeployHours } from '../../src/schedule/hours.js'
import {
  activeWindow,
  formatInZone,
  nextWindow,
  upcomingWindow
} from '../../src/schedule/windows.js'
import { evaluateWindow, type WindowFacts } from '../../src/gate/window.js'

const PARIS = 'Europe/Paris'
const MIN = 60_000

function hours(text: string, name = 'outside deploy hours'): FreezeWindow[] {
  const parsed = parseDeployHours(text)
  if (!parsed.ok) throw new Error(parsed.error)
  return deployHoursFreeze(parsed.value, name)
}

const dayList = (ws: { from: { year: number; month: number; day: number } }[]): string[] =>
  ws.map(
    (w) =>
      `${w.from.year}-${String(w.from.month).padStart(2, '0')}-${String(w.from.day).padStart(2, '0')}`
  )

describe('public holidays against the governments’ own lists', () => {
  // service-public.fr, « Jours fériés et ponts » (the 11 jours fériés of the Code du travail,
  // art. L3133-1), 2026 and 2027.
  const FR = [
    '2026-01-01',
    '2026-04-06',
    '2026-05-01',
    '2026-05-08',
    '2026-05-14',
    '2026-05-25',
    '2026-07-14',
    '2026-08-15',
    '2026-11-01',
    '2026-11-11',
    '2026-12-25',
    '2027-01-01',
    '2027-03-29',
    '2027-05-01',
    '2027-05-06',
    '2027-05-08',
    '2027-05-17',
    '2027-07-14',
    '2027-08-15',
    '2027-11-01',
    '2027-11-11',
    '2027-12-25'
  ]
  // Bayerisches Staatsministerium des Innern, "Gesetzliche Feiertage in Bayern" (FTG Art. 1):
  // state-wide days; Mariä Himmelfahrt (15 Aug) only in predominantly Catholic communities and
  // the Augsburger Friedensfest only in Augsburg are not state-wide.
  const DE_BY = [
    '2026-01-01',
    '2026-01-06',
    '2026-04-03',
    '2026-04-06',
    '2026-05-01',
    '2026-05-14',
    '2026-05-25',
    '2026-06-04',
    '2026-10-03',
    '2026-11-01',
    '2026-12-25',
    '2026-12-26',
    '2027-01-01',
    '2027-01-06',
    '2027-03-26',
    '2027-03-29',
    '2027-05-01',
    '2027-05-06',
    '2027-05-17',
    '2027-05-27',
    '2027-10-03',
    '2027-11-01',
    '2027-12-25',
    '2027-12-26'
  ]
  // CalHR, "State Holidays" (Government Code 19853), 2026 and 2027.
  const US_CA = [
    '2026-01-01',
    '2026-01-19',
    '2026-02-16',
    '2026-03-31',
    '2026-05-25',
    '2026-07-04',
    '2026-09-07',
    '2026-11-11',
    '2026-11-26',
    '2026-11-27',
    '2026-12-25',
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-03-31',
    '2027-05-31',
    '2027-07-04',
    '2027-09-06',
    '2027-11-11',
    '2027-11-25',
    '2027-11-26',
    '2027-12-25'
  ]

  it('FR: exactly the 11 jours fériés, named in French ("Lundi de Pâques") or English', async () => {
    const fr = await holidayWindows(['FR'], [2026, 2027], 'fr')
    expect(dayList(fr as never)).toEqual(FR)
    expect(fr.find((w) => w.from.month === 3 && w.from.day === 29)?.name).toBe('Lundi de Pâques')
    const en = await holidayWindows(['FR'], [2027], 'en')
    expect(en.find((w) => w.from.month === 3 && w.from.day === 29)?.name).toBe('Easter Monday')
  })

  it('DE-BY: exactly the state-wide Feiertage', async () => {
    expect(dayList((await holidayWindows(['DE-BY'], [2026, 2027], 'en')) as never)).toEqual(DE_BY)
  })

  it('US-CA: every CalHR holiday; the extras are Juneteenth (federal) and observed days', async () => {
    const ws = await holidayWindows(['US-CA'], [2026, 2027], 'en')
    const days = dayList(ws as never)
    for (const d of US_CA) expect(days).toContain(d)
    const extras = ws.filter((w, i) => !US_CA.includes(days[i] as string))
    for (const w of extras) expect(w.name).toMatch(/Juneteenth|substitute|observed/i)
  })

  it('each holiday is 00:00 to 24:00 in the zone of the rules', async () => {
    const [easter] = (await holidayWindows(['FR'], [2027], 'fr')).filter((w) => w.from.month === 3)
    const ws = [easter as FreezeWindow]
    expect(activeWindow(ws, new Date('2027-03-28T21:59:00Z'), PARIS)).toBeUndefined()
    expect(activeWindow(ws, new Date('2027-03-28T22:00:00Z'), PARIS)).toBeDefined()
    expect(activeWindow(ws, new Date('2027-03-29T21:59:00Z'), PARIS)).toBeDefined()
    expect(activeWindow(ws, new Date('2027-03-29T22:00:00Z'), PARIS)).toBeUndefined()
  })

  it('knows the codes the data knows', async () => {
    expect(await unknownHolidayCodes(['FR', 'DE-BY', 'US-CA', 'XX', 'FR-ZZ'])).toEqual([
      'XX',
      'FR-ZZ'
    ])
  })
})

describe('deploy-hours', () => {
  it('freezes every other hour of the week', () => {
    const ws = hours('Mon-Thu 09:00-17:00, Fri 09:00-12:00')
    expect(ws).toHaveLength(5)
    const at = (iso: string) => activeWindow(ws, new Date(iso), PARIS) !== undefined
    expect(at('2026-11-23T08:00:00Z')).toBe(false) // Mon 09:00
    expect(at('2026-11-23T07:59:00Z')).toBe(true)
    expect(at('2026-11-23T16:00:00Z')).toBe(true) // Mon 17:00
    expect(at('2026-11-27T10:59:00Z')).toBe(false) // Fri 11:59
    expect(at('2026-11-27T11:00:00Z')).toBe(true) // Fri 12:00
    expect(at('2026-11-29T12:00:00Z')).toBe(true) // Sunday
  })
  it('refuses bad text with a reason', () => {
    expect(parseDeployHours('Mon-Fri 17:00-09:00')).toEqual({
      ok: false,
      error: expect.stringContaining('end after it starts')
    })
    expect(parseDeployHours('Lun 09:00-17:00')).toMatchObject({ ok: false })
    expect(parseDeployHours('Mon 9-17')).toMatchObject({ ok: false })
    expect(hours('Mon-Sun 00:00-24:00')).toEqual([])
  })
})

describe('yearly windows', () => {
  const season: FreezeWindow = {
    kind: 'yearly',
    name: 'Holiday season',
    from: { month: 12, day: 24, hour: 0, minute: 0 },
    to: { month: 1, day: 2, hour: 0, minute: 0 }
  }
  it('runs over New Year, every year', () => {
    for (const y of [2026, 2030, 2041]) {
      expect(activeWindow([season], new Date(`${y}-12-31T12:00:00Z`), PARIS)).toBe(season)
      expect(activeWindow([season], new Date(`${y + 1}-01-01T22:59:00Z`), PARIS)).toBe(season)
      expect(activeWindow([season], new Date(`${y + 1}-01-01T23:00:00Z`), PARIS)).toBeUndefined()
    }
    expect(
      formatInZone(
        nextWindow(new Date('2026-12-25T10:00:00Z'), {
          windows: [season],
          timeZone: PARIS,
          runwayMs: 0
        }),
        PARIS
      )
    ).toBe('2027-01-02T00:00:00+01:00')
  })
  it('across a DST change: local times hold', () => {
    const spring: FreezeWindow = {
      kind: 'yearly',
      from: { month: 3, day: 20, hour: 10, minute: 0 },
      to: { month: 4, day: 2, hour: 10, minute: 0 }
    }
    expect(
      formatInZone(
        nextWindow(new Date('2027-03-25T12:00:00Z'), {
          windows: [spring],
          timeZone: PARIS,
          runwayMs: 0
        }),
        PARIS
      )
    ).toBe('2027-04-02T10:00:00+02:00')
  })
})

describe('runway', () => {
  const friday = [DEFAULT_FREEZE[0] as FreezeWindow]
  const facts = (iso: string, runwayMs: number): WindowFacts => ({
    now: new Date(iso),
    timeZone: PARIS,
    windows: friday,
    urgency: 'P3',
    reason: '',
    actor: 'octocat',
    runwayMs
  })
  it('13:14 may go, 13:16 may not, before a 14:00 freeze with a 45 min runway', () => {
    expect(evaluateWindow(facts('2026-11-27T12:14:00Z', 45 * MIN), 'en').item.status).toBe('pass')
    const late = evaluateWindow(facts('2026-11-27T12:16:00Z', 45 * MIN), 'en')
    expect(late.item.status).toBe('fail')
    expect(late.item.detail).toContain(
      'the watch would run into Friday afternoon and weekend, from 14:00'
    )
    // exactly 45 min before is fine: the watch ends as the freeze begins
    expect(evaluateWindow(facts('2026-11-27T12:15:00Z', 45 * MIN), 'en').item.status).toBe('pass')
  })
  it('done when: Friday 13:50 Paris with a 30 min watch is postponed to Monday, naming the Friday freeze', () => {
    const v = evaluateWindow(facts('2026-11-27T12:50:00Z', 45 * MIN), 'fr')
    expect(v.item.status).toBe('fail')
    expect(v.item.detail).toContain(
      'la surveillance déborderait sur Friday afternoon and weekend, à partir de 14:00'
    )
    expect(formatInZone(v.nextWindow as Date, PARIS)).toBe('2026-11-30T00:00:00+01:00')
  })
  it('a freeze within 24 h is a warning even when the release may go', () => {
    const v = evaluateWindow(facts('2026-11-26T15:00:00Z', 45 * MIN), 'en')
    expect(v.item.status).toBe('pass')
    expect(v.ahead).toMatch(
      /^freeze ahead: Friday afternoon and weekend starts Friday 27 November 14:00 \(Europe\/Paris\), in 22 hours/
    )
    expect(evaluateWindow(facts('2026-11-25T15:00:00Z', 45 * MIN), 'en').ahead).toBeUndefined()
  })
  it('done when: the evening before Easter Monday 2027 with holidays FR and deploy hours → Tuesday 30 March 09:00', async () => {
    const windows = [
      ...hours('Mon-Thu 09:00-17:00, Fri 09:00-12:00'),
      ...(await holidayWindows(['FR'], [2027], 'fr'))
    ]
    const next = nextWindow(new Date('2027-03-28T18:00:00Z'), {
      windows,
      timeZone: PARIS,
      runwayMs: 45 * MIN
    })
    expect(formatInZone(next, PARIS)).toBe('2027-03-30T09:00:00+02:00')
    // and a Friday release after 11:15 moves to Tuesday too (runway before 12:00, holiday Monday)
    const fri = nextWindow(new Date('2027-03-26T10:30:00Z'), {
      windows,
      timeZone: PARIS,
      runwayMs: 45 * MIN
    })
    expect(formatInZone(fri, PARIS)).toBe('2027-03-30T09:00:00+02:00')
  })
})

describe('iCalendar sources', () => {
  const range = (from: string, days = 400) => ({
    from: Date.parse(from),
    to: Date.parse(from) + days * 86_400_000,
    timeZone: PARIS
  })
  const ics = (...events: string[]) =>
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join(
      '\r\n'
    )

  it('done when: a weekly 18:00 Europe/Paris event started in 2024 freezes at 18:00 local on both sides of both DST changes', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:weekly@x',
      'DTSTAMP:20240101T000000Z',
      'DTSTART;TZID=Europe/Paris:20240105T180000',
      'DTEND;TZID=Europe/Paris:20240105T200000',
      'RRULE:FREQ=WEEKLY;BYDAY=FR',
      'SUMMARY:Weekly sales push',
      'END:VEVENT'
    )
    const ws = calendarWindows(text, range('2027-03-01T00:00:00Z'), 'x.ics')
    const inside = (iso: string) => activeWindow(ws, new Date(iso), PARIS)?.name
    // before the March change (CET, +01:00): 18:00 local is 17:00Z
    expect(inside('2027-03-19T16:59:00Z')).toBeUndefined()
    expect(inside('2027-03-19T17:00:00Z')).toBe('Weekly sales push')
    // after it (CEST, +02:00): 18:00 local is 16:00Z
    expect(inside('2027-04-02T16:00:00Z')).toBe('Weekly sales push')
    expect(inside('2027-04-02T17:59:00Z')).toBe('Weekly sales push')
    expect(inside('2027-04-02T18:00:00Z')).toBeUndefined()
    // October change: 22 Oct CEST (16:00Z), 5 Nov CET (17:00Z)
    expect(inside('2027-10-22T16:00:00Z')).toBe('Weekly sales push')
    expect(inside('2027-11-05T16:30:00Z')).toBeUndefined()
    expect(inside('2027-11-05T17:00:00Z')).toBe('Weekly sales push')
  })

  it('RFC 5545 3.8.5.3 example: weekly on Tue and Thu, EXDATE and a RECURRENCE-ID override, a cancelled one', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:r@x',
      'DTSTAMP:19970901T130000Z',
      'DTSTART;TZID=America/New_York:19970902T090000',
      'DURATION:PT1H',
      'RRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH',
      'EXDATE;TZID=America/New_York:19970904T090000',
      'SUMMARY:Tue Thu',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:r@x',
      'DTSTAMP:19970901T130000Z',
      'RECURRENCE-ID;TZID=America/New_York:19970909T090000',
      'DTSTART;TZID=America/New_York:19970909T150000',
      'DTEND;TZID=America/New_York:19970909T160000',
      'SUMMARY:Moved',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:r@x',
      'DTSTAMP:19970901T130000Z',
      'RECURRENCE-ID;TZID=America/New_York:19970911T090000',
      'DTSTART;TZID=America/New_York:19970911T090000',
      'DURATION:PT1H',
      'STATUS:CANCELLED',
      'SUMMARY:Off',
      'END:VEVENT'
    )
    const ws = calendarWindows(
      text,
      {
        from: Date.parse('1997-09-01T00:00:00Z'),
        to: Date.parse('1997-12-01T00:00:00Z'),
        timeZone: 'UTC'
      },
      'r.ics'
    )
    const starts = ws.map((w) => (w.kind === 'span' ? new Date(w.start).toISOString() : '')).sort()
    // 10 occurrences, less the EXDATE and the cancelled one; 9 Sep moved to 15:00 EDT
    expect(starts).toEqual([
      '1997-09-02T13:00:00.000Z',
      '1997-09-09T19:00:00.000Z',
      '1997-09-16T13:00:00.000Z',
      '1997-09-18T13:00:00.000Z',
      '1997-09-23T13:00:00.000Z',
      '1997-09-25T13:00:00.000Z',
      '1997-09-30T13:00:00.000Z',
      '1997-10-02T13:00:00.000Z'
    ])
    expect(
      ws.find((w) => w.kind === 'span' && w.start === Date.parse('1997-09-09T19:00:00Z'))?.name
    ).toBe('Moved')
  })

  it('all-day events are whole local days (one day without DTEND); transparent ones freeze; cancelled ones do not', () => {
    const text = ics(
      'BEGIN:VEVENT',
      'UID:a@x',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20261208',
      'SUMMARY:Black week',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:b@x',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20261210',
      'DTEND;VALUE=DATE:20261212',
      'SUMMARY:Two days',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:c@x',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20261215T100000Z',
      'DTEND:20261215T110000Z',
      'STATUS:CANCELLED',
      'SUMMARY:Off',
      'END:VEVENT'
    )
    const ws = calendarWindows(text, range('2026-12-01T00:00:00Z'), 'c.ics')
    expect(ws.map((w) => w.name)).toEqual(['Black week', 'Two days'])
    const at = (iso: string) => activeWindow(ws, new Date(iso), PARIS)?.name
    expect(at('2026-12-07T22:59:00Z')).toBeUndefined()
    expect(at('2026-12-07T23:00:00Z')).toBe('Black week')
    expect(at('2026-12-08T22:59:00Z')).toBe('Black week')
    expect(at('2026-12-08T23:00:00Z')).toBeUndefined()
    expect(at('2026-12-11T22:59:00Z')).toBe('Two days')
    expect(at('2026-12-11T23:00:00Z')).toBeUndefined()
  })

  it('a VTIMEZONE of the file (Outlook names) is honoured', () => {
    const text = ics(
      'BEGIN:VTIMEZONE',
      'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:16010101T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:16010101T020000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:o@x',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=W. Europe Standard Time:20270701T180000',
      'DTEND;TZID=W. Europe Standard Time:20270701T190000',
      'SUMMARY:Outlook',
      'END:VEVENT'
    )
    const [w] = calendarWindows(text, range('2027-06-01T00:00:00Z'), 'o.ics')
    expect(w?.kind === 'span' && new Date(w.start).toISOString()).toBe('2027-07-01T16:00:00.000Z')
  })

  it('text that is not an iCalendar is refused with the reason', () => {
    expect(() => calendarWindows('<html>login</html>', range('2027-01-01T00:00:00Z'), 'x')).toThrow(
      CalendarError
    )
  })

  it('upcomingWindow sees a calendar event within the runway', () => {
    const ws: FreezeWindow[] = [
      {
        kind: 'span',
        name: 'Launch',
        start: Date.parse('2027-01-05T10:00:00Z'),
        end: Date.parse('2027-01-05T12:00:00Z')
      }
    ]
    expect(upcomingWindow(ws, new Date('2027-01-05T09:20:00Z'), PARIS, 45 * MIN)?.window.name).toBe(
      'Launch'
    )
    expect(upcomingWindow(ws, new Date('2027-01-05T09:15:00Z'), PARIS, 45 * MIN)).toBeUndefined()
  })
})
