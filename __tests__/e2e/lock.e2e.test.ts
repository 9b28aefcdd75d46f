import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { DEFAULT_SHA, startGitHubApi, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { seedGreenRepo, seedStagingSuccess } from '../../__fixtures__/start-stand-ins.js'
import {
  baseEnv,
  newJob,
  removeJob,
  runMain,
  type RunnerJob,
  type StepResult
} from './action-runner.js'

const TUESDAY = '2026-11-24T10:00:00Z'

let api: GitHubApi
let monitoring: SampleService
const jobs: RunnerJob[] = []

beforeEach(async () => {
  api = await startGitHubApi()
  seedGreenRepo(api, DEFAULT_SHA)
  seedStagingSuccess(api, DEFAULT_SHA, 'v1.2.0')
  monitoring = await startSampleService()
})

afterEach(async () => {
  await api.close()
  await monitoring.close()
  for (const job of jobs.splice(0)) removeJob(job)
})

function deploy(runId: number, extra: Record<string, string> = {}): Promise<StepResult> {
  const job = newJob()
  jobs.push(job)
  return runMain(
    job,
    {
      ...baseEnv(job, api.url, DEFAULT_SHA),
      GITHUB_RUN_ID: String(runId),
      RED_BUTTON_NOW: TUESDAY
    },
    {
      inputs: {
        environment: 'production',
        // not about code review (its own tests turn it on)
        'required-approvals': '0',
        version: 'v1.2.0',
        'monitoring-url': `${monitoring.url}/health`,
        'deploy-command': 'sleep 1',
        'rollback-command': 'true',
        'monitor-duration': '0',
        'pr-comment': 'false',
        ...extra
      }
    }
  )
}

function lockItem(r: StepResult) {
  const record = yaml.load(r.outputs.record ?? '') as {
    deployment: { checklist: Array<{ id: string; status: string; detail: string }> }
  }
  return record.deployment.checklist.find((i) => i.id === 'lock')
}

describe('one deployment at a time per environment', () => {
  it('two runs racing through the gate: the later one yields and names the holder', async () => {
    // every API answer takes a moment, so both runs pass the gate before either deploys
    api.state.delayMs = 30
    // The deploy command holds until the test lets it go, which it does only once one run
    // has ended: if neither yielded, both would hang here and the test would time out.
    const gate = mkdtempSync(join(tmpdir(), 'red-button-race-'))
    const release = join(gate, 'release')
    const hold = { 'deploy-command': `until [ -f '${release}' ]; do sleep 0.05; done` }
    const runs = [deploy(8001, hold), deploy(8002, hold)]
    await Promise.race(runs)
    writeFileSync(release, '')
    const results = await Promise.all(runs)
    rmSync(gate, { recursive: true, force: true })
    const statuses = results.map((r) => r.outputs.status).sort()
    expect(statuses).toEqual(['aborted', 'deployed'])
    const loser = results.find((r) => r.outputs.status === 'aborted') as StepResult
    const winner = results.find((r) => r.outputs.status === 'deployed') as StepResult
    expect(lockItem(loser)?.status).toBe('fail')
    expect(lockItem(loser)?.detail).toContain(`#${winner.outputs['deployment-id']}`)
    // Usually both pass the gate and the later one yields after creating its deployment;
    // when the winner was quicker, the gate itself refuses. Either way nothing is left open.
    const loserId = loser.outputs['deployment-id']
    if (loserId) {
      expect(loser.outputs.record).toMatch(
        /yielded to deployment #\d+ \(https:\/\/github\.example\/acme\/shop\/actions\/runs\/800[12]\)/
      )
      const loserDeployment = api.state.deployments.find((d) => String(d.id) === loserId)
      expect(loserDeployment?.statuses.at(-1)?.state).toBe('error')
    }
    expect(loser.code).toBe(1)
  })

  it('a run that started between our gate and our deployment wins: we yield after creating ours', async () => {
    let rival = 0
    api.state.beforeCreateDeployment = () => {
      rival = api.addDeployment({
        sha: DEFAULT_SHA,
        ref: 'v1.2.0',
        environment: 'production',
        payload: { version: 'v1.2.0', tool: 'red-button' },
        statuses: [
          { state: 'queued', log_url: 'https://github.example/acme/shop/actions/runs/6999' }
        ]
      })
    }
    const r = await deploy(7001)
    expect(r.outputs.status).toBe('aborted')
    expect(r.outputs.decision).toBe('abort')
    expect(lockItem(r)?.detail).toContain(`#${rival}`)
    expect(r.outputs.record).toContain(
      `yielded to deployment #${rival} (https://github.example/acme/shop/actions/runs/6999)`
    )
    const ours = api.state.deployments.find((d) => String(d.id) === r.outputs['deployment-id'])
    // marked in_progress while it looked again (the two go out together), then error
    expect(ours?.statuses.map((s) => s.state)).toEqual(['in_progress', 'error'])
  })

  it('a deployment still in progress from another run blocks, naming that run', async () => {
    api.addDeployment({
      sha: DEFAULT_SHA,
      ref: 'v1.1.9',
      environment: 'production',
      payload: { version: 'v1.1.9', tool: 'red-button' },
      statuses: [
        { state: 'in_progress', log_url: 'https://github.example/acme/shop/actions/runs/7000' }
      ]
    })
    const r = await deploy(7001)
    expect(r.outputs.status).toBe('aborted')
    expect(lockItem(r)?.detail).toMatch(/is in_progress .*actions\/runs\/7000/)
  })

  it('the deployment GitHub made for this very job (environment: on the job) does not block', async () => {
    api.addDeployment({
      sha: DEFAULT_SHA,
      ref: 'main',
      environment: 'production',
      statuses: [
        {
          state: 'in_progress',
          log_url: 'https://github.example/acme/shop/actions/runs/7001/job/99'
        }
      ]
    })
    const r = await deploy(7001)
    expect(lockItem(r)?.status).toBe('pass')
    expect(r.outputs.status).toBe('deployed')
  })
})
