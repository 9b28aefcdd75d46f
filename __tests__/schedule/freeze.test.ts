import { describe, expect, it } from '@jest/globals'
import yaml from 'js-yaml'
import {
  DEFAULT_FREEZE,
  describeWindow,
  freezeListSchema,
  type FreezeWindow
} from '../../src/schedule/freeze.js'

function parse(value: unknown): FreezeWindow[] {
  return freezeListSchema.parse(value)
}

/** All error messages for `value`, or throws if it parses. */
function errors(value: unknown): string[] {
  const r = freezeListSchema.safeParse(value)
  if (r.success) throw new Error(`expected ${JSON.stringify(value)} to be rejected`)
  return r.error.issues.map((i) => i.message)
}

describe('freezeListSchema: the three shapes', () => {
  it('parses the example of the design from YAML', () => {
    const input = yaml.load(`
- from: "Fri 14:00"
  to: "Mon 00:00"
- from: "2026-12-24 00:00"
  to: "2026-12-27 00:00"
  name: Christmas
- days: [Mon, Tue, Wed, Thu, Fri]
  from: "11:30"
  to: "14:00"
  name: Lunch peak
`)
    expect(parse(input)).toEqual([
      { kind: 'weekly', from: { day: 5, hour: 14, minute: 0 }, to: { day: 1, hour: 0, minute: 0 } },
      {
        kind: 'dated',
        name: 'Christmas',
        from: { year: 2026, month: 12, day: 24, hour: 0, minute: 0 },
        to: { year: 2026, month: 12, day: 27, hour: 0, minute: 0 }
      },
      {
        kind: 'daily',
        name: 'Lunch peak',
        days: [1, 2, 3, 4, 5],
        from: { hour: 11, minute: 30 },
        to: { hour: 14, minute: 0 }
      }
    ])
  })

  it('accepts day names in any case and in full, and a wrap over the weekend', () => {
    const [w] = parse([{ from: 'FRIDAY 18:30', to: 'monday 6:05', environments: ['prod-eu'] }])
    expect(w).toEqual({
      kind: 'weekly',
      environments: ['prod-eu'],
      from: { day: 5, hour: 18, minute: 30 },
      to: { day: 1, hour: 6, minute: 5 }
    })
  })

  it('accepts a weekly window whose to is earlier on the same day (almost a whole week)', () => {
    expect(parse([{ from: 'Mon 10:00', to: 'Mon 09:00' }])[0]?.kind).toBe('weekly')
  })

  it('sorts and de-duplicates daily days, and accepts a window past midnight', () => {
    const [w] = parse([{ days: ['sun', 'Fri', 'friday'], from: '22:00', to: '06:00' }])
    expect(w).toMatchObject({ kind: 'daily', days: [5, 7] })
    expect(describeWindow(w as FreezeWindow)).toBe('Fri, Sun 22:00 → 06:00 (next day)')
  })

  it('reads unquoted YAML dates (which YAML turns into Date objects) as local dates', () => {
    const input = yaml.load('- {from: 2026-12-24, to: 2026-12-27 12:30:00}')
    expect(parse(input)[0]).toEqual({
      kind: 'dated',
      from: { year: 2026, month: 12, day: 24, hour: 0, minute: 0 },
      to: { year: 2026, month: 12, day: 27, hour: 12, minute: 30 }
    })
  })

  it('accepts environments as a comma-separated text and a trimmed name', () => {
    const [w] = parse([
      { from: 'Sat 00:00', to: 'Sun 00:00', environments: 'staging, qa', name: ' Sat ' }
    ])
    expect(w).toMatchObject({ name: 'Sat', environments: ['staging', 'qa'] })
  })

  it('accepts an empty list (no freeze at all)', () => {
    expect(parse([])).toEqual([])
  })
})

