/**
 * Bake time and waves through dist/index.js, as a runner runs it: the GitHub stand-in holds
 * the staging deployments with their statuses' times; RED_BUTTON_NOW sets the clock.
 */
import { describe, expect, it } from '@jest/globals'
import yaml from 'js-yaml'
import { DEFAULT_SHA } from '../../__fixtures__/github-api.js'
import { seedDeploymentAgo, type StatusAgo } from '../../__fixtures__/start-stand-ins.js'
import { gateStandIns } from './gate-steps.js'

// Thursday 2026-11-26 10:00 in Paris: outside every default window
const NOW = '2026-11-26T09:00:00Z'
const MINUTE = 60_000
const REGIONS = 'production-canary, production-eu, production-us, production-ap'

// each test seeds its own staging deployments
const stand = gateStandIns({ staged: false, inputs: { 'bake-time': '30m' } })
const { main } = stand

/** A deployment of the commit to `environment`, its statuses `[state, minutes before NOW]`. */
const deployed = (environment: string, statuses: StatusAgo[]): number =>
  seedDeploymentAgo(stand.api, environment, NOW, statuses)

function staging(outputs: Record<string, string>) {
  const record = (yaml.load(outputs.record ?? '') as { deployment: Record<string, unknown> })
    .deployment
  const checklist = record.checklist as Array<{ id: string; status: string; detail: string }>
  return checklist.find((i) => i.id === 'staging')
}

const later = (min: number) => new Date(Date.parse(NOW) + min * MINUTE).toISOString()

describe('dist/index.js: bake time on staging', () => {
  it('postpones a release that succeeded on staging 10 min ago (bake-time 30m) until exactly 20 min later', async () => {
    const id = deployed('staging', [
      ['in_progress', 12],
      ['success', 10]
    ])
    const r = await main(NOW, { 'dry-run': 'false' })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('postponed')
    expect(r.outputs.decision).toBe('postpone')
    expect(r.outputs['next-window']).toBe('2026-11-26T10:20:00+01:00')
    expect(staging(r.outputs)).toMatchObject({ status: 'fail' })
    expect(staging(r.outputs)?.detail).toMatch(
      new RegExp(
        `^staging: v1\\.2\\.0 live 10 min( \\d+ s)? \\(deployment #${id}\\); baked 10 min( \\d+ s)? on staging, needs 30 min: baked at 2026-11-26T10:20:00\\+01:00$`
      )
    )
    expect(r.summary).toContain('live 10 min')
    // the record carries the bake
    const record = (yaml.load(r.outputs.record ?? '') as { deployment: Record<string, unknown> })
      .deployment
    expect(record.staging).toEqual([
      expect.objectContaining({
        environment: 'staging',
        deployment: id,
        version: 'v1.2.0',
        state: 'success',
        succeeded_at: '2026-11-26T09:50:00+01:00',
        needs: '30 min'
      })
    ])
    // nothing went out (a postponed release may be recorded as queued, never in_progress)
    const started = stand.api.state.deployments.filter(
      (d) =>
        d.environment === 'production' &&
        d.statuses.some((st) => st.state === 'in_progress' || st.state === 'success')
    )
    expect(started).toHaveLength(0)
  })

  it('goes once the bake has completed (a dry run 20 min later plans it)', async () => {
    deployed('staging', [['success', 10]])
    const r = await main(later(20))
    expect(r.code).toBe(0)
    expect(r.outputs.decision).toBe('go')
    expect(r.outputs.status).toBe('planned')
    expect(staging(r.outputs)?.detail).toMatch(/baked 30 min( \d+ s)? on staging, needs 30 min$/)
  })

  it('aborts a commit whose staging deployment was rolled back, naming it', async () => {
    const id = deployed('staging', [
      ['success', 50],
      ['failure', 5]
    ])
    const r = await main(NOW, { 'dry-run': 'false' })
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('aborted')
    expect(r.outputs.decision).toBe('abort')
    expect(staging(r.outputs)).toMatchObject({
      status: 'fail',
      detail: `deployment #${id} (v1.2.0) to staging was rolled back: failure at 2026-11-26T09:55:00+01:00, after its success`
    })
  })
})

describe('dist/index.js: waves (a region waits for the canary region to bake)', () => {
  const region = {
    environment: 'production-eu',
    'production-environments': REGIONS,
    'staging-environment': 'production-canary'
  }

  it("postpones a region until the canary's bake completes, then goes", async () => {
    deployed('staging', [['success', 120]])
    const canary = deployed('production-canary', [['success', 10]])
    const waiting = await main(NOW, region)
    expect(waiting.outputs.decision).toBe('postpone')
    expect(waiting.outputs['next-window']).toBe('2026-11-26T10:20:00+01:00')
    expect(staging(waiting.outputs)?.detail).toMatch(
      new RegExp(`^production-canary: v1\\.2\\.0 live 10 min.*\\(deployment #${canary}\\)`)
    )
    const baked = await main(later(20), region)
    expect(baked.outputs.decision).toBe('go')
  })

  it('aborts a region whose canary never got this commit', async () => {
    deployed('staging', [['success', 120]])
    const r = await main(NOW, region)
    expect(r.outputs.decision).toBe('abort')
    expect(staging(r.outputs)?.detail).toBe(
      `no deployment of ${DEFAULT_SHA.slice(0, 7)} to production-canary`
    )
  })
})
