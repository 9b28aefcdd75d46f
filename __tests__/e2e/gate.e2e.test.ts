import { beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { DEFAULT_SHA, startGitHubApi, type GitHubApi } from '../../__fixtures__/github-api.js'
import { seedGreenRepo } from '../../__fixtures__/start-stand-ins.js'
import { baseEnv, parseCommandFile, runMain, type RunnerJob, signalWhen } from './action-runner.js'
import { gateStandIns } from './gate-steps.js'

// Friday 2026-11-27 15:00 in Paris (UTC+1) is 14:00 UTC: inside the default freeze.
const FRIDAY_1500_PARIS = '2026-11-27T14:00:00Z'
// Thursday 2026-11-26 10:00 in Paris: outside every default window.
const THURSDAY_1000_PARIS = '2026-11-26T09:00:00Z'

const stand = gateStandIns()
const { inputs, main } = stand
let api: GitHubApi
let job: RunnerJob
beforeEach(() => {
  ;({ api, job } = stand)
})

function recordOf(outputs: Record<string, string>) {
  return (yaml.load(outputs.record ?? '') as { deployment: Record<string, unknown> }).deployment
}

function item(outputs: Record<string, string>, id: string) {
  const checklist = recordOf(outputs).checklist as Array<{
    id: string
    status: string
    detail: string
  }>
  return checklist.find((i) => i.id === id)
}

describe('dist/index.js as a runner runs it (gate and dry run)', () => {
  it('plans a green production release, with outputs, record file and summary', async () => {
    const r = await main(THURSDAY_1000_PARIS)
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('planned')
    expect(r.outputs.decision).toBe('go')
    // the next allowed instant is the run's own "now": the scene's clock plus the time the
    // step took to get there (measured, not bounded: a busy machine takes longer)
    const next = r.outputs['next-window'] ?? ''
    expect(next).toMatch(/^2026-11-26T10:\d\d:\d\d\+01:00$/)
    expect(Date.parse(next)).toBeGreaterThanOrEqual(Date.parse(THURSDAY_1000_PARIS))
    expect(Date.parse(next)).toBeLessThanOrEqual(Date.parse(THURSDAY_1000_PARIS) + r.ms + 1000)
    const record = recordOf(r.outputs)
    expect(Object.keys(record).slice(0, 7)).toEqual([
      'version',
      'environment',
      'checklist',
      'migrations',
      'rollback_plan',
      'notify',
      'smoke_tests'
    ])
    expect((record.checklist as unknown[]).length).toBe(10)
    expect(item(r.outputs, 'ci')).toMatchObject({
      status: 'pass',
      detail: '4 of 4 checks succeeded'
    })
    expect(item(r.outputs, 'staging')?.status).toBe('pass')
    expect(readFileSync(r.outputs['record-file'] ?? '', 'utf8')).toBe(r.outputs.record)
    expect(r.outputs['record-file']?.startsWith(job.temp)).toBe(true)
    expect(r.summary).toContain('| CI checks pass | ✅ pass |')
    expect(r.summary).toContain('```yaml')
    // a dry run creates no deployment
    expect(api.state.deployments.filter((d) => d.environment === 'production')).toHaveLength(0)
  })

  it('postpones on Friday 15:00 in Paris until Monday 00:00, exit 0 in a dry run', async () => {
    const r = await main(FRIDAY_1500_PARIS)
    expect(r.code).toBe(0)
    expect(r.outputs.decision).toBe('postpone')
    expect(r.outputs['next-window']).toBe('2026-11-30T00:00:00+01:00')
    expect(item(r.outputs, 'window')).toMatchObject({
      status: 'fail',
      item: 'Not Friday after 14:00'
    })
  })

  it('lets a maintainer P1 with a reason through on Friday afternoon', async () => {
    api.setPermission('alice', 'maintain')
    const r = await main(FRIDAY_1500_PARIS, { urgency: 'P1', reason: 'checkout is down' })
    expect(r.outputs.decision).toBe('go')
    expect(item(r.outputs, 'window')?.detail).toContain('P1')
    expect(recordOf(r.outputs).reason).toBe('checkout is down')
  })

  it('refuses the P1 override of a write user: still postponed', async () => {
    api.setPermission('alice', 'write')
    const r = await main(FRIDAY_1500_PARIS, { urgency: 'P1', reason: 'checkout is down' })
    expect(r.outputs.decision).toBe('postpone')
    expect(item(r.outputs, 'window')?.detail).toMatch(/override refused.*write/)
  })

  it('a real (non dry) run that is postponed fails the step', async () => {
    const r = await main(FRIDAY_1500_PARIS, { 'dry-run': 'false' })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('postponed')
    expect(r.outputs['next-window']).toBe('2026-11-30T00:00:00+01:00')
    expect(r.stdout).toContain('::error::')
  })

  it('ignores RED_BUTTON_NOW in a real run on GitHub Actions: the real clock judges the freeze', async () => {
    // a freeze window around the pretended instant only, years before any real clock
    const real = {
      'dry-run': 'false',
      environment: 'qa',
      'deploy-command': 'true',
      'rollback-command': 'true',
      'monitor-duration': '0',
      freeze:
        '- from: "2020-01-03 00:00"\n  to: "2020-01-04 00:00"\n  name: Pretend freeze\n  environments: [qa]'
    }
    const onActions = await main('2020-01-03T12:00:00Z', real, { GITHUB_ACTIONS: 'true' })
    expect(onActions.outputs.decision).toBe('go')
    expect(onActions.outputs.status).toBe('deployed')
    expect(onActions.stdout).not.toContain('RED_BUTTON_NOW')
    // the same outside GitHub Actions (a local run) is judged at the pretended instant
    const local = await main('2020-01-03T12:00:00Z', real)
    expect(local.outputs.decision).toBe('postpone')
    expect(local.stdout).toContain(
      'RED_BUTTON_NOW: evaluating as if it were 2020-01-03T12:00:00.000Z'
    )
  })

  it('a local run (not on GitHub Actions) gets its output, state and summary files made', async () => {
    const local = join(job.dir, 'local-run', 'nested')
    const files = {
      GITHUB_OUTPUT: join(local, 'output'),
      GITHUB_STATE: join(local, 'state'),
      GITHUB_STEP_SUMMARY: join(local, 'summary.md')
    }
    const r = await main(THURSDAY_1000_PARIS, {}, files)
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('::set-output')
    expect(parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')).status).toBe('planned')
    expect(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')).toContain('Red Button')
  })

  it('aborts when a check run failed', async () => {
    api.addCheckRun(DEFAULT_SHA, { name: 'e2e', status: 'completed', conclusion: 'failure' })
    const r = await main(THURSDAY_1000_PARIS, { 'dry-run': 'false' })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('aborted')
    expect(r.outputs.decision).toBe('abort')
    expect(item(r.outputs, 'ci')).toMatchObject({ status: 'fail', detail: 'failed: e2e (failure)' })
  })

  it('aborts production without a successful staging deployment of the commit', async () => {
    await api.close()
    api = await startGitHubApi()
    seedGreenRepo(api, DEFAULT_SHA)
    const r = await main(THURSDAY_1000_PARIS, { 'dry-run': 'false' })
    expect(r.outputs.status).toBe('aborted')
    expect(item(r.outputs, 'staging')?.status).toBe('fail')
    expect(r.code).toBe(1)
  })

  it('SIGINT while waiting for pending checks ends cancelled, with nothing created', async () => {
    api.addCheckRun(DEFAULT_SHA, { name: 'slow-e2e', status: 'in_progress' })
    const r = await runMain(
      job,
      { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: THURSDAY_1000_PARIS },
      {
        inputs: inputs({ 'dry-run': 'false', 'checks-timeout': '5m' }),
        onSpawn: signalWhen('Waiting for checks: slow-e2e', 'SIGINT')
      }
    )
    expect(r.outputs.status).toBe('cancelled')
    expect(r.code).toBe(1)
    expect(api.requests.some((q) => q.method === 'POST')).toBe(false)
    expect(r.outputs.record).toContain('cancelled by the runner before anything ran')
  })

  it('stops on a bad input with one clear error, before any command runs', async () => {
    const marker = join(job.workspace, 'migrate-check-ran')
    const r = await main(THURSDAY_1000_PARIS, {
      urgency: 'P9',
      'migrate-command': 'true',
      'migrate-check-command': `touch ${marker}`
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error::Red Button: aborted — input "urgency": expected one of P1, P2, P3, P4, got "P9"/
    )
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(marker)).toBe(false)
    expect(api.requests).toHaveLength(0)
  })
})
