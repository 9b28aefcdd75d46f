/**
 * `holidays`: the public holidays of countries and subdivisions (ISO 3166 codes such as `FR`,
 * `DE-BY`, `US-CA`), each a freeze from 00:00 to 24:00 in the zone of the time rules. The
 * data comes from date-holidays (`public` days only, not observances or bank holidays), loaded
 * only when the input is set: the bundler gives it a chunk of its own.
 */
import type { DatedWindow } from './freeze.js'

/** Shape of a code, checked before the data is loaded: `FR`, `DE-BY`, `US-CA`, `GB-ENG`. */
export const HOLIDAY_CODE = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/

type HolidaysModule = typeof import('date-holidays')
let loaded: Promise<HolidaysModule['default']> | undefined

/** The library, loaded once. */
function library(): Promise<HolidaysModule['default']> {
  loaded ??= import('date-holidays').then((m) => m.default)
  return loaded
}

function split(code: string): [string, string | undefined] {
  const [country, state] = code.toUpperCase().split('-')
  return [country as string, state]
}

/** The codes among `codes` that the library does not know (as written). */
export async function unknownHolidayCodes(codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return []
  const Holidays = await library()
  const hd = new Holidays()
  const countries = hd.getCountries() ?? {}
  return codes.filter((code) => {
    const [country, state] = split(code)
    if (!(country in countries)) return true
    return state !== undefined && !(state in (hd.getStates(country) ?? {}))
  })
}

/**
 * One window per public holiday of each code in `years`, named in `language` where the
 * library has that language (its default name otherwise), e.g. "Lundi de Pâques" (with the
 * code after it when there are several codes: "Easter Monday (DE-BY)").
 * Dates are the places' own calendar days; the window is that day in the zone of the rules.
 */
export async function holidayWindows(
  codes: readonly string[],
  years: readonly number[],
  language: string
): Promise<DatedWindow[]> {
  if (codes.length === 0) return []
  const Holidays = await library()
  const out: DatedWindow[] = []
  for (const code of codes) {
    const [country, state] = split(code)
    const hd = new Holidays(country, state ?? '', { types: ['public'], languages: [language] })
    for (const year of years) {
      for (const h of hd.getHolidays(year, language) ?? []) {
        if (h.type !== 'public') continue
        const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(h.date)
        if (!m) continue
        const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
        // a holiday of several days (the library's start and end) freezes all of them
        const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000))
        const next = new Date(day + days * 86_400_000)
        out.push({
          kind: 'dated',
          name: codes.length > 1 ? `${h.name} (${code.toUpperCase()})` : h.name,
          from: { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0 },
          to: {
            year: next.getUTCFullYear(),
            month: next.getUTCMonth() + 1,
            day: next.getUTCDate(),
            hour: 0,
            minute: 0
          }
        })
      }
    }
  }
  return out
}
