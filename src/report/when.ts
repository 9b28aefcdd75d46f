import type { Language } from '../settings/schema.js'
import { phrases } from './wording.js'

/**
 * An instant in the zone given: "Monday 30 November 00:00" (long), "Mon 30 Nov 00:00" (short),
 * or "Monday 00:00" (none: the day of the week and the time).
 */
function localStamp(
  at: number,
  language: Language,
  timeZone: string,
  date: 'long' | 'short' | 'none'
): string {
  const parts = new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone,
    weekday: date === 'short' ? 'short' : 'long',
    ...(date !== 'none' && { day: 'numeric', month: date }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23'
  }).formatToParts(new Date(at))
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? ''
  const day = date === 'none' ? '' : ` ${part('day')} ${part('month')}`
  return `${part('weekday')}${day} ${part('hour')}:${part('minute')}`
}

/**
 * A next window as a person reads it, in the team's zone: "Monday 30 November 00:00
 * (Europe/Paris), in 2 days 9 hours" — "lundi 30 novembre 00:00 (Europe/Paris), dans 2 jours
 * 9 heures". Without a zone (an older record), the instant as written.
 */
export function windowInWords(
  iso: string,
  language: Language,
  timeZone: string | undefined,
  from?: string
): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at) || !timeZone) return iso
  const day = localStamp(at, language, timeZone, 'long')
  const since = from === undefined ? Number.NaN : Date.parse(from)
  const relative = Number.isNaN(since) ? '' : `, ${inTime(at - since, language)}`
  return `${day} (${timeZone})${relative}`
}

/** "in 2 days 9 hours", "in 45 minutes", "now"; in French "dans 2 jours 9 heures". */
export function inTime(ms: number, language: Language): string {
  const fr = language === 'fr'
  const minutes = Math.max(0, Math.round(ms / 60_000))
  if (minutes === 0) return fr ? 'maintenant' : 'now'
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const mins = minutes % 60
  const unit = (n: number, en: string, frWord: string): string =>
    `${n} ${fr ? frWord : en}${n > 1 ? 's' : ''}`
  const words = [
    days ? unit(days, 'day', 'jour') : '',
    hours ? unit(hours, 'hour', 'heure') : '',
    // minutes only when the wait is short enough for them to matter
    mins && !days ? unit(mins, 'minute', 'minute') : ''
  ].filter(Boolean)
  return `${fr ? 'dans' : 'in'} ${words.join(' ')}`
}

interface Answerable {
  dry_run: boolean
  decision: 'go' | 'abort' | 'postpone'
  status: string
  next_window?: string
  timezone?: string
  started_at: string
  checklist: Array<{ id: string; status: string }>
}

/** The next window, in words with the ISO value beside (Markdown, escaped by the caller). */
export function nextWindowText(d: Answerable, language: Language): string | undefined {
  if (!d.next_window || !(d.status === 'postponed' || d.dry_run)) return undefined
  const words = windowInWords(d.next_window, language, d.timezone, d.started_at)
  return words === d.next_window ? d.next_window : `${words} — ${d.next_window}`
}

/** What a dry run says would happen: "a real run would be postponed until Monday …". */
export function dryRunAnswer(d: Answerable, language: Language): string | undefined {
  if (!d.dry_run) return undefined
  const fr = language === 'fr'
  if (d.decision === 'go')
    return fr ? 'un vrai lancement partirait maintenant' : 'a real run would go out now'
  if (d.decision === 'postpone') {
    const when = d.next_window
      ? windowInWords(d.next_window, language, d.timezone, d.started_at)
      : ''
    return fr
      ? `un vrai lancement serait reporté${when ? ` jusqu'à ${when}` : ''}`
      : `a real run would be postponed${when ? ` until ${when}` : ''}`
  }
  const failed = d.checklist.filter((i) => i.status === 'fail').map((i) => i.id)
  const what = failed.length ? `: ${failed.join(', ')}` : ''
  return fr ? `un vrai lancement serait abandonné${what}` : `a real run would be aborted${what}`
}

/**
 * An instant, short, in the team's zone: "Mon 30 Nov 09:00 Europe/Paris" — "lun. 30 nov. 09:00
 * Europe/Paris" (deployment descriptions, the queue table). Without a zone, as written.
 */
export function shortWhen(iso: string, language: Language, timeZone: string | undefined): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at) || !timeZone) return iso
  return `${localStamp(at, language, timeZone, 'short')} ${timeZone}`
}

/** "Friday 15:02" — "vendredi 15:02": a day of the week and a time, in the team's zone. */
export function dayAndTime(iso: string, language: Language, timeZone: string | undefined): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  return localStamp(at, language, timeZone ?? 'UTC', 'none')
}

interface Postponable {
  status: string
  dry_run: boolean
  postponed_until?: string
  deployment_id?: number
  repository?: string
  timezone?: string
  started_at: string
  resumed?: { postponed_at: string }
}

/**
 * What a postponed release's reader needs (plain text): when it starts again by itself, what
 * makes it do so, and the one command that drops it.
 */
export function postponedNotes(d: Postponable, language: Language): string[] {
  if (d.status !== 'postponed' || d.dry_run || !d.postponed_until) return []
  const p = phrases(language)
  const notes = [p.startsAgain(shortWhen(d.postponed_until, language, d.timezone))]
  if (d.deployment_id !== undefined)
    notes.push(
      p.dropIt(
        `gh api repos/${d.repository ?? 'OWNER/REPO'}/deployments/${d.deployment_id}/statuses -f state=inactive`
      )
    )
  return notes
}

/** "postponed Friday 15:02, resumed Monday 09:04" for a resumed release. */
export function resumedText(d: Postponable, language: Language): string | undefined {
  if (!d.resumed) return undefined
  return phrases(language).resumedLine(
    dayAndTime(d.resumed.postponed_at, language, d.timezone),
    dayAndTime(d.started_at, language, d.timezone)
  )
}
