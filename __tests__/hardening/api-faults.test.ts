/**
 * Hardening, point 3: the GitHub API misbehaves. Passing faults (5xx, secondary rate limit,
 * 429) are retried and the run still deploys; an API that is down before anything runs
 * aborts the run, saying why, with nothing changed; an API that goes down once the
 * deployment is under way never stops the rollback, the record or the outputs.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { DEFAULT_SHA, type RecordedRequest } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startStandIns, type StandIns } from '../../__fixtures__/start-stand-ins.js'
import { baseEnv, newJob as newRunnerJob, removeJob, runMain } from '../e2e/action-runner.js'
import {
  newJob,
  recordingClock,
  recordOf,
  runAction,
  STACK_LINE,
  type FakeCore,
  type Job
} from './harness.js'

let stand: StandIns
let service: SampleService
let monitoring: SampleService
let job: Job

beforeEach(async () => {
  stand = await startStandIns()
  // a deployment that was live before: the rollback returns to it
  stand.api.addDeployment({
    sha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    ref: 'v1.1.9',
    environment: 'production',
    payload: { version: 'v1.1.9' },
    created_at: '2026-11-20T10:00:00Z',
    statuses: [{ state: 'success', created_at: '2026-11-20T10:05:00Z' }]
  })
  service = await startSampleService()
  monitoring = await startSampleService()
  job = newJob()
})

afterEach(async () => {
  await Promise.all([stand.close(), service.close(), monitoring.close()])
  job.remove()
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.0',
    'github-token': 'ghs_faults-token',
    'migrate-check-command': 'touch ran-migrate-check',
    'backup-command': 'touch ran-backup',
    'migrate-command': 'touch ran-migrate',
    'deploy-command': 'touch ran-deploy',
    'rollback-command': 'touch ran-rollback',
    'migrate-rollback-command': 'touch ran-migrate-rollback',
    'monitoring-url': `${monitoring.url}/health`,
    'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
    'checks-timeout': '1s',
    'command-timeout': '10s',
    'monitor-duration': '0',
    ...extra
  }
}

/**
 * A back-off second of UNIT ms for the tests that time the waits: long enough that a stand-in
 * answering late (it shares the test's busy process) cannot hide a wait, short enough to cost
 * no real seconds. SLACK is what such a late answer may take off a wait as measured.
 */
const UNIT = 200
const SLACK = 100
const timed = { RED_BUTTON_BACKOFF_UNIT_MS: String(UNIT) }

const key = (q: RecordedRequest): string => `${q.method} ${q.path}?${JSON.stringify(q.query)}`

/** Requests answered `status`, each with a later successful request of the same route. */
function retried(requests: RecordedRequest[], status: number): RecordedRequest[] {
  const failed = requests.filter((q) => q.status === status)
  for (const f of failed) {
    const later = requests.slice(requests.indexOf(f) + 1)
    expect(later.find((q) => key(q) === key(f) && (q.status ?? 0) < 400)).toBeDefined()
  }
  return failed
}

/** How long the client waited before repeating `failed` (its answer to the retry's arrival). */
function waitedBeforeRetry(requests: RecordedRequest[], failed: RecordedRequest): number {
  const retry = requests.slice(requests.indexOf(failed) + 1).find((q) => key(q) === key(failed))
  return (retry?.arrivedAt ?? 0) - (failed.answeredAt ?? Infinity)
}

function deploymentStates(core: FakeCore): string[] {
  const id = Number(core.outputs['deployment-id'])
  return (stand.api.state.deployments.find((d) => d.id === id)?.statuses ?? []).map((s) => s.state)
}

