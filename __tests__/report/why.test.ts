import { describe, expect, it } from '@jest/globals'
import { renderComment } from '../../src/report/comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { failedItemsLine, outcomeWhy } from '../../src/report/why.js'
import type { DeploymentRecord, StepRecord } from '../../src/record/types.js'

/** Every final status has its answer and its reason in the first lines of summary and comment. */

const CI_PASS = {
  id: 'ci',
  item: 'CI checks pass',
  status: 'pass',
  detail: '12 of 12 checks succeeded'
} as const

function record(extra: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    version: 'v1.2.0',
    environment: 'production',
    checklist: [CI_PASS],
    migrations: [],
    rollback_plan: 'Redeploy v1.1.9',
    notify: { before: 'none', after: 'none' },
    smoke_tests: ['Health'],
    status: 'deployed',
    decision: 'go',
    urgency: 'P3',
    dry_run: false,
    commit: 'abc',
    actor: 'alice',
    previous_version: 'v1.1.9',
    started_at: '2026-11-24T10:00:00+01:00',
    finished_at: '2026-11-24T10:05:00+01:00',
    steps: [],
    ...extra
  }
}

const step = (name: StepRecord['name'], status: StepRecord['status'], extra = {}): StepRecord => ({
  name,
  status,
  duration_ms: 100,
  ...extra
})

const SMOKE_FAILED = step('smoke', 'fail', {
  started_at: '2026-11-24T10:02:00+01:00',
  reason: 'Health: expected 2xx, got 503'
})

/** The lines before the checklist: where the reason must be. */
const firstLines = (text: string): string => text.slice(0, text.search(/\| (Item|Point) \|/))

describe('the reason of every final status, in the first lines', () => {
  it('rolled back: which step failed, when, and what was rolled back', () => {
    const d = record({
      status: 'rolled-back',
      steps: [
        step('deploy', 'pass'),
        SMOKE_FAILED,
        step('rollback', 'pass'),
        step('migrate-rollback', 'pass')
      ]
    })
    expect(outcomeWhy(d, 'en')).toBe(
      'The smoke step failed at 2026-11-24T10:02:00+01:00: Health: expected 2xx, got 503; rolled back: the code, the schema, to v1.1.9'
    )
    for (const text of [renderSummary(d, 'en'), renderComment(d, 'en')]) {
      expect(firstLines(text)).toContain('rolled back')
      expect(firstLines(text)).toContain('The smoke step failed at 2026-11-24T10:02:00+01:00')
    }
    expect(outcomeWhy(d, 'fr')).toContain('L’étape smoke a échoué')
    expect(firstLines(renderSummary(d, 'fr'))).toContain('**Pourquoi :**')
  })

  it('aborted: which items failed, and that nothing ran', () => {
    const d = record({
      status: 'aborted',
      decision: 'abort',
      checklist: [
        { ...CI_PASS, status: 'fail', detail: 'failed: e2e (failure)' },
        { id: 'staging', item: 'Staging validated', status: 'pass', detail: 'ok' }
      ]
    })
    expect(outcomeWhy(d, 'en')).toBe(
      'Failed: ci (failed: e2e (failure)); nothing was run or changed'
    )
    expect(firstLines(renderComment(d, 'en'))).toContain('ci (failed: e2e (failure))')
  })

  it('rollback failed: the breaking step, then the rollback that failed', () => {
    const d = record({
      status: 'rollback-failed',
      steps: [SMOKE_FAILED, step('rollback', 'fail', { reason: 'exit code 1' })]
    })
    const why = outcomeWhy(d, 'en') ?? ''
    expect(why).toContain('The smoke step failed')
    expect(why).toContain('then the rollback failed (rollback: exit code 1)')
  })

  it('cancelled: during which step, and what was rolled back', () => {
    const d = record({
      status: 'cancelled',
      steps: [step('deploy', 'fail', { reason: 'SIGTERM' }), step('rollback', 'pass')]
    })
    expect(outcomeWhy(d, 'en')).toBe(
      'The run was cancelled during the rollback step; rolled back: the code, to v1.1.9'
    )
  })

  it('deployed, planned and postponed say why too', () => {
    const deployed = record({
      urgency: 'P1',
      reason: 'Checkout down',
      steps: [step('deploy', 'pass'), step('smoke', 'pass')]
    })
    expect(outcomeWhy(deployed, 'en')).toBe(
      'All 1 checklist items pass; steps passed: deploy, smoke; urgency P1: Checkout down'
    )
    expect(outcomeWhy(record({ status: 'planned', dry_run: true }), 'en')).toBe(
      'All 1 checklist items pass; a dry run: nothing was changed'
    )
    const postponed = record({
      status: 'postponed',
      decision: 'postpone',
      checklist: [
        { id: 'window', item: 'Not Friday after 14:00', status: 'fail', detail: 'inside "Friday"' }
      ]
    })
    expect(outcomeWhy(postponed, 'en')).toBe('Postponed by: window (inside "Friday")')
    expect(outcomeWhy(postponed, 'fr')).toBe('Reporté par : window (inside "Friday")')
    expect(firstLines(renderSummary(postponed, 'en'))).toContain('window (inside')
  })
})

describe('failedItemsLine', () => {
  it('names each failed item once, even when its detail starts with its id', () => {
    const line = failedItemsLine([
      CI_PASS,
      { id: 'staging', item: 'Staging', status: 'fail', detail: 'staging: live 20 min' },
      { id: 'staging', item: 'Staging', status: 'fail', detail: 'production-canary: live 5 min' },
      { id: 'window', item: 'Window', status: 'fail', detail: 'inside "Friday"' }
    ])
    expect(line).toBe(
      'staging: live 20 min; staging: production-canary: live 5 min; window: inside "Friday"'
    )
    expect(failedItemsLine([CI_PASS])).toBe('')
    expect(
      failedItemsLine(
        [
          { id: 'staging', item: 'Staging', status: 'fail', detail: 'staging: live 20 min' },
          { id: 'lock', item: 'Lock', status: 'fail', detail: '' }
        ],
        'in-brackets'
      )
    ).toBe('staging (live 20 min); lock')
  })
})