describe('freezeListSchema: errors name the problem', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'unknown day in weekly',
      [{ from: 'Fry 14:00', to: 'Mon 00:00' }],
      /^window 1: "from": unknown day "Fry": expected Mon, Tue, Wed, Thu, Fri, Sat or Sun$/
    ],
    [
      'unknown day in daily',
      [{ days: ['Mon', 'Fry'], from: '11:00', to: '12:00' }],
      /unknown day "Fry": expected Mon, Tue, Wed, Thu, Fri, Sat or Sun/
    ],
    ['hour 25', [{ from: 'Fri 25:00', to: 'Mon 00:00' }], /"25:00" is not a valid time/],
    ['minute 60', [{ days: ['Mon'], from: '11:60', to: '12:00' }], /"11:60" is not a valid time/],
    [
      'impossible date',
      [{ from: '2026-02-30 00:00', to: '2026-03-02 00:00' }],
      /"2026-02-30 00:00" is not a valid date/
    ],
    [
      'impossible time in a date',
      [{ from: '2026-02-10 24:00', to: '2026-03-02 00:00' }],
      /"24:00" is not a valid time/
    ],
    [
      'dated to before from',
      [{ from: '2026-12-27 00:00', to: '2026-12-24 00:00' }],
      /"to" \(2026-12-24 00:00\) must be later than "from"/
    ],
    [
      'dated to equal to from',
      [{ from: '2026-12-27 00:00', to: '2026-12-27 00:00' }],
      /must be later than/
    ],
    ['weekly from == to', [{ from: 'Fri 14:00', to: 'friday 14:00' }], /are the same/],
    ['missing to', [{ from: 'Fri 14:00' }], /^window 1: "to" is missing$/],
    ['missing from', [{ to: 'Fri 14:00' }], /"from" is missing/],
    [
      'extra key',
      [{ from: 'Fri 14:00', to: 'Mon 00:00', until: 'x' }],
      /unknown key "until": expected name, environments, days, from, to/
    ],
    ['time without days', [{ from: '11:30', to: '14:00' }], /a time of day alone needs "days"/],
    ['mixed kinds', [{ from: 'Fri 14:00', to: '2026-12-24 00:00' }], /must be of the same kind/],
    ['not an array', { from: 'Fri 14:00', to: 'Mon 00:00' }, /expected a list of freeze windows/],
    ['a text', 'Fri 14:00 - Mon 00:00', /expected a list of freeze windows/],
    ['an item that is not a mapping', ['Fri 14:00'], /window 1: each window must be a mapping/],
    ['from is a number', [{ from: 1400, to: 'Mon 00:00' }], /"from" must be a text/],
    ['empty days', [{ days: [], from: '11:00', to: '12:00' }], /"days" must list at least one day/],
    [
      'weekly with days',
      [{ days: ['Mon'], from: 'Mon 11:00', to: '12:00' }],
      /"from": "Mon 11:00" is not a time.*\(with "days", from and to are times of day\)/
    ],
    ['empty environments', [{ from: 'Sat 00:00', to: 'Sun 00:00', environments: [] }], /at least/],
    ['garbage', [{ from: '?', to: 'Mon 00:00' }], /"from" is "\?": expected a day and time/],
    ['weekly without time', [{ from: 'Fri', to: 'Mon 00:00' }], /"Fri" is not a day and time/]
  ])('%s', (_label, value, message) => {
    expect(errors(value)).toEqual(expect.arrayContaining([expect.stringMatching(message)]))
  })

  it('numbers the faulty window and gives the path of the field', () => {
    const r = freezeListSchema.safeParse([
      { from: 'Fri 14:00', to: 'Mon 00:00' },
      { from: 'Fri 14:00', to: 'Moon 00:00' }
    ])
    expect(r.success).toBe(false)
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        path: [1, 'to'],
        message: expect.stringMatching(/^window 2: "to": unknown day "Moon"/)
      })
    ])
  })
})

describe('DEFAULT_FREEZE and describeWindow', () => {
  it('is Friday 14:00 to Monday 00:00', () => {
    expect(DEFAULT_FREEZE).toEqual(
      parse([{ from: 'Fri 14:00', to: 'Mon 00:00' }]).map((w) => ({
        ...w,
        name: 'Friday afternoon and weekend'
      }))
    )
    expect(describeWindow(DEFAULT_FREEZE[0] as FreezeWindow)).toBe('Friday afternoon and weekend')
  })

  it.each([
    [{ from: 'fri 14:00', to: 'MON 00:00' }, 'Fri 14:00 → Mon 00:00'],
    [{ from: '2026-12-24', to: '2026-12-27 00:00' }, '2026-12-24 00:00 → 2026-12-27 00:00'],
    [
      { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '11:30', to: '14:00' },
      'Mon–Fri 11:30 → 14:00'
    ],
    [
      { days: ['Mon', 'Wed', 'Thu', 'Fri', 'Sun'], from: '9:00', to: '9:30' },
      'Mon, Wed–Fri, Sun 09:00 → 09:30'
    ],
    [{ days: ['Sat', 'Sun'], from: '00:00', to: '00:00' }, 'Sat, Sun 00:00 → 00:00 (next day)'],
    [{ from: 'Fri 14:00', to: 'Mon 00:00', name: 'Weekend' }, 'Weekend']
  ])('describes %j as %s', (input, text) => {
    expect(describeWindow(parse([input])[0] as FreezeWindow)).toBe(text)
  })
})
