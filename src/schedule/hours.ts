/**
 * `deploy-hours`: when releases may run, e.g. `Mon-Thu 09:00-17:00, Fri 09:00-12:00`. Every
 * other minute of the week is frozen: the hours become weekly freeze windows (their inverse),
 * merged with the other windows.
 */
import { parseDay, parseTime, type Parsed, type Weekday, type WeeklyWindow } from './freeze.js'

/** One allowed range: on `day`, from `from` to `to` minutes after local midnight. */
export interface DeployHoursRange {
  day: Weekday
  /** minutes, 0..1439 */
  from: number
  /** minutes, from + 1 .. 1440 (24:00) */
  to: number
}

export const DEPLOY_HOURS_EXAMPLE = 'Mon-Thu 09:00-17:00, Fri 09:00-12:00'

const WEEK_MINUTES = 7 * 1440

function minutes(text: string): Parsed<number> {
  if (text.trim() === '24:00') return { ok: true, value: 1440 }
  const t = parseTime(text)
  return t.ok ? { ok: true, value: t.value.hour * 60 + t.value.minute } : t
}

/** Reads the text; an error is a message naming the part that is wrong (not the input). */
export function parseDeployHours(text: string): Parsed<DeployHoursRange[]> {
  const ranges: DeployHoursRange[] = []
  const parts = text
    .split(/[,\n;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
  if (parts.length === 0) return { ok: false, error: 'no hours given' }
  for (const part of parts) {
    const m = /^([A-Za-z]+)(?:\s*[-–]\s*([A-Za-z]+))?\s+(\S+?)\s*[-–]\s*(\S+)$/.exec(part)
    if (!m) return { ok: false, error: `"${part}" is not days and hours` }
    const first = parseDay(m[1] as string)
    if (!first.ok) return { ok: false, error: `"${part}": ${first.error}` }
    const last = m[2] === undefined ? first : parseDay(m[2])
    if (!last.ok) return { ok: false, error: `"${part}": ${last.error}` }
    const from = minutes(m[3] as string)
    if (!from.ok || from.value === 1440)
      return {
        ok: false,
        error: `"${part}": ${from.ok ? '24:00 cannot start a range' : from.error}`
      }
    const to = minutes(m[4] as string)
    if (!to.ok) return { ok: false, error: `"${part}": ${to.error}` }
    if (to.value <= from.value)
      return { ok: false, error: `"${part}": a range must end after it starts` }
    if (last.value < first.value)
      return { ok: false, error: `"${part}": the days must run forwards (e.g. Mon-Fri)` }
    for (let d = first.value; d <= last.value; d++)
      ranges.push({ day: d as Weekday, from: from.value, to: to.value })
  }
  return { ok: true, value: ranges }
}

/**
 * The frozen rest of the week as weekly windows named `name` (none when the hours cover the
 * whole week). Overlapping and adjacent hours are merged first.
 */
export function deployHoursFreeze(
  hours: readonly DeployHoursRange[],
  name: string
): WeeklyWindow[] {
  const open = hours
    .map((h) => ({ start: (h.day - 1) * 1440 + h.from, end: (h.day - 1) * 1440 + h.to }))
    .sort((a, b) => a.start - b.start)
  const merged: { start: number; end: number }[] = []
  for (const r of open) {
    const last = merged[merged.length - 1]
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end)
    else merged.push({ ...r })
  }
  if (merged.length === 0) return []
  // a range ending at Sun 24:00 and one starting at Mon 00:00 meet round the week
  const first = merged[0] as { start: number; end: number }
  const lastRange = merged[merged.length - 1] as { start: number; end: number }
  if (merged.length > 1 && first.start === 0 && lastRange.end === WEEK_MINUTES) {
    merged.shift()
    lastRange.end = WEEK_MINUTES + first.end
  }
  if (merged.length === 1 && lastRange.end - lastRange.start >= WEEK_MINUTES) return []
  const at = (m: number): WeeklyWindow['from'] => {
    const w = m % WEEK_MINUTES
    return {
      day: (Math.floor(w / 1440) + 1) as Weekday,
      hour: Math.floor((w % 1440) / 60),
      minute: w % 60
    }
  }
  return merged.map((r, i) => {
    const next = merged[(i + 1) % merged.length] as { start: number; end: number }
    return { kind: 'weekly', name, from: at(r.end), to: at(next.start) }
  })
}