describe('passing faults are retried and the run still deploys', () => {
  it('5xx answers to reads: each retried after a backoff, the deployment goes out', async () => {
    stand.api.failNext(3, 502, /^GET /)
    stand.api.failNext(1, 503, /^POST .*\/statuses$/)
    const clock = recordingClock()
    const r = await runAction(inputs(), { job, apiUrl: stand.api.url, clock, env: timed })
    expect(r.core.failures).toEqual([])
    expect(r.status).toBe('deployed')
    expect(retried(stand.api.requests, 502)).toHaveLength(3)
    expect(retried(stand.api.requests, 503)).toHaveLength(1)
    // each failed answer was waited on before it was asked again (the retry plugin: 1 s,
    // then 4 s when the retry failed too, a second being UNIT ms here); the run's own clock
    // is not what waits
    for (const f of stand.api.requests.filter((q) => (q.status ?? 0) >= 500))
      expect(waitedBeforeRetry(stand.api.requests, f)).toBeGreaterThanOrEqual(UNIT - SLACK)
    expect(deploymentStates(r.core)).toEqual(['in_progress', 'success'])
    expect(r.core.warnings).toEqual([expect.stringMatching(/^No monitoring window/)])
  })

  it('a request failing three times is still retried up to the fourth attempt', async () => {
    stand.api.failNext(3, 500, /\/check-runs$/)
    const clock = recordingClock()
    const r = await runAction(inputs(), { job, apiUrl: stand.api.url, clock, env: timed })
    expect(r.status).toBe('deployed')
    expect(
      stand.api.requests.filter((q) => /\/check-runs$/.test(q.path)).map((q) => q.status)
    ).toEqual([500, 500, 500, 200])
    // the retry plugin's growing back-off: 1 s, 4 s, 9 s (a second being UNIT ms here)
    const failures = stand.api.requests.filter((q) => q.status === 500)
    const waits = failures.map((f) => waitedBeforeRetry(stand.api.requests, f))
    expect(waits[0]).toBeGreaterThanOrEqual(UNIT - SLACK)
    expect(waits[1]).toBeGreaterThanOrEqual(4 * UNIT - SLACK)
    expect(waits[2]).toBeGreaterThanOrEqual(9 * UNIT - SLACK)
  })

  it('a 403 secondary rate limit and a 429 are waited out (Retry-After) and retried', async () => {
    stand.api.failNext(1, 403, /\/check-runs$/)
    stand.api.failNext(1, 429, /^GET .*\/deployments$/)
    const clock = recordingClock()
    const r = await runAction(inputs(), { job, apiUrl: stand.api.url, clock, env: timed })
    expect(r.core.failures).toEqual([])
    expect(r.status).toBe('deployed')
    expect(retried(stand.api.requests, 403)).toHaveLength(1)
    expect(retried(stand.api.requests, 429)).toHaveLength(1)
    // both waited the 1 s that Retry-After asked for (the throttling plugin; UNIT ms here)
    for (const f of stand.api.requests.filter((q) => q.status === 403 || q.status === 429))
      expect(waitedBeforeRetry(stand.api.requests, f)).toBeGreaterThanOrEqual(UNIT - SLACK)
  })

  it('the real bundle waits its backoff in real time and deploys', async () => {
    // a back-off second of 100 ms: long enough to tell the waits from the requests' own time
    const runner = newRunnerJob()
    try {
      stand.api.failNext(2, 502, /\/check-runs$/)
      const t0 = Date.now()
      const r = await runMain(
        runner,
        {
          ...baseEnv(runner, stand.api.url, DEFAULT_SHA),
          RED_BUTTON_NOW: '2026-11-24T10:00:00Z',
          RED_BUTTON_BACKOFF_UNIT_MS: '100'
        },
        {
          inputs: {
            ...inputs({ 'smoke-tests': '', 'pr-comment': 'false' }),
            'migrate-check-command': 'true',
            'backup-command': 'true',
            'migrate-command': 'true',
            'deploy-command': 'true'
          }
        }
      )
      expect(r.outputs.status).toBe('deployed')
      expect(r.code).toBe(0)
      expect(
        stand.api.requests.filter((q) => /\/check-runs$/.test(q.path)).map((q) => q.status)
      ).toEqual([502, 502, 200])
      // 1 s, then 4 s, of 100 ms each
      expect(Date.now() - t0).toBeGreaterThanOrEqual(500)
    } finally {
      removeJob(runner)
    }
  })
})

