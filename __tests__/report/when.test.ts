import { describe, expect, it } from '@jest/globals'
import {
  dryRunAnswer,
  inTime,
  nextWindowText,
  postponedNotes,
  resumedText,
  windowInWords
} from '../../src/report/when.js'

const FRIDAY_1500_PARIS = '2026-11-27T15:00:00+01:00'
const MONDAY = '2026-11-30T00:00:00+01:00'

describe('a next window in words, in the zone', () => {
  it('English and French, with the wait', () => {
    expect(windowInWords(MONDAY, 'en', 'Europe/Paris', FRIDAY_1500_PARIS)).toBe(
      'Monday 30 November 00:00 (Europe/Paris), in 2 days 9 hours'
    )
    expect(windowInWords(MONDAY, 'fr', 'Europe/Paris', FRIDAY_1500_PARIS)).toBe(
      'lundi 30 novembre 00:00 (Europe/Paris), dans 2 jours 9 heures'
    )
  })

  it('the same instant reads in the zone it is for, across a DST change', () => {
    // 2026-10-25 02:30 in Paris is the first one (CEST): 00:30Z
    expect(windowInWords('2026-10-25T00:30:00Z', 'en', 'Europe/Paris')).toBe(
      'Sunday 25 October 02:30 (Europe/Paris)'
    )
    expect(windowInWords('2026-10-25T00:30:00Z', 'en', 'America/New_York')).toBe(
      'Saturday 24 October 20:30 (America/New_York)'
    )
  })

  it('without a zone (an older record), the instant as written', () => {
    expect(windowInWords(MONDAY, 'en', undefined, FRIDAY_1500_PARIS)).toBe(MONDAY)
  })

  it.each([
    [0, 'en', 'now'],
    [45 * 60_000, 'en', 'in 45 minutes'],
    [61 * 60_000, 'en', 'in 1 hour 1 minute'],
    [26 * 3_600_000 + 5 * 60_000, 'en', 'in 1 day 2 hours'],
    [3 * 86_400_000, 'fr', 'dans 3 jours'],
    [90 * 60_000, 'fr', 'dans 1 heure 30 minutes']
  ] as const)('%i ms in %s: %s', (ms, language, text) => {
    expect(inTime(ms, language)).toBe(text)
  })
})

describe('the answer of a dry run', () => {
  const record = (decision: 'go' | 'abort' | 'postpone', extra = {}) => ({
    dry_run: true,
    decision,
    status: 'planned',
    next_window: decision === 'postpone' ? MONDAY : FRIDAY_1500_PARIS,
    timezone: 'Europe/Paris',
    started_at: FRIDAY_1500_PARIS,
    checklist: [
      { id: 'ci', status: decision === 'abort' ? 'fail' : 'pass' },
      { id: 'review', status: decision === 'abort' ? 'fail' : 'pass' }
    ],
    ...extra
  })

  it('says what a real run would do', () => {
    expect(dryRunAnswer(record('go'), 'en')).toBe('a real run would go out now')
    expect(dryRunAnswer(record('postpone'), 'en')).toBe(
      'a real run would be postponed until Monday 30 November 00:00 (Europe/Paris), in 2 days 9 hours'
    )
    expect(dryRunAnswer(record('abort'), 'en')).toBe('a real run would be aborted: ci, review')
    expect(dryRunAnswer(record('postpone'), 'fr')).toBe(
      "un vrai lancement serait reporté jusqu'à lundi 30 novembre 00:00 (Europe/Paris), dans 2 jours 9 heures"
    )
    expect(dryRunAnswer(record('go', { dry_run: false }), 'en')).toBeUndefined()
  })

  it('the next window line keeps the ISO value beside the words', () => {
    expect(
      nextWindowText({ ...record('postpone'), dry_run: false, status: 'postponed' }, 'en')
    ).toBe('Monday 30 November 00:00 (Europe/Paris), in 2 days 9 hours — 2026-11-30T00:00:00+01:00')
    expect(
      nextWindowText({ ...record('go'), dry_run: false, status: 'deployed' }, 'en')
    ).toBeUndefined()
  })
})

describe('postponed and resumed releases in words (en, fr)', () => {
  const postponed = {
    status: 'postponed',
    dry_run: false,
    postponed_until: '2026-11-30T00:00:00+01:00',
    deployment_id: 51,
    repository: 'acme/shop',
    timezone: 'Europe/Paris',
    started_at: '2026-11-27T15:02:00+01:00'
  }

  it('says when a postponed release starts again by itself, and the command that drops it', () => {
    const [again, drop] = postponedNotes(postponed, 'en')
    expect(again).toMatch(
      /^It starts again by itself at Mon 30 Nov 00:00 Europe\/Paris, when a step with resume-postponed: true runs/
    )
    expect(drop).toBe(
      'To drop it: gh api repos/acme/shop/deployments/51/statuses -f state=inactive'
    )
    expect(postponedNotes(postponed, 'fr')[0]).toMatch(
      /^Il repartira de lui-même le lun\. 30 nov\. 00:00 Europe\/Paris/
    )
    expect(postponedNotes({ ...postponed, dry_run: true }, 'en')).toEqual([])
    expect(postponedNotes({ ...postponed, status: 'aborted' }, 'en')).toEqual([])
  })

  it('says when a resumed release was postponed and resumed', () => {
    const resumed = {
      ...postponed,
      status: 'deployed',
      started_at: '2026-11-30T09:04:00+01:00',
      resumed: { postponed_at: '2026-11-27T15:02:00+01:00' }
    }
    expect(resumedText(resumed, 'en')).toBe('postponed Friday 15:02, resumed Monday 09:04')
    expect(resumedText(resumed, 'fr')).toBe('reporté vendredi 15:02, repris lundi 09:04')
    expect(resumedText(postponed, 'en')).toBeUndefined()
  })
})
