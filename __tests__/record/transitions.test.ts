import { describe, expect, it } from '@jest/globals'
import { fixedClock } from '../../src/clock.js'
import { makeRecord } from '../../src/record/make.js'
import { RunRecord } from '../../src/record/owner.js'
import { parseSettings } from '../../src/settings/schema.js'
import * as t from '../../src/record/transitions.js'
import type { DeploymentRecord } from '../../src/record/types.js'

const base = (extra: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  version: 'v1.2.0',
  environment: 'production',
  checklist: [
    { id: 'ci', item: 'CI checks pass', status: 'pass', detail: '3 of 3' },
    { id: 'lock', item: 'No other deployment in progress', status: 'pass', detail: 'free' }
  ],
  migrations: [],
  rollback_plan: 'none',
  notify: { before: 'none', after: 'none' },
  smoke_tests: [],
  status: 'aborted',
  decision: 'go',
  urgency: 'P3',
  dry_run: false,
  commit: 'c0ffee',
  actor: 'alice',
  previous_version: 'v1.1.9',
  started_at: '2026-11-24T10:00:00+00:00',
  finished_at: '2026-11-24T10:00:00+00:00',
  steps: [],
  ...extra
})

describe('statusOf: the one place a status is decided, from what happened', () => {
  it.each<[string, Partial<t.Outcome>, boolean, string]>([
    ['before the gate', {}, false, 'aborted'],
    ['a dry run, whatever the verdict', { decision: 'abort', dryRun: true }, false, 'planned'],
    ['postponed', { decision: 'postpone' }, false, 'postponed'],
    ['refused', { decision: 'abort' }, false, 'aborted'],
    [
      'cancelled while the gate waited',
      { decision: 'go', cancelledBeforeStart: true },
      false,
      'cancelled'
    ],
    ['the deployment could not start', { decision: 'go', notStarted: true }, true, 'aborted'],
    ['under way', { decision: 'go', inProgress: true }, true, 'in-progress'],
    [
      'under way when the run ended',
      { decision: 'go', inProgress: true, ended: true },
      true,
      'rollback-failed'
    ],
    ['deployed', { decision: 'go', inProgress: true, deployed: true }, true, 'deployed'],
    [
      'rolled back',
      {
        decision: 'go',
        inProgress: true,
        rollback: { ok: true, untouched: false, cancelled: false }
      },
      true,
      'rolled-back'
    ],
    [
      'stopped before any change',
      {
        decision: 'go',
        inProgress: true,
        rollback: { ok: true, untouched: true, cancelled: false }
      },
      true,
      'aborted'
    ],
    [
      'cancelled and rolled back',
      {
        decision: 'go',
        inProgress: true,
        rollback: { ok: true, untouched: false, cancelled: true }
      },
      true,
      'cancelled'
    ],
    [
      'a rollback that failed',
      {
        decision: 'go',
        inProgress: true,
        rollback: { ok: false, untouched: false, cancelled: true }
      },
      true,
      'rollback-failed'
    ],
    [
      'a bug of ours with a deployment',
      { decision: 'go', unexpected: true },
      true,
      'rollback-failed'
    ],
    ['a bug of ours before one', { decision: 'go', unexpected: true }, false, 'aborted']
  ])('%s', (_what, outcome, hasDeployment, status) => {
    expect(t.statusOf({ dryRun: false, ...outcome }, hasDeployment)).toBe(status)
  })
})

describe('the transitions are pure', () => {
  it('return a new record and leave the one given as it was', () => {
    const before = base()
    const frozen = JSON.stringify(before)
    const after = t.stepEnded(before, { name: 'deploy', status: 'pass', duration_ms: 5 })
    expect(after.steps).toHaveLength(1)
    expect(JSON.stringify(before)).toBe(frozen)
    expect(t.lockLost(before, 'held by #7', 'yielded').checklist[1]).toEqual({
      id: 'lock',
      item: 'No other deployment in progress',
      status: 'fail',
      detail: 'held by #7'
    })
    expect(JSON.stringify(before)).toBe(frozen)
  })

  it('keep the record keys in the order they first appeared (the YAML stays the same)', () => {
    let d = base()
    d = t.deploymentCreated(d, 42)
    d = t.warned(d, ['one'])
    d = t.warned(d, ['two'])
    d = t.noted(d, 'pr-comment: #3')
    expect(Object.keys(d).slice(-3)).toEqual(['deployment_id', 'warnings', 'notifications'])
    expect(d.warnings).toEqual(['one', 'two'])
    expect(t.warned(d, [])).toBe(d)
  })
})

