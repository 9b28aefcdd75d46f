import { describe, expect, it } from '@jest/globals'
import { evaluateWindow, wantsOverride } from '../../src/gate/window.js'
import type { FreezeWindow } from '../../src/schedule/freeze.js'
import { formatInZone } from '../../src/schedule/windows.js'
import { FRIDAY_AFTERNOON, WEDNESDAY, windowFacts } from './facts.js'

const MONDAY_UTC = new Date('2026-11-30T00:00:00Z')

const christmas: FreezeWindow = {
  kind: 'dated',
  name: 'Christmas',
  from: { year: 2026, month: 12, day: 24, hour: 0, minute: 0 },
  to: { year: 2026, month: 12, day: 27, hour: 0, minute: 0 }
}
const nightly: FreezeWindow = {
  kind: 'daily',
  days: [1, 2, 3, 4, 5],
  from: { hour: 8, minute: 0 },
  to: { hour: 10, minute: 0 }
}

describe('evaluateWindow', () => {
  it('passes outside the default window with the default label', () => {
    const v = evaluateWindow(windowFacts({ now: new Date('2026-11-26T09:00:00Z') }), 'en')
    expect(v.item).toEqual({
      id: 'window',
      item: 'Not Friday after 14:00',
      status: 'pass',
      detail: 'outside the freeze window'
    })
    expect(v.nextWindow).toEqual(new Date('2026-11-26T09:00:00Z'))
    expect(v.active).toBeUndefined()
    expect(v.overridden).toBe(false)
  })

  it('fails inside the default window and says when the next window opens', () => {
    const v = evaluateWindow(windowFacts({ now: FRIDAY_AFTERNOON }), 'en')
    expect(v.item.item).toBe('Not Friday after 14:00')
    expect(v.item.status).toBe('fail')
    expect(v.item.detail).toBe(
      'inside "Friday afternoon and weekend"; next window opens 2026-11-30T00:00:00+00:00'
    )
    expect(v.nextWindow).toEqual(MONDAY_UTC)
    expect(v.active?.name).toBe('Friday afternoon and weekend')
  })

  it('formats the next window in the zone of the time rules', () => {
    const v = evaluateWindow(windowFacts({ now: FRIDAY_AFTERNOON, timeZone: 'Europe/Paris' }), 'en')
    const next = new Date('2026-11-29T23:00:00Z')
    expect(v.nextWindow).toEqual(next)
    expect(v.item.detail).toContain(`next window opens ${formatInZone(next, 'Europe/Paris')}`)
    expect(v.item.detail).toContain('2026-11-30T00:00:00+01:00')
  })

  it('labels the item with the name of a custom window', () => {
    const inside = evaluateWindow(
      windowFacts({ now: new Date('2026-12-25T12:00:00Z'), windows: [christmas] }),
      'en'
    )
    expect(inside.item.item).toBe('Outside freeze window: Christmas')
    expect(inside.item.status).toBe('fail')
    expect(inside.item.detail).toBe(
      'inside "Christmas"; next window opens 2026-12-27T00:00:00+00:00'
    )
    const outside = evaluateWindow(windowFacts({ windows: [christmas] }), 'fr')
    expect(outside.item.item).toBe('Hors période de gel : Christmas')
    expect(outside.item.status).toBe('pass')
    expect(outside.item.detail).toBe('hors de la période de gel')
  })

  it('names an unnamed custom window by its description, and the active one among several', () => {
    const v = evaluateWindow(
      windowFacts({ now: new Date('2026-11-25T08:30:00Z'), windows: [christmas, nightly] }),
      'en'
    )
    expect(v.item.item).toBe('Outside freeze window: Mon–Fri 08:00 → 10:00')
    expect(v.item.detail).toBe(
      'inside "Mon–Fri 08:00 → 10:00"; next window opens 2026-11-25T10:00:00+00:00'
    )
    expect(v.nextWindow).toEqual(new Date('2026-11-25T10:00:00Z'))
  })

  it('is na when no window applies', () => {
    const v = evaluateWindow(windowFacts({ now: FRIDAY_AFTERNOON, windows: [] }), 'en')
    expect(v.item.status).toBe('na')
    expect(v.item.detail).toBe('no freeze window applies to this environment')
    expect(v.nextWindow).toEqual(FRIDAY_AFTERNOON)
  })

  describe('P1 override', () => {
    const p1 = { now: FRIDAY_AFTERNOON, urgency: 'P1' as const, reason: 'checkout is down' }

    it.each(['maintain', 'admin'])('passes for role %s, and says so', (role) => {
      const v = evaluateWindow(windowFacts({ ...p1, role }), 'en')
      expect(v.overridden).toBe(true)
      expect(v.item.status).toBe('pass')
      expect(v.item.detail).toBe(
        `inside "Friday afternoon and weekend", but urgency P1 lifts the time rules (alice has role ${role})`
      )
      expect(v.nextWindow).toEqual(MONDAY_UTC)
    })

    it('is refused for role write, and says so', () => {
      const v = evaluateWindow(windowFacts({ ...p1, role: 'write' }), 'en')
      expect(v.overridden).toBe(false)
      expect(v.item.status).toBe('fail')
      expect(v.item.detail).toBe(
        'inside "Friday afternoon and weekend"; P1 override refused: alice has role write, ' +
          'maintain or admin required; next window opens 2026-11-30T00:00:00+00:00'
      )
    })

    it('is refused when the role is unknown (not a collaborator)', () => {
      const v = evaluateWindow(windowFacts({ ...p1 }), 'en')
      expect(v.item.status).toBe('fail')
      expect(v.item.detail).toContain('alice has role none')
    })

    it('is refused when the role look-up failed', () => {
      const v = evaluateWindow(windowFacts({ ...p1, roleError: 'HTTP 502: Server Error' }), 'en')
      expect(v.overridden).toBe(false)
      expect(v.item.status).toBe('fail')
      expect(v.item.detail).toContain(
        'P1 override refused: could not read the role of alice (HTTP 502: Server Error)'
      )
    })

    it('does not apply without a reason', () => {
      expect(wantsOverride({ urgency: 'P1', reason: '  ' })).toBe(false)
      const v = evaluateWindow(windowFacts({ ...p1, reason: '', role: 'admin' }), 'en')
      expect(v.overridden).toBe(false)
      expect(v.item.status).toBe('fail')
      expect(v.item.detail).toBe(
        'inside "Friday afternoon and weekend"; next window opens 2026-11-30T00:00:00+00:00'
      )
    })

    it('does not apply to other urgencies', () => {
      expect(wantsOverride({ urgency: 'P2', reason: 'why not' })).toBe(false)
      const v = evaluateWindow(windowFacts({ ...p1, urgency: 'P2', role: 'admin' }), 'en')
      expect(v.item.status).toBe('fail')
    })

    it('is not needed outside the windows', () => {
      const v = evaluateWindow(windowFacts({ ...p1, now: WEDNESDAY, role: 'write' }), 'en')
      expect(v.item.status).toBe('pass')
      expect(v.overridden).toBe(false)
    })

    it('speaks French', () => {
      const used = evaluateWindow(windowFacts({ ...p1, role: 'admin' }), 'fr')
      expect(used.item.item).toBe('Pas vendredi après 14h')
      expect(used.item.detail).toBe(
        "dans « Friday afternoon and weekend », mais l'urgence P1 lève les règles horaires (alice a le rôle admin)"
      )
      const refused = evaluateWindow(windowFacts({ ...p1, role: 'write' }), 'fr')
      expect(refused.item.detail).toBe(
        'dans « Friday afternoon and weekend » ; dérogation P1 refusée : alice a le rôle write, ' +
          'maintain ou admin requis ; prochaine fenêtre 2026-11-30T00:00:00+00:00'
      )
    })
  })

  it('says so when the windows never end', () => {
    const always: FreezeWindow = {
      kind: 'daily',
      days: [1, 2, 3, 4, 5, 6, 7],
      from: { hour: 0, minute: 0 },
      to: { hour: 0, minute: 0 }
    }
    const v = evaluateWindow(windowFacts({ windows: [always] }), 'en')
    expect(v.item.status).toBe('fail')
    expect(v.nextWindow).toBeUndefined()
    expect(v.item.detail).toMatch(/next window opens never \(the freeze windows never end\)$/)
    expect(evaluateWindow(windowFacts({ windows: [always] }), 'fr').item.detail).toMatch(
      /prochaine fenêtre jamais \(les fenêtres de gel ne finissent jamais\)$/
    )
    // the windows end, but no gap is as long as the runway: said as that
    const weekend = evaluateWindow(windowFacts({ runwayMs: 5 * 86_400_000 }), 'en')
    expect(weekend.nextWindow).toBeUndefined()
    expect(weekend.item.detail).toMatch(
      /never \(no gap between the freeze windows is as long as the runway, 120h\)$/
    )
  })
})
