import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { DEFAULT_FREEZE, freezeListSchema, type FreezeWindow } from '../../src/schedule/freeze.js'
import {
  activeWindow,
  formatInZone,
  isValidTimeZone,
  nextAllowed,
  windowsFor
} from '../../src/schedule/windows.js'

const PARIS = 'Europe/Paris'
const DEFAULT = DEFAULT_FREEZE[0] as FreezeWindow

function windows(...items: unknown[]): FreezeWindow[] {
  return freezeListSchema.parse(items)
}

/** nextAllowed written in the zone. */
function next(ws: FreezeWindow[], iso: string, tz: string): string {
  return formatInZone(nextAllowed(ws, new Date(iso), tz), tz)
}

describe('the contract example (Europe/Paris, default window)', () => {
  it('Friday 2026-11-27 15:00 Paris is frozen until Monday 00:00', () => {
    const now = new Date('2026-11-27T14:00:00Z')
    expect(formatInZone(now, PARIS)).toBe('2026-11-27T15:00:00+01:00')
    expect(activeWindow(DEFAULT_FREEZE, now, PARIS)).toBe(DEFAULT)
    expect(formatInZone(nextAllowed(DEFAULT_FREEZE, now, PARIS), PARIS)).toBe(
      '2026-11-30T00:00:00+01:00'
    )
  })

  it('Friday 13:59 is allowed: next is now', () => {
    const now = new Date('2026-11-27T12:59:00Z')
    expect(activeWindow(DEFAULT_FREEZE, now, PARIS)).toBeUndefined()
    expect(nextAllowed(DEFAULT_FREEZE, now, PARIS).getTime()).toBe(now.getTime())
  })

  it('from is inclusive, to is exclusive', () => {
    const start = new Date('2026-11-27T13:00:00Z') // Fri 14:00
    const end = new Date('2026-11-29T23:00:00Z') // Mon 00:00
    expect(activeWindow(DEFAULT_FREEZE, start, PARIS)).toBe(DEFAULT)
    expect(activeWindow(DEFAULT_FREEZE, new Date(end.getTime() - 1), PARIS)).toBe(DEFAULT)
    expect(activeWindow(DEFAULT_FREEZE, end, PARIS)).toBeUndefined()
    expect(nextAllowed(DEFAULT_FREEZE, end, PARIS)).toEqual(end)
  })

  it('Saturday and Sunday are frozen, Monday to Thursday are not', () => {
    expect(next(DEFAULT_FREEZE, '2026-11-28T12:00:00Z', PARIS)).toBe('2026-11-30T00:00:00+01:00')
    expect(next(DEFAULT_FREEZE, '2026-11-29T22:59:59.999Z', PARIS)).toBe(
      '2026-11-30T00:00:00+01:00'
    )
    for (const iso of ['2026-11-30T08:00:00Z', '2026-12-02T20:00:00Z', '2026-12-03T22:59:00Z']) {
      expect(nextAllowed(DEFAULT_FREEZE, new Date(iso), PARIS).toISOString()).toBe(
        new Date(iso).toISOString()
      )
    }
  })

  it('no windows: always allowed', () => {
    const now = new Date('2026-11-27T14:00:00Z')
    expect(activeWindow([], now, PARIS)).toBeUndefined()
    expect(nextAllowed([], now, PARIS)).toEqual(now)
  })
})

