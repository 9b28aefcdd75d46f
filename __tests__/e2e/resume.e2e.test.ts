import { beforeEach, describe, expect, it } from '@jest/globals'
import yaml from 'js-yaml'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import type { SampleService } from '../../__fixtures__/sample-service.js'
import {
  deploymentOf,
  expectDeployedOnSame,
  RERUN_ENV,
  queueStandIns,
  releaseInputs,
  releaseStep,
  resumeStep
} from './queue-steps.js'

/**
 * Postpone, never drop (docs/design.md section 14), through dist/ as a runner runs it: Friday 15:00
 * in Paris a release is postponed; on Monday a resume step re-runs its job; the re-run
 * deploys on the same GitHub deployment. The clock is moved with RED_BUTTON_NOW (and the
 * stand-in's own clock), never waited for.
 */

const FRIDAY = '2026-11-27T14:00:00Z' // 15:00 in Paris, inside "Friday afternoon and weekend"
const MONDAY = '2026-11-30T08:10:00Z' // 09:10 in Paris
const SATURDAY = '2026-11-28T10:00:00Z'
const RELEASE_RUN = 7001
const RESUME_RUN = 9100

const stand = queueStandIns({ releaseRun: RELEASE_RUN, resumeRun: RESUME_RUN })
let api: GitHubApi
let monitoring: SampleService
beforeEach(() => {
  ;({ api, monitoring } = stand)
})
const { at, queue } = stand

function release(
  now: string,
  env: Record<string, string> = {},
  inputs: Record<string, string> = {}
) {
  return releaseStep(queue(), now, releaseInputs(monitoring.url, inputs), env)
}

const resume = (now: string, inputs: Record<string, string> = {}) =>
  resumeStep(queue(), now, inputs)

const deployment = (id: number) => deploymentOf(api, id)
const latest = (id: number) => deployment(id).statuses.at(-1)

/** A postponed release as a postponed run leaves it, its run completed (failed: postponed). */
function seedPostponed(o: {
  version: string
  createdAt: string
  until: string
  runId: number
  jobId?: boolean
  environment?: string
  runCreatedAt?: string
}): number {
  api.addRun({ id: o.runId, status: 'completed', created_at: o.runCreatedAt ?? o.createdAt })
  const job = o.jobId
    ? api.addJob({ run_id: o.runId, name: 'release', status: 'completed', conclusion: 'failure' })
    : undefined
  return api.addDeployment({
    sha: DEFAULT_SHA,
    ref: o.version,
    environment: o.environment ?? 'production',
    created_at: o.createdAt,
    payload: {
      tool: 'red-button',
      version: o.version,
      red_button: {
        version: o.version,
        postponed_until: o.until,
        urgency: 'P3',
        actor: 'alice',
        run_id: o.runId,
        run_attempt: 1,
        job: 'release',
        job_id: job?.id
      }
    },
    statuses: [
      {
        state: 'queued',
        description: 'until Mon 30 Nov 00:00 Europe/Paris: Friday afternoon and weekend',
        log_url: `https://github.example/acme/shop/actions/runs/${o.runId}`
      }
    ]
  })
}