describe('an API that is down before anything runs', () => {
  it('aborts, says why in the failure and the record, and changes nothing', async () => {
    stand.api.failNext(10_000, 503)
    const clock = recordingClock()
    const r = await runAction(inputs(), { job, apiUrl: stand.api.url, clock })
    expect(r.thrown).toBeUndefined()
    expect(r.status).toBe('aborted')
    expect(r.core.outputs.status).toBe('aborted')
    expect(r.core.outputs.decision).toBe('abort')
    expect(r.core.outputs['deployment-id']).toBe('')

    expect(r.core.failures).toHaveLength(1)
    const message = r.core.failures[0] as string
    expect(message).toMatch(/^Red Button: aborted — /)
    expect(message).toContain('ci: could not read the checks')
    expect(message).toContain('HTTP 503')
    expect(message).not.toMatch(STACK_LINE)

    const record = recordOf(r.core.outputs)
    const item = (id: string) => record.checklist.find((i) => i.id === id)
    expect(item('ci')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('HTTP 503')
    })
    expect(item('staging')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/could not read the deployments: .*HTTP 503/)
    })
    expect(item('lock')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('HTTP 503')
    })
    expect(record.steps).toEqual([])
    expect(readFileSync(r.core.outputs['record-file'] as string, 'utf8')).toBe(
      r.core.outputs.record
    )
    expect(r.summaries.join('')).toContain('could not read the checks')

    // only the read-only migration check, part of the gate, ran; nothing was deployed
    expect(job.markers()).toEqual(['ran-migrate-check'])
    expect(stand.api.requests.filter((q) => q.method === 'POST')).toEqual([])
    // every read was tried four times before it was given up: the checks and the commit
    // status both, neither left retrying once the other had given up (src/gate/ci.ts)
    expect(stand.api.requests.filter((q) => /\/check-runs$/.test(q.path))).toHaveLength(4)
    expect(stand.api.requests.filter((q) => /\/commits\/\w+\/status$/.test(q.path))).toHaveLength(4)
    expect(r.core.warnings.some((w) => /PR comment not written/.test(w))).toBe(true)
  })
})

describe('an API that goes down once the deployment is under way', () => {
  it('deployment statuses cannot be written: deployed anyway, with warnings in the record', async () => {
    stand.api.failNext(10_000, 500, /^POST .*\/statuses$/)
    const r = await runAction(inputs(), { job, apiUrl: stand.api.url, clock: recordingClock() })
    expect(r.status).toBe('deployed')
    expect(r.core.failures).toEqual([])
    expect(deploymentStates(r.core)).toEqual([])
    const record = recordOf(r.core.outputs)
    expect(record.warnings).toEqual([
      expect.stringMatching(/^Could not set deployment #\d+ to in_progress: .*HTTP 500/),
      expect.stringMatching(/^Could not set deployment #\d+ to success: .*HTTP 500/)
    ])
    expect(r.core.warnings).toEqual(expect.arrayContaining(record.warnings ?? []))
  })

  it('down from the deploy on: the rollback still runs, record and outputs are written', async () => {
    service.break()
    // the PR the commit came from: its comment is found early, written at the end (and fails)
    stand.api.addPull(DEFAULT_SHA, { number: 7, title: 'Ship it', head_ref: 'feature/ship' })
    const r = await runAction(inputs(), {
      job,
      apiUrl: stand.api.url,
      clock: recordingClock(),
      onCore: (core) => {
        const save = core.saveState.bind(core)
        core.saveState = (name, value) => {
          save(name, value)
          // the deploy command is about to start: from now on GitHub answers nothing but 503
          if (name === 'started-steps' && String(value).split(',').includes('deploy'))
            stand.api.failNext(10_000, 503)
        }
      }
    })
    expect(r.thrown).toBeUndefined()
    expect(r.status).toBe('rolled-back')
    expect(job.markers().sort()).toEqual([
      'ran-backup',
      'ran-deploy',
      'ran-migrate',
      'ran-migrate-check',
      'ran-migrate-rollback',
      'ran-rollback'
    ])
    // GitHub saw the deployment start, never its end
    expect(deploymentStates(r.core)).toEqual(['in_progress'])

    expect(r.core.outputs.status).toBe('rolled-back')
    expect(r.core.outputs['deployment-id']).toMatch(/^\d+$/)
    expect(r.core.outputs['previous-version']).toBe('v1.1.9')
    const record = recordOf(r.core.outputs)
    expect(record.status).toBe('rolled-back')
    expect(record.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'backup:pass',
      'migrate:pass',
      'deploy:pass',
      'smoke:fail',
      'rollback:pass',
      'migrate-rollback:pass'
    ])
    expect(record.warnings).toEqual([
      expect.stringMatching(/^Could not set deployment #\d+ to failure: .*HTTP 503/)
    ])
    expect(r.core.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Could not set deployment #\d+ to failure/),
        expect.stringMatching(/^PR comment not written/)
      ])
    )
    const file = r.core.outputs['record-file'] as string
    expect(existsSync(file) && readFileSync(file, 'utf8')).toBe(r.core.outputs.record)
    expect(r.summaries).toHaveLength(1)
    expect(r.core.failures).toEqual([
      expect.stringMatching(/^Red Button: rolled-back — smoke test/)
    ])
    expect(r.core.failures[0]).not.toMatch(STACK_LINE)
  })
})