describe('the rule follows timeZone', () => {
  it.each<[string, string, string, string]>([
    // zone, first frozen instant (Fri 14:00 local), last allowed instant before, next window
    [
      'America/New_York',
      '2026-11-27T19:00:00Z',
      '2026-11-27T18:59:59Z',
      '2026-11-30T00:00:00-05:00'
    ],
    ['Asia/Kolkata', '2026-11-27T08:30:00Z', '2026-11-27T08:29:59Z', '2026-11-30T00:00:00+05:30'],
    [
      'Pacific/Chatham',
      '2026-11-27T00:15:00Z',
      '2026-11-27T00:14:59Z',
      '2026-11-30T00:00:00+13:45'
    ],
    [
      'Australia/Lord_Howe',
      '2026-11-27T03:00:00Z',
      '2026-11-27T02:59:59Z',
      '2026-11-30T00:00:00+11:00'
    ],
    ['UTC', '2026-11-27T14:00:00Z', '2026-11-27T13:59:59Z', '2026-11-30T00:00:00+00:00']
  ])('%s', (tz, frozen, allowed, nextWindow) => {
    expect(activeWindow(DEFAULT_FREEZE, new Date(frozen), tz)).toBe(DEFAULT)
    expect(next(DEFAULT_FREEZE, frozen, tz)).toBe(nextWindow)
    expect(activeWindow(DEFAULT_FREEZE, new Date(allowed), tz)).toBeUndefined()
    expect(nextAllowed(DEFAULT_FREEZE, new Date(allowed), tz)).toEqual(new Date(allowed))
  })

  it('one instant, different verdicts: 14:30 in Paris is 08:30 in New York', () => {
    const now = new Date('2026-11-27T13:30:00Z')
    expect(activeWindow(DEFAULT_FREEZE, now, PARIS)).toBe(DEFAULT)
    expect(activeWindow(DEFAULT_FREEZE, now, 'America/New_York')).toBeUndefined()
    // Sunday 2026-11-29 23:30 in New York is already Monday in Kolkata and Paris.
    const sunday = new Date('2026-11-30T04:30:00Z')
    expect(activeWindow(DEFAULT_FREEZE, sunday, 'America/New_York')).toBe(DEFAULT)
    expect(activeWindow(DEFAULT_FREEZE, sunday, 'Asia/Kolkata')).toBeUndefined()
  })

  it('never depends on the process time zone (TZ), checked in child processes', () => {
    // Jest gives tests a copy of process.env, so setting TZ here would not reach Node's clock:
    // transpile the two pure modules and run them in real Node processes under other TZs.
    const dir = mkdtempSync(join(tmpdir(), 'red-button-schedule-'))
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
      for (const file of ['zone', 'windows']) {
        const source = readFileSync(join(process.cwd(), 'src', 'schedule', `${file}.ts`), 'utf8')
        const { outputText } = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
        })
        writeFileSync(join(dir, `${file}.js`), outputText)
      }
      const gapWindow = windows({ days: ['Sun'], from: '02:30', to: '04:00' })
      const cases: [string, string][] = [
        ['2026-11-27T14:00:00Z', PARIS],
        ['2026-03-29T01:00:00Z', PARIS], // in the Paris gap
        ['2026-03-08T07:30:00Z', 'America/New_York'],
        ['2026-10-25T00:30:00Z', PARIS], // first 02:30 of the Paris fall-back
        ['2026-03-08T02:30:00Z', 'UTC'], // a wall time that does not exist in New York
        // Paris reads 02:30 while New York is in its own gap: date-fns-tz's toZonedTime reads
        // 03:30 there under TZ=America/New_York (and 02:30 under TZ=UTC)
        ['2026-03-08T01:30:00Z', PARIS]
      ]
      const driver = `
        import * as s from ${JSON.stringify(pathToFileURL(join(dir, 'windows.js')).href)}
        const [def, gap, cases] = JSON.parse(process.argv[1])
        const out = cases.flatMap(([iso, tz]) => [
          s.formatInZone(new Date(iso), tz),
          s.formatInZone(s.nextAllowed(def, new Date(iso), tz), tz),
          s.formatInZone(s.nextAllowed(gap, new Date(iso), tz), tz),
          String(s.activeWindow(gap, new Date(iso), tz) !== undefined),
          String(new Date(0).getTimezoneOffset())
        ])
        process.stdout.write(JSON.stringify(out))`
      const results = ['UTC', 'America/New_York', 'Pacific/Kiritimati', PARIS].map((tz) => {
        const run = spawnSync(
          process.execPath,
          ['--input-type=module', '-e', driver, JSON.stringify([DEFAULT_FREEZE, gapWindow, cases])],
          { env: { PATH: process.env.PATH, TZ: tz }, encoding: 'utf8' }
        )
        expect(run.stderr).toBe('')
        return JSON.parse(run.stdout) as string[]
      })
      // Each child did run in its own TZ (the last item of a case is the process offset) ...
      expect(new Set(results.map((r) => r[4])).size).toBe(4)
      const strip = (r: string[]): string[] => r.filter((_, i) => i % 5 !== 4)
      // ... and the answers are the same in all of them, and the same as here.
      const expected = cases.flatMap(([iso, tz]) => [
        formatInZone(new Date(iso), tz),
        next(DEFAULT_FREEZE, iso, tz),
        next(gapWindow, iso, tz),
        String(activeWindow(gapWindow, new Date(iso), tz) !== undefined)
      ])
      for (const r of results) expect(strip(r)).toEqual(expected)
      expect(expected.slice(0, 8)).toEqual([
        '2026-11-27T15:00:00+01:00',
        '2026-11-30T00:00:00+01:00',
        '2026-11-27T15:00:00+01:00',
        'false',
        '2026-03-29T03:00:00+02:00',
        '2026-03-30T00:00:00+02:00',
        '2026-03-29T04:00:00+02:00',
        'true'
      ])
      expect(expected[16]).toBe('2026-03-08T02:30:00+00:00')
      expect(expected[20]).toBe('2026-03-08T02:30:00+01:00')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('src/schedule uses no local-time Date methods and no process time zone', () => {
    const dir = join(process.cwd(), 'src', 'schedule')
    const localTime =
      /\.(?:get|set)(?:FullYear|Year|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds)\s*\(|getTimezoneOffset\s*\(|process\.env|Date\.now\s*\(|new Date\(\s*\)|toLocale\w*\s*\(|toZonedTime|fromZonedTime/
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const code = readFileSync(join(dir, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
      expect({ file, match: localTime.exec(code)?.[0] }).toEqual({ file, match: undefined })
    }
  })
})

describe('daylight saving time', () => {
  it('weekly window over the Paris spring-forward weekend ends at +02:00', () => {
    expect(next(DEFAULT_FREEZE, '2026-03-27T14:00:00Z', PARIS)).toBe('2026-03-30T00:00:00+02:00')
    // Friday 14:00 is still CET (+01:00).
    expect(activeWindow(DEFAULT_FREEZE, new Date('2026-03-27T12:59:59Z'), PARIS)).toBeUndefined()
    expect(activeWindow(DEFAULT_FREEZE, new Date('2026-03-27T13:00:00Z'), PARIS)).toBe(DEFAULT)
    // Monday 00:00 CEST is 22:00Z on Sunday.
    expect(activeWindow(DEFAULT_FREEZE, new Date('2026-03-29T21:59:59Z'), PARIS)).toBe(DEFAULT)
    expect(activeWindow(DEFAULT_FREEZE, new Date('2026-03-29T22:00:00Z'), PARIS)).toBeUndefined()
  })

  it('weekly window over the Paris fall-back weekend ends at +01:00', () => {
    expect(next(DEFAULT_FREEZE, '2026-10-23T12:00:00Z', PARIS)).toBe('2026-10-26T00:00:00+01:00')
    expect(activeWindow(DEFAULT_FREEZE, new Date('2026-10-23T11:59:59Z'), PARIS)).toBeUndefined()
  })

  it('a daily window starting in the spring-forward gap starts right after the gap', () => {
    // 02:30 does not exist on 2026-03-29 in Paris: 02:00 CET jumps to 03:00 CEST (01:00Z).
    const ws = windows({ days: ['Sun'], from: '02:30', to: '04:00' })
    expect(activeWindow(ws, new Date('2026-03-29T00:59:59.999Z'), PARIS)).toBeUndefined()
    expect(activeWindow(ws, new Date('2026-03-29T01:00:00Z'), PARIS)).toBe(ws[0])
    expect(next(ws, '2026-03-29T01:00:00Z', PARIS)).toBe('2026-03-29T04:00:00+02:00')
    // On an ordinary Sunday it starts at 02:30.
    expect(activeWindow(ws, new Date('2026-03-22T01:29:59Z'), PARIS)).toBeUndefined()
    expect(activeWindow(ws, new Date('2026-03-22T01:30:00Z'), PARIS)).toBe(ws[0])
  })

  it('a daily window ending in the gap ends right after the gap', () => {
    const ws = windows({ days: ['Sun'], from: '01:00', to: '02:30' })
    expect(next(ws, '2026-03-29T00:30:00Z', PARIS)).toBe('2026-03-29T03:00:00+02:00')
  })

  it('a window wholly inside the gap is empty that day', () => {
    const ws = windows({ days: ['Sun'], from: '02:10', to: '02:40' })
    expect(activeWindow(ws, new Date('2026-03-29T01:00:00Z'), PARIS)).toBeUndefined()
    expect(activeWindow(ws, new Date('2026-03-22T01:20:00Z'), PARIS)).toBe(ws[0])
  })

  it('an ambiguous fall-back time resolves to its first occurrence', () => {
    // 2026-10-25 in Paris: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
    const starts = windows({ days: ['Sun'], from: '02:30', to: '05:00' })
    expect(activeWindow(starts, new Date('2026-10-25T00:29:59Z'), PARIS)).toBeUndefined()
    expect(activeWindow(starts, new Date('2026-10-25T00:30:00Z'), PARIS)).toBe(starts[0])
    const ends = windows({ days: ['Sun'], from: '01:00', to: '02:30' })
    expect(next(ends, '2026-10-24T23:30:00Z', PARIS)).toBe('2026-10-25T02:30:00+02:00')
    expect(activeWindow(ends, new Date('2026-10-25T01:00:00Z'), PARIS)).toBeUndefined()
  })

  it('Lord Howe: the 30-minute spring-forward gap (02:00 -> 02:30)', () => {
    const LH = 'Australia/Lord_Howe'
    const ws = windows({ days: ['Sun'], from: '02:15', to: '03:00' })
    // 2026-10-04 02:00 +10:30 is 15:30Z the day before; the wall clock jumps to 02:30 +11:00.
    expect(activeWindow(ws, new Date('2026-10-03T15:29:59Z'), LH)).toBeUndefined()
    expect(activeWindow(ws, new Date('2026-10-03T15:30:00Z'), LH)).toBe(ws[0])
    expect(formatInZone(new Date('2026-10-03T15:30:00Z'), LH)).toBe('2026-10-04T02:30:00+11:00')
    expect(next(DEFAULT_FREEZE, '2026-10-02T04:00:00Z', LH)).toBe('2026-10-05T00:00:00+11:00')
    expect(formatInZone(new Date('2026-10-02T04:00:00Z'), LH)).toBe('2026-10-02T14:30:00+10:30')
  })

  it('New York spring-forward weekend', () => {
    expect(next(DEFAULT_FREEZE, '2026-03-06T20:00:00Z', 'America/New_York')).toBe(
      '2026-03-09T00:00:00-04:00'
    )
  })
})

describe('merging windows', () => {
  it('Christmas (Thu 24 to Sun 27) chains with the weekend (Fri 25 14:00 to Mon 28)', () => {
    const ws = [
      ...windows({ name: 'Christmas', from: '2026-12-24 00:00', to: '2026-12-27 00:00' }),
      ...DEFAULT_FREEZE
    ]
    // 2026-12-24 is a Thursday.
    const thursday = new Date('2026-12-24T09:00:00Z')
    expect(activeWindow(ws, thursday, PARIS)?.name).toBe('Christmas')
    expect(formatInZone(nextAllowed(ws, thursday, PARIS), PARIS)).toBe('2026-12-28T00:00:00+01:00')
    expect(activeWindow(ws, new Date('2026-12-23T22:59:59Z'), PARIS)).toBeUndefined()
    expect(activeWindow(ws, new Date('2026-12-23T23:00:00Z'), PARIS)?.name).toBe('Christmas')
  })

  it('a daily lunch window ending at 14:00 chains with the Friday window starting at 14:00', () => {
    const ws = [
      ...windows({
        name: 'Lunch peak',
        days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'],
        from: '11:30',
        to: '14:00'
      }),
      ...DEFAULT_FREEZE
    ]
    expect(next(ws, '2026-11-27T10:30:00Z', PARIS)).toBe('2026-11-30T00:00:00+01:00')
    expect(activeWindow(ws, new Date('2026-11-27T10:30:00Z'), PARIS)?.name).toBe('Lunch peak')
    // On Thursday the lunch window simply ends at 14:00.
    expect(next(ws, '2026-11-26T10:30:00Z', PARIS)).toBe('2026-11-26T14:00:00+01:00')
    // Friday 11:29 is allowed.
    expect(nextAllowed(ws, new Date('2026-11-27T10:29:00Z'), PARIS)).toEqual(
      new Date('2026-11-27T10:29:00Z')
    )
  })

  it('overlapping windows take the latest end, and the first listed window is the active one', () => {
    const ws = windows(
      { name: 'A', days: ['Wed'], from: '10:00', to: '12:00' },
      { name: 'B', days: ['Wed'], from: '09:00', to: '11:00' },
      { name: 'C', days: ['Wed'], from: '12:00', to: '12:30' }
    )
    const at = new Date('2026-11-25T09:30:00Z') // Wed 10:30 Paris
    expect(activeWindow(ws, at, PARIS)?.name).toBe('A')
    expect(next(ws, '2026-11-25T08:00:00Z', PARIS)).toBe('2026-11-25T12:30:00+01:00')
  })

  it('a daily window past midnight runs into the next day and chains over several days', () => {
    const ws = windows({ name: 'Night', days: ['Mon', 'Tue'], from: '22:00', to: '06:00' })
    expect(next(ws, '2026-11-30T21:00:00Z', PARIS)).toBe('2026-12-01T06:00:00+01:00')
    // Tuesday night runs to Wednesday 06:00; Wednesday night is not frozen.
    expect(next(ws, '2026-12-02T04:00:00Z', PARIS)).toBe('2026-12-02T06:00:00+01:00')
    expect(activeWindow(ws, new Date('2026-12-02T21:30:00Z'), PARIS)).toBeUndefined()
    const chained = windows(
      { days: ['Sat', 'Sun'], from: '00:00', to: '00:00' },
      { days: ['Fri'], from: '18:00', to: '00:00' }
    )
    expect(next(chained, '2026-11-27T17:00:00Z', PARIS)).toBe('2026-11-30T00:00:00+01:00')
  })

  it('a weekly window ending earlier on its own day lasts almost a week', () => {
    const ws = windows({ from: 'Mon 10:00', to: 'Mon 09:00' })
    expect(next(ws, '2026-11-25T12:00:00Z', PARIS)).toBe('2026-11-30T09:00:00+01:00')
    expect(activeWindow(ws, new Date('2026-11-30T08:30:00Z'), PARIS)).toBeUndefined()
  })

  it('a dated window longer than a year still has an end', () => {
    const ws = windows({ from: '2026-01-01 00:00', to: '2028-01-01 00:00' })
    expect(next(ws, '2026-06-01T00:00:00Z', 'UTC')).toBe('2028-01-01T00:00:00+00:00')
  })

  it('windows that never end throw instead of looping', () => {
    const started = Date.now()
    const allWeek = windows(
      { from: 'Mon 00:00', to: 'Thu 00:00' },
      { from: 'Thu 00:00', to: 'Mon 00:00' }
    )
    expect(() => nextAllowed(allWeek, new Date('2026-11-25T12:00:00Z'), PARIS)).toThrow(
      /^freeze windows never end/
    )
    const everyDay = windows({
      days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
      from: '00:00',
      to: '00:00'
    })
    expect(() => nextAllowed(everyDay, new Date('2026-11-25T12:00:00Z'), 'Asia/Kolkata')).toThrow(
      /^freeze windows never end/
    )
    // a search without end would run into Jest's timeout; this says it ends well before
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('windows covering the week except a moment still find it', () => {
    const ws = windows(
      { from: 'Mon 00:00', to: 'Thu 00:00' },
      { from: 'Thu 00:01', to: 'Mon 00:00' }
    )
    expect(next(ws, '2026-11-27T12:00:00Z', PARIS)).toBe('2026-12-03T00:00:00+01:00')
  })
})

describe('windowsFor', () => {
  const ws = windows(
    { name: 'all production', from: 'Fri 14:00', to: 'Mon 00:00' },
    { name: 'staging only', from: 'Sat 00:00', to: 'Sun 00:00', environments: ['staging'] },
    { name: 'eu', from: 'Sat 00:00', to: 'Sun 00:00', environments: ['production-eu', 'Demo'] }
  )
  const names = (list: FreezeWindow[]): (string | undefined)[] => list.map((w) => w.name)

  it('windows without environments apply to production targets only', () => {
    expect(names(windowsFor(ws, 'production', true))).toEqual(['all production'])
    expect(names(windowsFor(ws, 'preview', false))).toEqual([])
  })

  it('windows with environments apply exactly to those, production or not', () => {
    expect(names(windowsFor(ws, 'staging', false))).toEqual(['staging only'])
    expect(names(windowsFor(ws, 'production-eu', true))).toEqual(['all production', 'eu'])
    expect(names(windowsFor(ws, 'demo', false))).toEqual(['eu'])
  })
})

describe('formatInZone and isValidTimeZone', () => {
  it.each([
    ['2026-11-30T00:00:00.000Z', 'UTC', '2026-11-30T00:00:00+00:00'],
    ['2026-11-29T23:00:00.999Z', PARIS, '2026-11-30T00:00:00+01:00'],
    ['2026-07-01T12:34:56Z', PARIS, '2026-07-01T14:34:56+02:00'],
    ['2026-07-01T12:00:00Z', 'America/New_York', '2026-07-01T08:00:00-04:00'],
    ['2026-07-01T12:00:00Z', 'Asia/Kolkata', '2026-07-01T17:30:00+05:30'],
    ['2026-07-01T12:00:00Z', 'Pacific/Chatham', '2026-07-02T00:45:00+12:45'],
    ['2026-07-01T12:00:00Z', 'America/St_Johns', '2026-07-01T09:30:00-02:30'],
    ['2026-07-01T12:00:00Z', 'Asia/Kathmandu', '2026-07-01T17:45:00+05:45']
  ])('%s in %s is %s', (iso, tz, text) => {
    expect(formatInZone(new Date(iso), tz)).toBe(text)
    expect(new Date(text).getTime()).toBe(Math.floor(new Date(iso).getTime() / 1000) * 1000)
  })

  it.each([
    ['Europe/Paris', true],
    ['UTC', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Etc/GMT+5', true],
    ['Europe/Pariss', false],
    ['', false],
    ['+01:00', false],
    ['Paris', false]
  ])('%j valid: %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid)
  })
})
