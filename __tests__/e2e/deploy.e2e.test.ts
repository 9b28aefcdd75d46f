import { beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import type { SampleService } from '../../__fixtures__/sample-service.js'
import {
  baseEnv,
  runMain,
  runPost,
  signalWhen,
  type RunnerJob,
  type StepResult
} from './action-runner.js'
import { releaseStandIns } from './release-steps.js'

// Tuesday 2026-11-24 10:00 UTC: outside every default freeze window.
const TUESDAY = '2026-11-24T10:00:00Z'

// Each command appends its phase to one log, so the order can be asserted.
const stand = releaseStandIns(
  'echo "$1 $DEPLOY_PHASE $DEPLOY_VERSION prev=$DEPLOY_PREVIOUS_VERSION" >> "$GITHUB_WORKSPACE/order.log"\nexit "${2:-0}"\n'
)
let api: GitHubApi
let service: SampleService
/** stands for the monitoring system, which stays up whatever happens to the service */
let monitoring: SampleService
let job: RunnerJob
beforeEach(() => {
  ;({ api, service, monitoring, job } = stand)
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.0',
    timezone: 'Europe/Paris',
    'monitoring-url': monitoring.url + '/health',
    'migrate-check-command': 'bash step.sh migrate-check',
    'backup-command': 'bash step.sh backup',
    'migrate-command': 'bash step.sh migrate',
    'deploy-command': 'bash step.sh deploy',
    'rollback-command': 'bash step.sh rollback',
    'migrate-rollback-command': 'bash step.sh migrate-rollback',
    'smoke-tests': `- name: Health\n  url: ${service.url}/health\n- name: Homepage\n  url: ${service.url}/\n  contains: Welcome`,
    'monitor-duration': '2s',
    'monitor-interval': '500ms',
    'command-timeout': '20s',
    'pr-comment': 'false',
    ...extra
  }
}

function env(): Record<string, string> {
  return { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: TUESDAY }
}

function order(): string[] {
  const file = join(job.workspace, 'order.log')
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0] as string)
    : []
}

function record(r: StepResult) {
  return (yaml.load(r.outputs.record ?? '') as { deployment: Record<string, unknown> }).deployment
}

function statesOf(id: string | undefined): string[] {
  const d = api.state.deployments.find((x) => String(x.id) === id)
  return (d?.statuses ?? []).map((s) => s.state)
}