describe('a release postponed on Friday afternoon', () => {
  it('is queued on GitHub, re-run by the resume step on Monday, and deployed on the same deployment', async () => {
    at(FRIDAY)
    const ownJob = api.addJob({ run_id: RELEASE_RUN, name: 'release', runner_name: 'runner-7' })
    const friday = await release(FRIDAY)
    expect(friday.outputs.status).toBe('postponed')
    const id = Number(friday.outputs['deployment-id'])
    expect(id).toBeGreaterThan(0)
    const d = deployment(id)
    expect(d.environment).toBe('production')
    expect(d.payload).toMatchObject({
      tool: 'red-button',
      red_button: {
        version: 'v1.2.0',
        postponed_until: '2026-11-30T00:00:00+01:00',
        urgency: 'P3',
        actor: 'alice',
        run_id: RELEASE_RUN,
        run_attempt: 1,
        job: 'release',
        job_id: ownJob.id
      }
    })
    expect(latest(id)).toMatchObject({
      state: 'queued',
      description: 'until Mon 30 Nov 00:00 Europe/Paris: Friday afternoon and weekend',
      // the instant, for the resume step (the payload keeps the first one)
      log_url: `https://github.example/acme/shop/actions/runs/${RELEASE_RUN}#red-button-postponed-until=2026-11-30T00:00:00%2B01:00`
    })
    const fridayRecord = yaml.load(friday.outputs.record ?? '') as {
      deployment: Record<string, unknown>
    }
    expect(fridayRecord.deployment.postponed_until).toBe('2026-11-30T00:00:00+01:00')
    expect(friday.summary).toContain('resume-postponed')
    expect(friday.summary).toContain(`deployments/${id}/statuses -f state=inactive`)

    // the postponed job failed (status postponed): its run is over
    api.state.runs.find((r) => r.id === RELEASE_RUN)!.status = 'completed'
    ownJob.status = 'completed'

    at(MONDAY)
    const monday = await resume(MONDAY)
    expect(monday.outputs.status).toBe('resumed')
    expect(JSON.parse(monday.outputs.resumed ?? '')).toEqual([
      {
        environment: 'production',
        version: 'v1.2.0',
        deployment_id: id,
        run_url: `https://github.example/acme/shop/actions/runs/${RELEASE_RUN}`
      }
    ])
    expect(api.state.reruns).toEqual([
      expect.objectContaining({ run_id: RELEASE_RUN, job_id: ownJob.id, attempt: 2 })
    ])
    expect(latest(id)).toMatchObject({ state: 'queued' })
    expect(latest(id)?.description).toMatch(/resume requested: job release re-run/)
    expect(monday.summary).toMatch(/\| production \| v1\.2\.0 \| #\d+ \| Mon 30 Nov 00:00/)
    expect(monday.stdout).toContain(`#${id} v1.2.0 → production: resume requested`)

    // the re-run: attempt 2, triggered by the resume step's bot
    const rerun = await release('2026-11-30T08:12:00Z', RERUN_ENV)
    expectDeployedOnSame(api, rerun, id, 'production')
    const record = yaml.load(rerun.outputs.record ?? '') as { deployment: Record<string, unknown> }
    expect(record.deployment.actor).toBe('alice')
    expect(record.deployment.resumed).toEqual({
      from_run: `https://github.example/acme/shop/actions/runs/${RELEASE_RUN}`,
      postponed_at: '2026-11-27T15:00:00+01:00',
      attempt: 2
    })
    expect(rerun.summary).toContain('postponed Friday 15:00, resumed Monday 09:12')
  }, 120_000)
})

describe('a release postponed again by its re-run (Friday, then Easter Monday)', () => {
  // Friday 26 March 2027 15:00 in Paris (CET); summer time starts on Sunday the 28th
  const FRIDAY_2027 = '2027-03-26T14:00:00Z'
  const MONDAY_0005 = '2027-03-28T22:05:00Z' // Monday 29 March 00:05 in Paris (CEST)
  const MONDAY_0007 = '2027-03-28T22:07:00Z'
  const MONDAY_1000 = '2027-03-29T08:00:00Z'
  const TUESDAY_0000 = '2027-03-30T00:00:00+02:00'
  const TUESDAY_0005 = '2027-03-29T22:05:00Z'

  it("waits for the new instant its re-run gave, not the payload's first one, and is re-run once past it", async () => {
    at(FRIDAY_2027)
    const ownJob = api.addJob({ run_id: RELEASE_RUN, name: 'release', runner_name: 'runner-7' })
    const friday = await release(FRIDAY_2027)
    expect(friday.outputs.status).toBe('postponed')
    const id = Number(friday.outputs['deployment-id'])
    expect(deployment(id).payload).toMatchObject({
      red_button: { postponed_until: '2027-03-29T00:00:00+02:00', job_id: ownJob.id }
    })
    api.state.runs.find((r) => r.id === RELEASE_RUN)!.status = 'completed'
    ownJob.status = 'completed'

    // Monday 00:05: due (payload and fragment agree), its job is re-run
    at(MONDAY_0005)
    const first = await resume(MONDAY_0005)
    expect(first.outputs.status).toBe('resumed')
    expect(api.state.reruns).toHaveLength(1)

    // the re-run finds Easter Monday a public holiday (here it enters with the re-run's
    // inputs; a freeze calendar edited over the weekend does the same): postponed again
    const rerun = await release(MONDAY_0007, RERUN_ENV, { holidays: 'FR' })
    expect(rerun.outputs.status).toBe('postponed')
    expect(rerun.outputs['deployment-id']).toBe(String(id))
    const rerunRecord = yaml.load(rerun.outputs.record ?? '') as {
      deployment: Record<string, unknown>
    }
    expect(rerunRecord.deployment.postponed_until).toBe(TUESDAY_0000)
    expect(api.state.deployments.filter((x) => x.environment === 'production')).toHaveLength(1)
    // same deployment, its payload unchanged, a new queued status naming the new instant
    expect(deployment(id).payload).toMatchObject({
      red_button: { postponed_until: '2027-03-29T00:00:00+02:00' }
    })
    expect(deployment(id).statuses.map((s) => s.state)).toEqual(['queued', 'queued', 'queued'])
    expect(latest(id)).toMatchObject({
      state: 'queued',
      log_url: `https://github.example/acme/shop/actions/runs/${RELEASE_RUN}/attempts/2#red-button-postponed-until=2027-03-30T00:00:00%2B02:00`
    })
    expect(latest(id)?.description).toMatch(/^until Tue 30 Mar 00:00 Europe\/Paris: /)
    api.state.runs.find((r) => r.id === RELEASE_RUN)!.status = 'completed'

    // Monday 10:00: the payload's instant has passed, the status's has not: it waits, at the
    // cost of an idle step (two requests), and nothing is re-run
    at(MONDAY_1000)
    const before = api.requests.length
    const statuses = deployment(id).statuses.length
    const idle = await resume(MONDAY_1000)
    expect(idle.code).toBe(0)
    expect(idle.outputs.status).toBe('idle')
    expect(idle.outputs.resumed).toBe('[]')
    expect(api.requests.length - before).toBe(2)
    expect(api.state.reruns).toHaveLength(1)
    expect(deployment(id).statuses).toHaveLength(statuses)
    expect(idle.summary).toMatch(
      /\| production \| v1\.2\.0 \| #\d+ \| Tue 30 Mar 00:00 Europe\/Paris \| waiting until Tue 30 Mar 00:00 Europe\/Paris \|/
    )
    expect(idle.stdout).toContain(`#${id} v1.2.0 → production: waiting until Tue 30 Mar 00:00`)

    // Tuesday 00:05: due again, re-run once more (attempt 3)
    at(TUESDAY_0005)
    const tuesday = await resume(TUESDAY_0005)
    expect(tuesday.outputs.status).toBe('resumed')
    expect(api.state.reruns).toEqual([
      expect.objectContaining({ run_id: RELEASE_RUN, job_id: ownJob.id, attempt: 2 }),
      expect.objectContaining({ run_id: RELEASE_RUN, job_id: ownJob.id, attempt: 3 })
    ])
    expect(latest(id)?.description).toMatch(/resume requested: job release re-run/)
    // the resume step's own queued status keeps the instant: a step reading the queue while the
    // re-run is under way shows Tuesday, not the payload's Monday
    expect(latest(id)?.log_url).toMatch(/#red-button-postponed-until=2027-03-30T00:00:00%2B02:00$/)
    const underWay = await resume(TUESDAY_0005)
    expect(underWay.summary).toMatch(/\| #\d+ \| Tue 30 Mar 00:00 Europe\/Paris \|/)
  }, 180_000)
})

describe('a release postponed for longer than postpone-expiry', () => {
  it('is postponed, with a warning saying when a resume step would drop it and what to set', async () => {
    const DEC_18 = '2026-12-18T09:00:00Z' // Friday 10:00 in Paris, inside the year-end freeze
    at(DEC_18)
    const r = await release(
      DEC_18,
      {},
      {
        freeze: '- from: "2026-12-18 00:00"\n  to: "2027-01-04 00:00"\n  name: Year-end freeze'
      }
    )
    expect(r.outputs.status).toBe('postponed')
    expect(r.outputs['next-window']).toBe('2027-01-04T00:00:00+01:00')
    const warning =
      'postponed for longer than postpone-expiry (7d): a resume step with that postpone-expiry drops it as expired at Fri 25 Dec 10:00 Europe/Paris, before its window opens; give the resume step postpone-expiry: 18d or more'
    const record = yaml.load(r.outputs.record ?? '') as { deployment: { warnings?: string[] } }
    expect(record.deployment.warnings).toContain(warning)
    expect(r.summary).toContain('postpone-expiry: 18d or more')
    // and within it, nothing is said
    const short = await release(
      DEC_18,
      {},
      {
        freeze: '- from: "2026-12-18 00:00"\n  to: "2026-12-21 00:00"\n  name: Short freeze'
      }
    )
    expect(short.outputs.status).toBe('postponed')
    expect(short.outputs.record).not.toContain('postpone-expiry')
  })
})

describe('the resume step', () => {
  it('costs two requests while a release waits, and leaves it as it is', async () => {
    const id = seedPostponed({
      version: 'v1.2.0',
      createdAt: FRIDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7100
    })
    at(SATURDAY)
    const before = api.requests.length
    const r = await resume(SATURDAY)
    expect(r.outputs.status).toBe('idle')
    expect(r.outputs.resumed).toBe('[]')
    expect(api.requests.length - before).toBe(2)
    expect(deployment(id).statuses).toHaveLength(1)
    expect(r.summary).toContain('waiting until Mon 30 Nov 00:00 Europe/Paris')
  }, 60_000)

  it('drops a release superseded by a newer postponed one, and resumes the newer one', async () => {
    const older = seedPostponed({
      version: 'v1.2.0',
      createdAt: FRIDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7100
    })
    const newer = seedPostponed({
      version: 'v1.2.1',
      createdAt: SATURDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7200
    })
    at(MONDAY)
    const r = await resume(MONDAY)
    expect(r.outputs.status).toBe('resumed')
    expect(latest(older)).toMatchObject({
      state: 'inactive',
      description: `superseded by v1.2.1 (#${newer}), postponed since`
    })
    expect(api.state.reruns.map((x) => x.run_id)).toEqual([7200])
  }, 60_000)

  it('never resumes a release older than a hotfix that went out on Saturday', async () => {
    const id = seedPostponed({
      version: 'v1.2.0',
      createdAt: FRIDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7100
    })
    const hotfix = api.addDeployment({
      sha: DEFAULT_SHA,
      ref: 'v1.2.1',
      environment: 'production',
      created_at: SATURDAY,
      payload: { tool: 'red-button', version: 'v1.2.1' },
      statuses: [{ state: 'in_progress' }, { state: 'success' }]
    })
    at(MONDAY)
    const r = await resume(MONDAY)
    expect(r.outputs.status).toBe('idle')
    expect(api.state.reruns).toEqual([])
    expect(latest(id)).toMatchObject({ state: 'inactive' })
    expect(latest(id)?.description).toContain(`superseded: v1.2.1 (#${hotfix}) went out since`)
  }, 60_000)

  it('drops an expired release (postpone-expiry)', async () => {
    const id = seedPostponed({
      version: 'v1.2.0',
      createdAt: FRIDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7100
    })
    at(MONDAY)
    const r = await resume(MONDAY, { 'postpone-expiry': '2d' })
    expect(r.outputs.status).toBe('idle')
    expect(api.state.reruns).toEqual([])
    expect(latest(id)?.state).toBe('inactive')
    expect(latest(id)?.description).toBe(
      'expired: postponed 66h10m ago, over postpone-expiry (48h)'
    )
  }, 60_000)

  it('fails naming the permission when GitHub refuses the re-run, and says so on the deployment', async () => {
    const id = seedPostponed({
      version: 'v1.2.0',
      createdAt: FRIDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7100,
      jobId: true
    })
    api.state.actionsWrite = false
    at(MONDAY)
    const r = await resume(MONDAY)
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('idle')
    expect(r.stdout).toMatch(/::error::.*Resource not accessible by integration.*actions: write/)
    expect(latest(id)).toMatchObject({ state: 'error' })
    expect(latest(id)?.description).toContain('GitHub refused to re-run it')
  }, 60_000)

  it('fails naming the 30-day limit for a run GitHub finds too old', async () => {
    const id = seedPostponed({
      version: 'v1.2.0',
      createdAt: FRIDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7100,
      runCreatedAt: '2026-10-01T10:00:00Z'
    })
    at(MONDAY)
    const r = await resume(MONDAY)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error::.*over a month ago.*last 30 days/)
    expect(latest(id)?.state).toBe('error')
  }, 60_000)

  it('two resume steps at once request one re-run only', async () => {
    const id = seedPostponed({
      version: 'v1.2.0',
      createdAt: FRIDAY,
      until: '2026-11-30T00:00:00+01:00',
      runId: 7100
    })
    api.state.delayMs = 40
    at(MONDAY)
    const [a, b] = await Promise.all([resume(MONDAY), resume(MONDAY)])
    expect(api.state.reruns).toHaveLength(1)
    expect([a.outputs.status, b.outputs.status].sort()).toEqual(['idle', 'resumed'])
    expect([a.code, b.code]).toEqual([0, 0])
    expect(deployment(id).statuses.filter((s) => s.state === 'queued')).toHaveLength(2)
  }, 60_000)
})
