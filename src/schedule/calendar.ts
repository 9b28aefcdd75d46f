/**
 * `freeze-calendar`: the events of an iCalendar (RFC 5545) text as freeze windows, between two
 * instants. Pure: the text is read (a file, a feed) by the gate. ical.js expands `RRULE`
 * (from its `DTSTART`, however long ago), `RDATE`, `EXDATE` and `RECURRENCE-ID` overrides;
 * wall-clock times are resolved here: a `TZID` that is an IANA name in that zone (DST-correct,
 * a weekly 18:00 stays 18:00 local), one defined by the file's `VTIMEZONE` by ical.js, a
 * floating time and an all-day (`DATE`) event in the zone of the rules. `STATUS:CANCELLED`
 * events and occurrences are left out; `TRANSP:TRANSPARENT` ones freeze like the others.
 */
import ICAL from 'ical.js'
import type { SpanWindow } from './freeze.js'
import { DAY_MS, fromWall, isValidTimeZone } from './zone.js'

/** Occurrences of one recurring event looked at, at most (a rule every minute since 1970...). */
export const MAX_OCCURRENCES = 200_000

export interface CalendarRange {
  /** events ending after this instant (ms) */
  from: number
  /** ... and starting before this one (ms) */
  to: number
  /** the zone of the rules: all-day and floating times are read in it */
  timeZone: string
}

/** Thrown when the text is not an iCalendar; the message says why. */
export class CalendarError extends Error {}

type Time = InstanceType<typeof ICAL.Time>
type Event = InstanceType<typeof ICAL.Event>

function instant(t: Time, tzid: string | undefined, timeZone: string): number {
  if (t.isDate) return fromWall(Date.UTC(t.year, t.month - 1, t.day), timeZone)
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)
  const zone = t.zone?.tzid
  if (zone === 'UTC' || zone === 'Z') return wall
  if (tzid && isValidTimeZone(tzid)) return fromWall(wall, tzid)
  if (zone && zone !== 'floating') return t.toUnixTime() * 1000
  return fromWall(wall, timeZone)
}

function tzidOf(e: Event, which: 'dtstart' | 'dtend'): string | undefined {
  const p = e.component.getFirstProperty(which) ?? e.component.getFirstProperty('dtstart')
  const v = p?.getParameter('tzid')
  return typeof v === 'string' ? v : undefined
}

const cancelled = (e: Event): boolean =>
  String(e.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED'

/** [start, end) of one occurrence, an all-day one without an end lasting one day. */
function span(
  start: Time,
  end: Time | undefined,
  item: Event,
  timeZone: string
): { start: number; end: number } {
  const s = instant(start, tzidOf(item, 'dtstart'), timeZone)
  let e = end ? instant(end, tzidOf(item, 'dtend'), timeZone) : s
  if (e <= s && start.isDate) {
    e = fromWall(Date.UTC(start.year, start.month - 1, start.day) + DAY_MS, timeZone)
  }
  return { start: s, end: e }
}

/**
 * The events of `text` that overlap `range`, each a window named by its `SUMMARY` (`label`
 * when it has none). Throws CalendarError when the text is not an iCalendar.
 */
export function calendarWindows(text: string, range: CalendarRange, label: string): SpanWindow[] {
  let root: InstanceType<typeof ICAL.Component>
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[])
  } catch (e) {
    throw new CalendarError(`not an iCalendar: ${(e as Error).message}`)
  }
  if (root.name !== 'vcalendar') throw new CalendarError('not an iCalendar: no VCALENDAR')
  const out: SpanWindow[] = []
  const keep = (s: { start: number; end: number }, item: Event): void => {
    if (s.end > range.from && s.start < range.to && s.end > s.start) {
      out.push({ kind: 'span', name: item.summary?.trim() || label, start: s.start, end: s.end })
    }
  }
  const events = root.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
  // overrides (RECURRENCE-ID) go with their recurring event, by UID
  const masters = new Map<string, Event>()
  for (const e of events) if (!e.isRecurrenceException()) masters.set(e.uid, e)
  for (const e of events) {
    if (!e.isRecurrenceException()) continue
    const master = masters.get(e.uid)
    if (master) master.relateException(e)
    else if (!cancelled(e)) keep(span(e.startDate, e.endDate, e, range.timeZone), e)
  }
  for (const e of masters.values()) {
    if (cancelled(e) || !e.startDate) continue
    if (!e.isRecurring()) {
      keep(span(e.startDate, e.endDate, e, range.timeZone), e)
      continue
    }
    const it = e.iterator()
    for (let n = 0; n < MAX_OCCURRENCES; n++) {
      const next = it.next()
      if (!next) break
      const d = e.getOccurrenceDetails(next)
      const s = span(d.startDate, d.endDate, d.item, range.timeZone)
      // an override may move an occurrence; the rule's own order is by original start
      if (instant(next, tzidOf(e, 'dtstart'), range.timeZone) >= range.to + 366 * DAY_MS) break
      if (d.item !== e && cancelled(d.item)) continue
      keep(s, d.item)
    }
  }
  return out
}