describe('a deployment run by dist/ as a runner runs it', () => {
  it('goes migrate-check → backup → migrate → deploy → smoke → monitor → success', async () => {
    const r = await runMain(job, env(), { inputs: inputs() })
    expect(r.outputs.status).toBe('deployed')
    expect(r.code).toBe(0)
    expect(order()).toEqual(['migrate-check', 'backup', 'migrate', 'deploy'])
    expect(readFileSync(join(job.workspace, 'order.log'), 'utf8')).toContain(
      'deploy deploy v1.2.0 prev=v1.1.9'
    )
    expect(r.outputs['previous-version']).toBe('v1.1.9')
    expect(statesOf(r.outputs['deployment-id'])).toEqual(['in_progress', 'success'])
    const created = api.requests.find((q) => q.method === 'POST' && /\/deployments$/.test(q.path))
    expect(created?.body).toMatchObject({
      ref: DEFAULT_SHA,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      production_environment: true
    })
    const rec = record(r)
    expect(
      (rec.steps as Array<{ name: string; status: string }>).map((s) => `${s.name}:${s.status}`)
    ).toEqual(['backup:pass', 'migrate:pass', 'deploy:pass', 'smoke:pass', 'monitor:pass'])
    expect((rec.monitor as { rounds: number }).rounds).toBe(5)
    expect(r.summary).toContain('```mermaid')
  })

  it('rolls back at once when a smoke test fails: code first, then schema, no monitoring wait', async () => {
    service.break()
    const r = await runMain(job, env(), { inputs: inputs({ 'monitor-duration': '10m' }) })
    expect(r.outputs.status).toBe('rolled-back')
    expect(r.code).toBe(1)
    expect(order()).toEqual([
      'migrate-check',
      'backup',
      'migrate',
      'deploy',
      'rollback',
      'migrate-rollback'
    ])
    expect(statesOf(r.outputs['deployment-id'])).toEqual(['in_progress', 'failure'])
    const steps = record(r).steps as Array<{ name: string; status: string }>
    expect(steps.map((s) => s.name)).not.toContain('monitor')
  })

  it('rolls back within about one interval when monitoring sees a failure', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({ 'monitor-duration': '30s', 'monitor-interval': '1s' }),
      onSpawn: () => {
        // healthy through the smoke tests and the first rounds, broken afterwards
        void service.waitForRequests(6).then(() => service.break())
      }
    })
    expect(r.outputs.status).toBe('rolled-back')
    expect(order().slice(-2)).toEqual(['rollback', 'migrate-rollback'])
    const monitor = (
      record(r).steps as Array<{ name: string; duration_ms: number; status: string }>
    ).find((s) => s.name === 'monitor')
    expect(monitor?.status).toBe('fail')
    expect(monitor?.duration_ms).toBeLessThan(10_000)
  })

  it('a deploy failure rolls back code and schema', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({ 'deploy-command': 'bash step.sh deploy 3' })
    })
    expect(r.outputs.status).toBe('rolled-back')
    expect(order()).toEqual([
      'migrate-check',
      'backup',
      'migrate',
      'deploy',
      'rollback',
      'migrate-rollback'
    ])
    const deploy = (record(r).steps as Array<{ name: string; exit_code?: number }>).find(
      (s) => s.name === 'deploy'
    )
    expect(deploy?.exit_code).toBe(3)
  })

  it('a failed backup stops before any change: nothing to roll back', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({ 'backup-command': 'bash step.sh backup 2' })
    })
    expect(r.outputs.status).toBe('aborted')
    expect(r.code).toBe(1)
    expect(order()).toEqual(['migrate-check', 'backup'])
    const d = api.state.deployments.find((x) => String(x.id) === r.outputs['deployment-id'])
    expect(d?.statuses.at(-1)).toMatchObject({
      state: 'failure',
      description: expect.stringMatching(/^Stopped before any change: backup failed/)
    })
  })

  it('a migration failure reverts the schema and never deploys', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({ 'migrate-command': 'bash step.sh migrate 1' })
    })
    expect(r.outputs.status).toBe('rolled-back')
    expect(order()).toEqual(['migrate-check', 'backup', 'migrate', 'migrate-rollback'])
  })

  it('a failing rollback ends rollback-failed, with an error annotation and status error', async () => {
    service.break()
    const r = await runMain(job, env(), {
      inputs: inputs({ 'rollback-command': 'bash step.sh rollback 1' })
    })
    expect(r.outputs.status).toBe('rollback-failed')
    expect(r.stdout).toMatch(
      /::error title=Red Button%3A rollback failed::Rollback did not complete: production may be running v1\.2\.0/
    )
    expect(statesOf(r.outputs['deployment-id'])).toEqual(['in_progress', 'error'])
    // the schema rollback is still attempted after the code rollback failed
    expect(order().slice(-2)).toEqual(['rollback', 'migrate-rollback'])
  })

  it('a hung command is ended at command-timeout and counts as failed', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({ 'deploy-command': 'bash step.sh deploy; sleep 60', 'command-timeout': '1s' })
    })
    expect(r.outputs.status).toBe('rolled-back')
    const deploy = (record(r).steps as Array<{ name: string; reason?: string }>).find(
      (s) => s.name === 'deploy'
    )
    expect(deploy?.reason).toMatch(/timed out after 1s/)
  })

  it('SIGINT during monitoring rolls back and leaves a final status: cancelled', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({ 'monitor-duration': '60s', 'monitor-interval': '500ms' }),
      onSpawn: signalWhen('monitor round 2/', 'SIGINT')
    })
    expect(r.outputs.status).toBe('cancelled')
    expect(order().slice(-2)).toEqual(['rollback', 'migrate-rollback'])
    expect(statesOf(r.outputs['deployment-id'])).toEqual(['in_progress', 'failure'])
  })

  it('SIGTERM during the deploy command stops it, rolls back, and writes the final status', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({
        'deploy-command': 'bash step.sh deploy; echo "now $DEPLOY_PHASE-ing"; sleep 60'
      }),
      onSpawn: signalWhen('now deploy-ing', 'SIGTERM')
    })
    expect(r.outputs.status).toBe('cancelled')
    expect(order()).toEqual([
      'migrate-check',
      'backup',
      'migrate',
      'deploy',
      'rollback',
      'migrate-rollback'
    ])
    expect(statesOf(r.outputs['deployment-id'])).toEqual(['in_progress', 'failure'])
  })

  it('a main step killed outright is finished by the post step', async () => {
    const marker = join(job.workspace, 'deploy-still-running')
    const main = await runMain(job, env(), {
      inputs: inputs({
        'deploy-command': `bash step.sh deploy; echo "now $DEPLOY_PHASE-ing"; sleep 60; touch ${marker}`
      }),
      onSpawn: signalWhen('now deploy-ing', 'SIGKILL')
    })
    expect(main.signal).toBe('SIGKILL')
    const id = main.state['deployment-id']
    expect(statesOf(id)).toEqual(['in_progress'])
    const post = await runPost(job, env(), { inputs: inputs() })
    expect(post.stdout).toContain('finishing it now')
    expect(statesOf(id)).toEqual(['in_progress', 'failure'])
    expect(order()).toEqual([
      'migrate-check',
      'backup',
      'migrate',
      'deploy',
      'rollback',
      'migrate-rollback'
    ])
    expect(post.summary).toContain('cancelled')
    expect(existsSync(marker)).toBe(false)
  })

  it('the post step after a finished main step does nothing', async () => {
    const main = await runMain(job, env(), { inputs: inputs({ 'monitor-duration': '0' }) })
    expect(main.outputs.status).toBe('deployed')
    const before = api.requests.length
    const post = await runPost(job, env(), { inputs: inputs({ 'monitor-duration': '0' }) })
    expect(post.code).toBe(0)
    expect(api.requests.length).toBe(before)
  })
})

