/**
 * Hardening, point 4: the P1 override. It lifts the time rules only, only with a reason, and
 * only for an actor whose repository role is maintain or admin; when the role cannot be read
 * the override is refused, never granted.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { DEFAULT_SHA } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startStandIns, type StandIns } from '../../__fixtures__/start-stand-ins.js'
import { fixedClock } from '../../src/clock.js'
import { baseEnv, newJob as newRunnerJob, removeJob, runMain } from '../e2e/action-runner.js'
import { newJob, recordOf, runAction, STACK_LINE, type Job, type Outcome } from './harness.js'

// Friday 2026-11-27 15:00 in Paris: inside the default freeze (Friday 14:00 → Monday 00:00).
const FRIDAY_AFTERNOON = '2026-11-27T14:00:00Z'
const MONDAY_MIDNIGHT_PARIS = '2026-11-30T00:00:00+01:00'
const REASON = 'Checkout is down for every customer (INC-4242)'

let stand: StandIns
let monitoring: SampleService
let job: Job

beforeEach(async () => {
  stand = await startStandIns()
  monitoring = await startSampleService()
  job = newJob()
})

afterEach(async () => {
  await Promise.all([stand.close(), monitoring.close()])
  job.remove()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.1',
    urgency: 'P1',
    reason: REASON,
    timezone: 'Europe/Paris',
    'github-token': 'ghs_p1-token',
    'deploy-command': 'touch ran-deploy',
    'rollback-command': 'touch ran-rollback',
    'monitoring-url': `${monitoring.url}/health`,
    'checks-timeout': '1s',
    'monitor-duration': '0',
    ...extra
  }
}

function press(extra: Record<string, string> = {}, now = FRIDAY_AFTERNOON): Promise<Outcome> {
  return runAction(inputs(extra), {
    job,
    apiUrl: stand.api.url,
    clock: fixedClock(new Date(now))
  })
}

function windowItem(r: Outcome) {
  return recordOf(r.core.outputs).checklist.find((i) => i.id === 'window')
}

/**
 * Nothing deployed: the only writes are the postponed release's queued deployment and its
 * `queued` status (docs/design.md section 14), never `in_progress`.
 */
const onlyQueued = (): boolean => {
  const posts = stand.api.requests.filter((q) => q.method === 'POST')
  return (
    posts.length === 2 &&
    posts.some((q) => /\/deployments$/.test(q.path)) &&
    posts.some(
      (q) =>
        /\/deployments\/\d+\/statuses$/.test(q.path) &&
        (q.body as { state?: string }).state === 'queued'
    )
  )
}

const permissionReads = (): number => stand.api.requestCount(/\/collaborators\/[^/]+\/permission$/)

