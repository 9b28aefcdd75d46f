import { beforeEach, describe, expect, it } from '@jest/globals'
import yaml from 'js-yaml'
import type { GitHubApi } from '../../__fixtures__/github-api.js'
import type { SampleService } from '../../__fixtures__/sample-service.js'
import { seedDeploymentAgo, type StatusAgo } from '../../__fixtures__/start-stand-ins.js'
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
 * A region postponed until the canary's bake completes, then resumed (issue 20; docs/design.md
 * sections 5 and 14), through dist/ as a runner runs it: production-eu waits for the commit to
 * bake 30 min on production-canary; the resume step leaves it alone while it bakes, re-runs its
 * job once it has baked, and the re-run deploys on the same GitHub deployment. The clock is
 * moved with RED_BUTTON_NOW (and the stand-in's own clock), never waited for.
 */

const MINUTE = 60_000
const NOW = '2026-12-01T09:00:00Z' // Tuesday 10:00 in Paris, outside every default window
const BAKED = '2026-12-01T10:20:00+01:00' // the canary succeeded 10 min before NOW; 30 min bake
const RELEASE_RUN = 7301
const RESUME_RUN = 9301

const later = (min: number) => new Date(Date.parse(NOW) + min * MINUTE).toISOString()

// the canary's deployments are each test's own
const stand = queueStandIns({ releaseRun: RELEASE_RUN, resumeRun: RESUME_RUN, staged: false })
let api: GitHubApi
let monitoring: SampleService
beforeEach(() => {
  ;({ api, monitoring } = stand)
})
const { at, queue } = stand

/** A deployment of the commit to `environment`, its statuses `[state, minutes before NOW]`. */
const deployed = (environment: string, statuses: StatusAgo[]): number =>
  seedDeploymentAgo(api, environment, NOW, statuses)

function release(now: string, env: Record<string, string> = {}) {
  return releaseStep(
    queue(),
    now,
    releaseInputs(monitoring.url, {
      environment: 'production-eu',
      'production-environments': 'production-canary, production-eu',
      'staging-environment': 'production-canary',
      'bake-time': '30m'
    }),
    env
  )
}

const resume = (now: string, inputs: Record<string, string> = {}) =>
  resumeStep(queue(), now, inputs)

const deployment = (id: number) => deploymentOf(api, id)

type Checklist = Array<{ id: string; status: string; detail: string }>
const recordOf = (outputs: Record<string, string>) =>
  (yaml.load(outputs.record ?? '') as { deployment: Record<string, unknown> }).deployment
const stagingItem = (outputs: Record<string, string>) =>
  (recordOf(outputs).checklist as Checklist).find((i) => i.id === 'staging')

describe("a region postponed until the canary's bake completes", () => {
  it('is left waiting while the canary bakes, re-run once it has baked, and deployed on the same deployment', async () => {
    deployed('staging', [['success', 120]])
    const canary = deployed('production-canary', [
      ['in_progress', 12],
      ['success', 10]
    ])

    // Tuesday 10:00: the canary has baked 10 min of 30, the region waits until 10:20
    at(NOW)
    api.addRun({ id: RELEASE_RUN, status: 'in_progress', created_at: NOW })
    const ownJob = api.addJob({ run_id: RELEASE_RUN, name: 'release', runner_name: 'runner-7' })
    const first = await release(NOW)
    expect(first.outputs.status).toBe('postponed')
    expect(first.outputs.decision).toBe('postpone')
    expect(first.outputs['next-window']).toBe(BAKED)
    expect(stagingItem(first.outputs)).toMatchObject({ status: 'fail' })
    expect(stagingItem(first.outputs)?.detail).toMatch(
      new RegExp(`^production-canary: v1\\.2\\.0 live 10 min.*\\(deployment #${canary}\\)`)
    )
    const id = Number(first.outputs['deployment-id'])
    expect(id).toBeGreaterThan(0)
    const d = deployment(id)
    expect(d.environment).toBe('production-eu')
    expect(d.payload).toMatchObject({
      tool: 'red-button',
      red_button: {
        version: 'v1.2.0',
        postponed_until: BAKED,
        run_id: RELEASE_RUN,
        run_attempt: 1,
        job: 'release',
        job_id: ownJob.id
      }
    })
    expect(d.statuses.map((s) => s.state)).toEqual(['queued'])
    expect(d.statuses[0]?.description).toBe('until Tue 1 Dec 10:20 Europe/Paris: Staging validated')
    expect(recordOf(first.outputs).postponed_until).toBe(BAKED)

    // the postponed job failed (status postponed): its run is over
    api.state.runs.find((r) => r.id === RELEASE_RUN)!.status = 'completed'
    ownJob.status = 'completed'

    // 10:15, five minutes before the bake completes: the resume step leaves it waiting
    at(later(15))
    const early = await resume(later(15))
    expect(early.outputs.status).toBe('idle')
    expect(early.outputs.resumed).toBe('[]')
    expect(api.state.reruns).toEqual([])
    expect(deployment(id).statuses).toHaveLength(1)

    // 10:21, the bake is complete: one re-run of the release job
    at(later(21))
    const due = await resume(later(21))
    expect(due.outputs.status).toBe('resumed')
    expect(JSON.parse(due.outputs.resumed ?? '')).toEqual([
      expect.objectContaining({
        environment: 'production-eu',
        version: 'v1.2.0',
        deployment_id: id
      })
    ])
    expect(api.state.reruns).toEqual([
      expect.objectContaining({ run_id: RELEASE_RUN, job_id: ownJob.id, attempt: 2 })
    ])
    expect(deployment(id).statuses.at(-1)?.description).toMatch(
      /resume requested: job release re-run/
    )

    // the re-run (attempt 2) passes the bake and deploys on the same deployment
    at(later(22))
    const rerun = await release(later(22), RERUN_ENV)
    expectDeployedOnSame(api, rerun, id, 'production-eu')
    const record = recordOf(rerun.outputs)
    expect(record.resumed).toEqual({
      from_run: `https://github.example/acme/shop/actions/runs/${RELEASE_RUN}`,
      postponed_at: '2026-12-01T10:00:00+01:00',
      attempt: 2
    })
    expect(stagingItem(rerun.outputs)?.status).toBe('pass')
    expect(stagingItem(rerun.outputs)?.detail).toMatch(
      new RegExp(
        `^production-canary: v1\\.2\\.0 live 32 min.*\\(deployment #${canary}\\); baked 32 min( \\d+ s)? on production-canary, needs 30 min$`
      )
    )
  }, 120_000)
})