describe('commands behave like run: steps (dist/)', () => {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0)
      return !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'))
    } catch {
      return false
    }
  }
  const pidIn = (name: string): number =>
    Number(readFileSync(join(job.workspace, name), 'utf8').trim())

  it('a process the deploy starts in the background runs on through the smoke tests and the watch', async () => {
    // a chatty server: its output must not end it once the deploy command has exited
    const server = 'sh -c "while true; do echo serving; sleep 0.1; done" & echo $! > server.pid'
    const stillThere = 'kill -0 "$(cat server.pid)"'
    const r = await runMain(job, env(), {
      inputs: inputs({
        'deploy-command': server,
        'smoke-tests': `- name: Server runs\n  run: ${stillThere}`,
        'monitor-checks': `- name: Server still runs\n  run: ${stillThere}`,
        'monitor-duration': '1500ms',
        'monitor-interval': '500ms'
      })
    })
    const pid = pidIn('server.pid')
    try {
      expect(r.outputs.status).toBe('deployed')
      expect(r.stdout).toMatch(/monitor round 4\/4: 1\/1 checks healthy/)
      // and after the step, as after a run: step, until the job ends
      expect(alive(pid)).toBe(true)
    } finally {
      process.kill(pid, 'SIGKILL')
    }
  })

  it('a deploy that times out leaves nothing running, its background jobs included', async () => {
    const r = await runMain(job, env(), {
      inputs: inputs({
        'deploy-command': 'sleep 300 & echo $! > job.pid; sleep 300',
        'command-timeout': '1s'
      })
    })
    expect(r.outputs.status).toBe('rolled-back')
    expect(alive(pidIn('job.pid'))).toBe(false)
  })
})