describe('P1 on Friday afternoon', () => {
  it('by a write user: postponed, nothing deployed, the refusal says why', async () => {
    stand.api.setPermission('alice', 'write')
    const r = await press()
    expect(r.status).toBe('postponed')
    expect(r.core.outputs.decision).toBe('postpone')
    expect(r.core.outputs['next-window']).toBe(MONDAY_MIDNIGHT_PARIS)
    expect(job.markers()).toEqual([])
    expect(onlyQueued()).toBe(true)
    expect(windowItem(r)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('alice has role write, maintain or admin required')
    })
    expect(r.core.failures).toEqual([expect.stringMatching(/^Red Button: postponed — window: /)])
    expect(permissionReads()).toBe(1)
  })

  it.each(['triage', 'read'])('by a %s user: postponed', async (role) => {
    stand.api.setPermission('alice', role)
    const r = await press()
    expect(r.status).toBe('postponed')
    expect(job.markers()).toEqual([])
  })

  it('by someone who is no collaborator (404): postponed', async () => {
    const r = await press()
    expect(r.status).toBe('postponed')
    expect(job.markers()).toEqual([])
    expect(windowItem(r)?.detail).toContain('alice has role none, maintain or admin required')
  })

  it('the legacy permission field is not trusted: role_name decides', async () => {
    // a custom role built on write, reported with an "admin" legacy permission
    stand.api.setPermission('alice', 'release-captain', 'admin')
    const r = await press()
    expect(r.status).toBe('postponed')
    expect(job.markers()).toEqual([])
  })

  it('when the permission look-up keeps failing with 500: the override is refused', async () => {
    stand.api.setPermission('alice', 'admin')
    stand.api.failNext(100, 500, /\/collaborators\//)
    const r = await press()
    expect(r.thrown).toBeUndefined()
    expect(r.status).toBe('postponed')
    expect(job.markers()).toEqual([])
    expect(onlyQueued()).toBe(true)
    expect(windowItem(r)).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/could not read the role of alice \(.*HTTP 500/)
    })
    // it was retried before it was given up
    expect(permissionReads()).toBe(4)
    expect(r.core.failures[0]).not.toMatch(STACK_LINE)
  })

  it('a passing 500 on the look-up is retried, and an admin still gets the override', async () => {
    stand.api.setPermission('alice', 'admin')
    stand.api.failNext(1, 500, /\/collaborators\//)
    const r = await press()
    expect(r.status).toBe('deployed')
    expect(permissionReads()).toBe(2)
  })

  it.each(['maintain', 'admin'])('by a %s: go, deployed, the override recorded', async (role) => {
    stand.api.setPermission('alice', role)
    const r = await press()
    expect(r.core.failures).toEqual([])
    expect(r.status).toBe('deployed')
    expect(r.core.outputs.decision).toBe('go')
    expect(job.markers()).toEqual(['ran-deploy'])
    const item = windowItem(r)
    expect(item?.status).toBe('pass')
    expect(item?.detail).toContain('alice')
    expect(item?.detail).toContain(role)
    const record = recordOf(r.core.outputs)
    expect(record).toMatchObject({ urgency: 'P1', reason: REASON })
  })

  it('the override lifts the time rules only: an admin with a failing check is aborted', async () => {
    stand.api.setPermission('alice', 'admin')
    stand.api.addCheckRun(DEFAULT_SHA, { name: 'e2e', conclusion: 'failure' })
    const r = await press()
    expect(r.status).toBe('aborted')
    expect(job.markers()).toEqual([])
    expect(windowItem(r)?.status).toBe('pass')
    expect(recordOf(r.core.outputs).checklist.find((i) => i.id === 'ci')?.status).toBe('fail')
  })

  it('outside every window, a P1 does not even ask for the role', async () => {
    const r = await press({}, '2026-11-24T10:00:00Z')
    expect(r.status).toBe('deployed')
    expect(permissionReads()).toBe(0)
  })
})

describe('P1 without a reason is a bad input', () => {
  it.each([
    ['absent', {}],
    ['blank', { reason: '  \n ' }],
    ['lower-case p1', { urgency: 'p1' }]
  ])('%s', async (_name, extra) => {
    const given = inputs(extra)
    if (!('reason' in extra)) delete given.reason
    stand.api.setPermission('alice', 'admin')
    const r = await runAction(given, {
      job,
      apiUrl: stand.api.url,
      clock: fixedClock(new Date(FRIDAY_AFTERNOON))
    })
    expect(r.core.failures).toHaveLength(1)
    expect(r.core.failures[0]).toContain('input "reason"')
    expect(r.core.failures[0]).toContain('P1')
    expect(job.markers()).toEqual([])
    expect(stand.api.requests).toEqual([])
  })
})

describe('through the bundle, as a runner runs it', () => {
  it('P1 by a write user on Friday afternoon (RED_BUTTON_NOW) does not deploy', async () => {
    stand.api.setPermission('alice', 'write')
    const runner = newRunnerJob()
    try {
      const r = await runMain(
        runner,
        { ...baseEnv(runner, stand.api.url, DEFAULT_SHA), RED_BUTTON_NOW: FRIDAY_AFTERNOON },
        { inputs: inputs({ 'deploy-command': 'touch ran-deploy' }) }
      )
      expect(r.outputs.status).toBe('postponed')
      expect(r.outputs['next-window']).toBe(MONDAY_MIDNIGHT_PARIS)
      expect(r.code).toBe(1)
      expect(readdirSync(runner.workspace).filter((f) => f.startsWith('ran-'))).toEqual([])
      expect(onlyQueued()).toBe(true)
    } finally {
      removeJob(runner)
    }
  })
})