describe('RunRecord: the owner', () => {
  it('a run that deploys: in-progress while under way, deployed at the end', () => {
    const run = new RunRecord(base())
    run.gateDecided(base(), 'go')
    run.deploymentCreated(42)
    run.processStarted()
    expect(run.record.status).toBe('in-progress')
    run.stepEnded({ name: 'deploy', status: 'pass', duration_ms: 5 })
    run.deployed()
    run.ended('2026-11-24T10:05:00+00:00')
    expect(run.record).toMatchObject({ status: 'deployed', deployment_id: 42 })
    expect(run.record.finished_at).toBe('2026-11-24T10:05:00+00:00')
  })

  it('a run that never reached a final state ends rollback-failed, derived, not patched', () => {
    const run = new RunRecord(base())
    run.gateDecided(base(), 'go')
    run.deploymentCreated(42)
    run.processStarted()
    run.ended('2026-11-24T10:05:00+00:00')
    expect(run.record.status).toBe('rollback-failed')
  })

  it('a cancelled rollback says so in the error', () => {
    const run = new RunRecord(base())
    run.gateDecided(base(), 'go')
    run.processStarted()
    run.rollbackStarted('cancelled')
    run.rollbackEnded({ ok: true, untouched: false, cancelled: true })
    expect(run.record).toMatchObject({
      status: 'cancelled',
      error: 'cancelled by the runner; rolled back'
    })
  })

  it('the lock lost after creating the deployment: aborted, abort, the lock item failed', () => {
    const run = new RunRecord(base())
    run.gateDecided(base(), 'go')
    run.deploymentCreated(43)
    run.lockLost('held by #42', 'yielded to deployment #42')
    expect(run.record).toMatchObject({
      status: 'aborted',
      decision: 'abort',
      error: 'yielded to deployment #42'
    })
  })

  it('the post step restores a killed run from its saved record and finishes it', () => {
    const saved = { ...base({ deployment_id: 42 }), status: 'in-progress' as const }
    const run = RunRecord.restore(saved, 99)
    expect(run.record.status).toBe('in-progress')
    expect(run.record.deployment_id).toBe(42)
    run.rollbackStarted('cancelled')
    run.rollbackEnded({ ok: true, untouched: false, cancelled: true })
    expect(run.record.status).toBe('cancelled')
  })
})

describe('RunRecord.restore: the saved record as the post step finds it', () => {
  it('takes the deployment the post step was told of, and no steps, when the saved record lacks them', () => {
    const {
      deployment_id: _id,
      steps: _steps,
      ...partial
    } = {
      ...base(),
      status: 'in-progress' as const
    }
    const run = RunRecord.restore(partial as DeploymentRecord, 77)
    expect(run.record.deployment_id).toBe(77)
    expect(run.record.steps).toEqual([])
  })
})

describe('RunRecord.postponed', () => {
  it('records until when, and the queued deployment that holds it', () => {
    const run = new RunRecord(base())
    run.gateDecided(base(), 'postpone')
    run.postponed('2026-11-30T09:00:00+01:00', 51)
    expect(run.record).toMatchObject({
      status: 'postponed',
      postponed_until: '2026-11-30T09:00:00+01:00',
      deployment_id: 51
    })
  })

  it('keeps no deployment id when GitHub could not record it', () => {
    const run = new RunRecord(base())
    run.gateDecided(base(), 'postpone')
    run.postponed('2026-11-30T09:00:00+01:00', undefined)
    expect(run.record.deployment_id).toBeUndefined()
    expect(run.record.postponed_until).toBe('2026-11-30T09:00:00+01:00')
  })
})

describe('makeRecord: next_window only where it means something', () => {
  const subject = (dryRun: boolean, decision: 'go' | 'postpone') => ({
    settings: parseSettings({
      environment: 'production',
      'dry-run': String(dryRun),
      'deploy-command': 'true'
    }),
    ctx: {
      owner: 'acme',
      repo: 'shop',
      sha: 'c0ffee',
      ref: 'refs/heads/main',
      actor: 'alice',
      eventName: 'push',
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
      workspace: '/tmp',
      tempDir: '/tmp'
    },
    version: 'v1.2.0',
    startedAt: new Date('2026-11-24T10:00:00Z'),
    recordFile: '/tmp/r.yml',
    gate: {
      checklist: [],
      decision,
      nextWindow: new Date('2026-11-30T00:00:00Z'),
      facts: { isProduction: true }
    }
  })
  const clock = fixedClock(new Date('2026-11-24T10:00:00Z'))

  it('a run that goes out carries none (the next window is "now")', () => {
    expect(makeRecord(subject(false, 'go'), clock).next_window).toBeUndefined()
  })

  it('a postponed run and a dry run carry it', () => {
    expect(makeRecord(subject(false, 'postpone'), clock).next_window).toBe(
      '2026-11-30T00:00:00+00:00'
    )
    expect(makeRecord(subject(true, 'go'), clock).next_window).toBe('2026-11-30T00:00:00+00:00')
  })
})
