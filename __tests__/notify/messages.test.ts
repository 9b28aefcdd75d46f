import { describe, expect, it } from '@jest/globals'
import {
  buildMessage,
  formatInstant,
  formatLeadTime,
  headline,
  messageText,
  statusLabel
} from '../../src/notify/messages.js'
import { sampleRecord } from './helpers.js'

const failing = sampleRecord({
  status: 'aborted',
  decision: 'abort',
  checklist: [
    { id: 'ci', item: 'CI checks pass', status: 'fail', detail: '3 of 12 checks failed' },
    { id: 'monitoring', item: 'Monitoring active', status: 'fail', detail: 'HTTP 503' },
    { id: 'rollback', item: 'Rollback plan ready', status: 'pass', detail: 'rollback-command' }
  ]
})

describe('headline', () => {
  it('announces the deployment, with the lead time', () => {
    const r = sampleRecord()
    expect(headline('before', r, 'en')).toBe('Deploying v1.2.0 to production')
    expect(headline('before', r, 'en', { leadTimeMs: 300_000 })).toBe(
      'Deploying v1.2.0 to production in 5 min'
    )
    expect(headline('before', r, 'fr')).toBe('Déploiement de v1.2.0 en production')
    expect(headline('before', r, 'fr', { leadTimeMs: 300_000 })).toBe(
      'Déploiement de v1.2.0 en production dans 5 min'
    )
  })

  it.each([
    ['deployed', 'v1.2.0 deployed to production', 'v1.2.0 déployée en production'],
    [
      'rolled-back',
      'Deployment of v1.2.0 to production rolled back to v1.1.9',
      'Rollback de v1.2.0 en production : retour à v1.1.9'
    ],
    [
      'rollback-failed',
      'Rollback of v1.2.0 on production failed: manual action needed',
      'Échec du rollback de v1.2.0 en production : intervention manuelle requise'
    ],
    [
      'cancelled',
      'Deployment of v1.2.0 to production cancelled',
      'Déploiement de v1.2.0 en production annulé'
    ]
  ] as const)('after %s', (status, en, fr) => {
    const r = sampleRecord({ status })
    expect(headline('after', r, 'en')).toBe(en)
    expect(headline('after', r, 'fr')).toBe(fr)
  })

  it('names the failed checklist items of an aborted run', () => {
    expect(headline('refused', failing, 'en')).toBe(
      'Deployment of v1.2.0 to production aborted: CI checks pass, Monitoring active'
    )
    expect(headline('refused', failing, 'fr')).toBe(
      'Déploiement de v1.2.0 en production abandonné : CI checks pass, Monitoring active'
    )
  })

  it('names the next window of a postponed run', () => {
    const r = sampleRecord({
      status: 'postponed',
      decision: 'postpone',
      next_window: '2026-11-30T00:00:00+01:00',
      checklist: [
        { id: 'window', item: 'Pas vendredi après 14h', status: 'fail', detail: 'vendredi 15:00' }
      ]
    })
    expect(headline('refused', r, 'en')).toBe(
      'Deployment of v1.2.0 to production postponed until 2026-11-30 00:00 +01:00'
    )
    expect(headline('refused', r, 'fr')).toBe(
      "Déploiement de v1.2.0 en production reporté jusqu'au 2026-11-30 00:00 +01:00"
    )
    const m = buildMessage('refused', r, 'fr')
    expect(m.notes).toEqual([
      'Reporté par : Pas vendredi après 14h (vendredi 15:00)',
      'Prochaine fenêtre : 2026-11-30 00:00 +01:00'
    ])
    // held, not failed: an aborted run's items keep "Failed"
    expect(buildMessage('refused', r, 'en').notes[0]).toBe(
      'Postponed by: Pas vendredi après 14h (vendredi 15:00)'
    )
    expect(buildMessage('refused', { ...r, status: 'aborted' }, 'en').notes[0]).toBe(
      'Failed: Pas vendredi après 14h (vendredi 15:00)'
    )
  })

  it('names it in words in the team zone when the record knows the zone', () => {
    const r = sampleRecord({
      status: 'postponed',
      decision: 'postpone',
      next_window: '2026-11-30T00:00:00+01:00',
      timezone: 'Europe/Paris',
      started_at: '2026-11-27T15:00:00+01:00',
      checklist: [{ id: 'window', item: 'Not Friday after 14:00', status: 'fail', detail: 'x' }]
    })
    expect(headline('refused', r, 'en')).toBe(
      'Deployment of v1.2.0 to production postponed until Monday 30 November 00:00 (Europe/Paris), in 2 days 9 hours'
    )
    expect(buildMessage('refused', r, 'fr').notes).toContain(
      'Prochaine fenêtre : lundi 30 novembre 00:00 (Europe/Paris), dans 2 jours 9 heures'
    )
  })

  it('keeps outside text on one line', () => {
    const r = sampleRecord({ version: 'v1\n# injected' })
    expect(headline('before', r, 'en')).toBe('Deploying v1 # injected to production')
  })
})

describe('buildMessage', () => {
  it('carries urgency and reason', () => {
    const r = sampleRecord({ urgency: 'P1', reason: 'login is down\nfor everyone' })
    const en = buildMessage('before', r, 'en', { leadTimeMs: 90_000 })
    expect(messageText(en)).toBe(
      'Deploying v1.2.0 to production in 1 min 30 s\nUrgency: P1\nReason: login is down for everyone'
    )
    const fr = buildMessage('before', r, 'fr')
    expect(fr.lines).toEqual(['Urgence : P1', 'Raison : login is down for everyone'])
    expect(fr.status).toBe('en cours')
  })

  it('lists failed items with their evidence', () => {
    expect(buildMessage('refused', failing, 'en').notes).toEqual([
      'Failed: CI checks pass (3 of 12 checks failed)',
      'Failed: Monitoring active (HTTP 503)'
    ])
  })

  it('explains a rollback', () => {
    const r = sampleRecord({
      status: 'rollback-failed',
      steps: [
        { name: 'smoke', status: 'fail', duration_ms: 10, reason: 'Homepage: HTTP 500' },
        { name: 'rollback', status: 'fail', duration_ms: 10, reason: 'exit code 2' }
      ]
    })
    expect(buildMessage('after', r, 'en').notes).toEqual([
      'Failed step: smoke (Homepage: HTTP 500)',
      'Failed step: rollback (exit code 2)',
      'Previous version: v1.1.9'
    ])
    expect(statusLabel('after', r, 'fr')).toBe('échec du rollback')
  })
})

describe('formatting', () => {
  it.each([
    [30_000, '30 s'],
    [300_000, '5 min'],
    [90_000, '1 min 30 s'],
    [5_400_000, '1 h 30 min'],
    [3_600_000, '1 h']
  ])('lead time %d', (ms, text) => {
    expect(formatLeadTime(ms)).toBe(text)
  })

  it('instants', () => {
    expect(formatInstant('2026-11-30T00:00:00+01:00')).toBe('2026-11-30 00:00 +01:00')
    expect(formatInstant('2026-11-30T00:00:00.000Z')).toBe('2026-11-30 00:00 UTC')
    expect(formatInstant('soon')).toBe('soon')
  })
})
