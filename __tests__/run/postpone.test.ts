import { describe, expect, it } from '@jest/globals'
import { expiresFirstWarning } from '../../src/run/postpone.js'

/** A release postponed for longer than postpone-expiry would be dropped before its window. */

const DAY = 86_400_000
const FRIDAY_18_DEC = new Date('2026-12-18T09:00:00Z') // 10:00 in Paris

describe('expiresFirstWarning', () => {
  const base = {
    postponedAt: FRIDAY_18_DEC,
    expiryMs: 7 * DAY,
    language: 'en' as const,
    timeZone: 'Europe/Paris'
  }

  it('warns of a year-end freeze longer than postpone-expiry, saying when and what to set', () => {
    const w = expiresFirstWarning({ ...base, until: '2027-01-04T00:00:00+01:00' })
    expect(w).toBe(
      'postponed for longer than postpone-expiry (7d): a resume step with that postpone-expiry drops it as expired at Fri 25 Dec 10:00 Europe/Paris, before its window opens; give the resume step postpone-expiry: 18d or more'
    )
    expect(
      expiresFirstWarning({ ...base, until: '2027-01-04T00:00:00+01:00', language: 'fr' })
    ).toMatch(
      /^reporté plus longtemps que postpone-expiry \(7d\) : .* postpone-expiry: 18d ou plus$/
    )
  })

  it('says nothing when the window opens within postpone-expiry, to the millisecond', () => {
    expect(expiresFirstWarning({ ...base, until: '2026-12-21T00:00:00+01:00' })).toBeUndefined()
    const exactly = new Date(FRIDAY_18_DEC.getTime() + 7 * DAY).toISOString()
    expect(expiresFirstWarning({ ...base, until: exactly })).toBeUndefined()
    const justAfter = new Date(FRIDAY_18_DEC.getTime() + 7 * DAY + 1).toISOString()
    expect(expiresFirstWarning({ ...base, until: justAfter })).toMatch(/^postponed for longer/)
  })

  it('writes an expiry that is not whole days as a duration', () => {
    expect(
      expiresFirstWarning({ ...base, expiryMs: 36 * 3_600_000, until: '2026-12-21T00:00:00+01:00' })
    ).toContain('postpone-expiry (36h)')
  })
})
