import { beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import type { SampleService } from '../../__fixtures__/sample-service.js'
import { baseEnv, runMain, type RunnerJob, type StepResult } from './action-runner.js'
import { releaseStandIns } from './release-steps.js'

/**
 * Careful with its own configuration (docs/design.md section 3): typos in `with:` and in the
 * environment's name, a schema without a way back, a rollback that would drop the database —
 * each refused before anything runs, with outputs, a record and a summary that say what to fix.
 */

// Tuesday 2026-11-24 10:00 UTC: outside every default freeze window.
const TUESDAY = '2026-11-24T10:00:00Z'

const stand = releaseStandIns('echo "$1" >> "$GITHUB_WORKSPACE/order.log"\nexit "${2:-0}"\n')
let api: GitHubApi
let service: SampleService
let monitoring: SampleService
let job: RunnerJob
beforeEach(() => {
  ;({ api, service, monitoring, job } = stand)
})

/** A Prisma-style production release: migrations that only go forward. */
function prisma(extra: Record<string, string> = {}): Record<string, string> {
  return {
    environment: 'production',
    'required-approvals': '0',
    version: 'v1.2.0',
    'monitoring-url': monitoring.url + '/health',
    'migrate-check-command': 'bash step.sh migrate-check',
    'backup-command': 'bash step.sh backup',
    'migrate-command': 'bash step.sh migrate',
    'deploy-command': 'bash step.sh deploy',
    'rollback-command': 'bash step.sh rollback',
    'forward-only-migrations': 'true',
    'environment-url': 'https://shop.example/',
    'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
    'monitor-duration': '0',
    'command-timeout': '20s',
    'pr-comment': 'false',
    ...extra
  }
}

const env = (): Record<string, string> => ({
  ...baseEnv(job, api.url, DEFAULT_SHA),
  RED_BUTTON_NOW: TUESDAY
})

function order(): string[] {
  const file = join(job.workspace, 'order.log')
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []
}

function record(r: StepResult) {
  return (yaml.load(r.outputs.record ?? '') as { deployment: Record<string, unknown> }).deployment
}

const deploymentsCreated = () =>
  api.requests.filter((q) => q.method === 'POST' && /\/deployments$/.test(q.path)).length

describe('bad inputs are refused before anything runs, and still leave a record', () => {
  it('a typo in with: (monitor-duraton) names the input it meant', async () => {
    const r = await runMain(job, env(), { inputs: prisma({ 'monitor-duraton': '5m' }) })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('aborted')
    expect(r.outputs.decision).toBe('abort')
    expect(r.stdout).toMatch(/::error::.*input "monitor-duraton".*did you mean monitor-duration\?/)
    const rec = record(r)
    expect(rec).toMatchObject({ status: 'aborted', environment: 'production', version: 'v1.2.0' })
    expect(rec.error).toMatch(/did you mean monitor-duration\?/)
    expect(existsSync(r.outputs['record-file'] ?? '')).toBe(true)
    expect(r.summary).toMatch(/⛔ Red Button — v1\.2\.0 → production: aborted/)
    expect(r.summary).toMatch(
      /\*\*Why:\*\* Input "monitor-duraton".*did you mean monitor-duration\?; nothing was run or changed/
    )
    expect(order()).toEqual([])
    expect(deploymentsCreated()).toBe(0)
  })

  it('environment: prodution is refused, naming production', async () => {
    const r = await runMain(job, env(), { inputs: prisma({ environment: 'prodution' }) })
    expect(r.outputs.status).toBe('aborted')
    expect(record(r).error).toMatch(
      /input "environment": .*"prodution" is within two edits of "production".*write production/
    )
    expect(order()).toEqual([])
  })

  it('Production is production: its rules apply (the default Friday freeze among them)', async () => {
    const r = await runMain(job, env(), {
      inputs: prisma({ environment: 'Production', 'dry-run': 'true' }),
      env: { RED_BUTTON_NOW: '2026-11-27T15:00:00Z' }
    })
    expect(r.outputs.status).toBe('planned')
    const window = (record(r).checklist as Array<{ id: string; status: string }>).find(
      (i) => i.id === 'window'
    )
    expect(window?.status).toBe('fail')
  })
})

describe('a rollback plan that is a plan', () => {
  it('a forward-only release whose smoke test fails rolls the code back and keeps the schema, and says so', async () => {
    service.break()
    const r = await runMain(job, env(), { inputs: prisma() })
    expect(r.outputs.status).toBe('rolled-back')
    expect(order()).toEqual(['migrate-check', 'backup', 'migrate', 'deploy', 'rollback'])
    const rec = record(r)
    expect(rec.schema_kept).toBe(true)
    expect(rec.environment_url).toBe('https://shop.example/')
    expect(rec.steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'migrate-rollback',
          status: 'skipped',
          reason: 'schema kept: forward-only migrations'
        })
      ])
    )
    expect(r.summary).toContain(
      'Schema kept (forward-only migrations): only the code was rolled back.'
    )
    // GitHub's "View deployment" link on every status of the deployment
    const statuses = api.requests.filter(
      (q) => q.method === 'POST' && /\/deployments\/\d+\/statuses$/.test(q.path)
    )
    expect(statuses.length).toBeGreaterThanOrEqual(2)
    for (const s of statuses)
      expect(s.body).toMatchObject({ environment_url: 'https://shop.example/' })
  })

  it('without forward-only-migrations and without migrate-rollback-command, it is refused at the gate', async () => {
    const r = await runMain(job, env(), { inputs: prisma({ 'forward-only-migrations': 'false' }) })
    expect(r.outputs.status).toBe('aborted')
    const rollback = (
      record(r).checklist as Array<{ id: string; status: string; detail: string }>
    ).find((i) => i.id === 'rollback')
    expect(rollback).toMatchObject({ status: 'fail' })
    expect(rollback?.detail).toMatch(/^migrate-command is set but the schema has no way back/)
    expect(order()).toEqual(['migrate-check'])
    expect(deploymentsCreated()).toBe(0)
  })

  it('migrate-rollback-command: npx prisma migrate reset --force --skip-seed is refused at the gate', async () => {
    const r = await runMain(job, env(), {
      inputs: prisma({
        'forward-only-migrations': 'false',
        'migrate-rollback-command': 'npx prisma migrate reset --force --skip-seed'
      })
    })
    expect(r.outputs.status).toBe('aborted')
    expect(r.stdout).toContain(
      'migrate-rollback-command runs `prisma migrate reset`, which drops the database and every row in it'
    )
    expect(order()).toEqual(['migrate-check'])
  })
})
