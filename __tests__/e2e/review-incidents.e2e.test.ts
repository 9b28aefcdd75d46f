import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import yaml from 'js-yaml'
import { startAlertmanager, type AlertmanagerStandIn } from '../../__fixtures__/alertmanager.js'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { baseEnv, newJob, removeJob, runMain, type RunnerJob } from './action-runner.js'

/** The review and incidents items of a production release, run by dist/ as a runner runs it. */

const TUESDAY = '2026-11-24T10:00:00Z'

let api: GitHubApi
let am: AlertmanagerStandIn
let service: SampleService
let job: RunnerJob

beforeEach(async () => {
  ;[api, am, service] = await Promise.all([
    startReleasableApi(),
    startAlertmanager(),
    startSampleService()
  ])
  job = newJob()
})
afterEach(async () => {
  await Promise.all([api.close(), am.close(), service.close()])
  removeJob(job)
})

function release(extra: Record<string, string> = {}) {
  return runMain(
    job,
    { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: TUESDAY },
    {
      inputs: {
        environment: 'production',
        version: 'v1.2.0',
        'monitoring-url': `${service.url}/health`,
        'deploy-command': 'true',
        'rollback-command': 'echo rolled back',
        'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
        'monitor-duration': '2s',
        'monitor-interval': '500ms',
        'pr-comment': 'false',
        ...extra
      }
    }
  )
}

const item = (record: string | undefined, id: string) =>
  (
    yaml.load(record ?? '') as {
      deployment: { checklist: Array<{ id: string; status: string; detail: string }> }
    }
  ).deployment.checklist.find((i) => i.id === id)

describe('a production release (dist/)', () => {
  it('of a commit pushed straight to main aborts on review; through an approved PR it goes out', async () => {
    const pushed = await release()
    expect(pushed.code).toBe(1)
    expect(pushed.outputs.status).toBe('aborted')
    expect(item(pushed.outputs.record, 'review')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no approved pull request')
    })
    expect(api.state.deployments.filter((d) => d.environment === 'production')).toHaveLength(0)

    api.addPull(DEFAULT_SHA, {
      number: 42,
      title: 'Add exports',
      head_ref: 'feature/exports',
      state: 'merged',
      user: 'alice'
    })
    api.addReview(42, 'bob', 'APPROVED')
    const reviewed = await release()
    expect(reviewed.outputs.status).toBe('deployed')
    expect(item(reviewed.outputs.record, 'review')).toMatchObject({
      status: 'pass',
      detail: '#42 approved by bob'
    })
  })

  it('a firing critical alert aborts a P3 release and lets a P1 hotfix by a maintainer through', async () => {
    am.fire({ alertname: 'CheckoutDown', severity: 'critical' })
    const inputs = {
      'required-approvals': '0',
      'alertmanager-url': am.url,
      'alert-filter': 'severity="critical"'
    }
    const p3 = await release(inputs)
    expect(p3.outputs.status).toBe('aborted')
    expect(item(p3.outputs.record, 'incidents')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^1 alert firing: CheckoutDown \(critical\)/)
    })

    api.setPermission('alice', 'maintain')
    const p1 = await release({ ...inputs, urgency: 'P1', reason: 'the fix for CheckoutDown' })
    expect(p1.outputs.status).toBe('deployed')
    expect(item(p1.outputs.record, 'incidents')?.detail).toMatch(/^P1 hotfix while 1 alert fires/)
    // the alert that was firing at the gate is not held against the watch
    expect(p1.stdout).toMatch(/monitor round \d+\/5: 2\/2 checks healthy/)
  })

  it('an alert that starts firing during the watch rolls the deployment back', async () => {
    const running = release({
      'required-approvals': '0',
      'alertmanager-url': am.url,
      'monitor-duration': '30s',
      'monitor-interval': '500ms'
    })
    // once the watch has asked twice, an alert starts
    const fire = (async () => {
      while (am.queries.length < 3) await new Promise((r) => setTimeout(r, 20))
      am.fire({ alertname: 'LatencyHigh', severity: 'warning' })
    })()
    const r = await running
    await fire
    expect(r.outputs.status).toBe('rolled-back')
    expect(r.stdout).toContain('rolled back')
    expect(r.stdout).toMatch(/Alertmanager — started firing: LatencyHigh \(warning\)/)
    const record = yaml.load(r.outputs.record ?? '') as {
      deployment: { monitor: { rounds: number; results: Array<{ name: string; ok: boolean }> } }
    }
    expect(record.deployment.monitor.results).toContainEqual(
      expect.objectContaining({ name: 'Alertmanager', ok: false })
    )
    // the alert started after the gate's question and two rounds: the round after it (or, if
    // the alert came a moment late for that one, the next) rolled back, long before 30 s
    expect(record.deployment.monitor.rounds).toBeGreaterThanOrEqual(3)
    expect(record.deployment.monitor.rounds).toBeLessThanOrEqual(4)
  })
})
