/** The `staging` item and its bake time: pure, with the clock given as `now`. */
import { describe, expect, it } from '@jest/globals'
import { spanText } from '../../src/duration.js'
import {
  stagingView,
  type DeploymentFacts,
  type StagingOfCommit
} from '../../src/gate/deployments.js'
import {
  afterBake,
  evaluateStaging,
  stagingRecord,
  stillBaking,
  type StagingOptions
} from '../../src/gate/staging.js'
import { DEFAULT_FREEZE } from '../../src/schedule/freeze.js'
import { deployment, SHA, WEDNESDAY } from './facts.js'

const MINUTE = 60_000
const SECOND = 1000
const NOW = WEDNESDAY // 2026-11-25 09:00 UTC

/** A status `agoMs` before NOW. */
const st = (state: string, agoMs: number) => ({
  id: agoMs,
  state,
  created_at: new Date(NOW.getTime() - agoMs).toISOString()
})

/** The newest deployment #id of the commit to `environment`, with its statuses (oldest first). */
function staged(
  id: number,
  statuses: ReturnType<typeof st>[],
  environment = 'staging'
): StagingOfCommit {
  const v = deployment(id, undefined, { environment, version: 'v1.2.0', read: false })
  return { environment, deployment: stagingView(v, [...statuses].reverse()) }
}

const facts = (...staging: StagingOfCommit[]): DeploymentFacts => ({ target: [], staging })

const opts = (extra: Partial<StagingOptions> = {}): StagingOptions => ({
  isProduction: true,
  environment: 'production',
  sha: SHA,
  bakeTimeMs: 30 * MINUTE,
  now: NOW,
  timeZone: 'UTC',
  ...extra
})

describe('evaluateStaging', () => {
  it('is na for a target that is not production', () => {
    const v = evaluateStaging(facts(), opts({ isProduction: false, environment: 'qa' }), 'en')
    expect(v).toEqual({
      item: {
        id: 'staging',
        item: 'Staging validated',
        status: 'na',
        detail: 'qa is not a production environment'
      }
    })
  })

  it('passes without bake time as soon as the deployment succeeded, saying how long it is live', () => {
    const v = evaluateStaging(
      facts(staged(42, [st('in_progress', 43 * MINUTE), st('success', 42 * MINUTE)])),
      opts({ bakeTimeMs: 0 }),
      'en'
    )
    expect(v.item).toMatchObject({
      status: 'pass',
      detail: 'staging: v1.2.0 live 42 min (deployment #42)'
    })
    expect(v.bakedAt).toBeUndefined()
  })

  it('bake boundaries are exact: 29:59 waits (time only, until the exact instant), 30:00 passes', () => {
    const at = (agoMs: number) =>
      evaluateStaging(facts(staged(42, [st('success', agoMs)])), opts(), 'en')
    const early = at(30 * MINUTE - SECOND)
    expect(early.item).toMatchObject({
      status: 'fail',
      detail:
        'staging: v1.2.0 live 29 min 59 s (deployment #42); baked 29 min 59 s on staging, needs 30 min: baked at 2026-11-25T09:00:01+00:00'
    })
    expect(early.bakedAt?.toISOString()).toBe('2026-11-25T09:00:01.000Z')
    const done = at(30 * MINUTE)
    expect(done.item).toMatchObject({
      status: 'pass',
      detail: 'staging: v1.2.0 live 30 min (deployment #42); baked 30 min on staging, needs 30 min'
    })
    expect(done.bakedAt).toBeUndefined()
  })

  it('a staging deployment that failed after its success (rolled back) fails, naming it: not a time rule', () => {
    const rolledBack = staged(43, [st('success', 50 * MINUTE), st('failure', 5 * MINUTE)])
    const v = evaluateStaging(facts(rolledBack), opts(), 'en')
    expect(v.item).toMatchObject({
      status: 'fail',
      detail:
        'deployment #43 (v1.2.0) to staging was rolled back: failure at 2026-11-25T08:55:00+00:00, after its success'
    })
    expect(v.bakedAt).toBeUndefined()
    // rolled back, then replaced: still rolled back
    const thenReplaced = staged(44, [
      st('success', 50 * MINUTE),
      st('error', 40 * MINUTE),
      st('inactive', 10 * MINUTE)
    ])
    expect(evaluateStaging(facts(thenReplaced), opts(), 'en').item).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^deployment #44 .* rolled back: error at /) as unknown
    })
  })

  it('an inactive-after-success deployment counts for the time it was live, up to its inactive status', () => {
    const replaced = staged(45, [
      st('success', 3 * 60 * MINUTE),
      st('inactive', 2 * 60 * MINUTE - 42 * MINUTE)
    ])
    // live from 06:00 to 07:42: 1 h 42 min, whatever the time now
    expect(evaluateStaging(facts(replaced), opts(), 'en').item).toMatchObject({
      status: 'pass',
      detail:
        'staging: v1.2.0 was live 1 h 42 min, then replaced by a newer one (deployment #45); baked 1 h 42 min on staging, needs 30 min'
    })
  })

  it('replaced before it baked enough fails (aborted: it can no longer bake)', () => {
    const early = staged(46, [st('success', 60 * MINUTE), st('inactive', 50 * MINUTE)])
    const v = evaluateStaging(facts(early), opts(), 'en')
    expect(v.item).toMatchObject({
      status: 'fail',
      detail:
        'staging: v1.2.0 was live 10 min, then replaced by a newer one (deployment #46); baked 10 min on staging, needs 30 min: replaced before it baked enough: it can no longer bake'
    })
    expect(v.bakedAt).toBeUndefined()
  })

  it('a deployment that never succeeded fails, with its state', () => {
    const v = evaluateStaging(facts(staged(47, [st('in_progress', MINUTE)])), opts(), 'en')
    expect(v.item).toMatchObject({
      status: 'fail',
      detail: 'newest deployment #47 of this commit to staging is in_progress, not success'
    })
    const bare = evaluateStaging(facts(staged(48, [])), opts(), 'en')
    expect(bare.item.detail).toBe(
      'newest deployment #48 of this commit to staging is without status, not success'
    )
  })

  it('two predecessors of which one is missing: fails, naming the missing one (not a time rule)', () => {
    const v = evaluateStaging(
      facts(staged(50, [st('success', 10 * MINUTE)]), {
        environment: 'production-canary',
        deployment: null
      }),
      opts(),
      'en'
    )
    expect(v.item.status).toBe('fail')
    expect(v.item.detail).toBe(
      `staging: v1.2.0 live 10 min (deployment #50); baked 10 min on staging, needs 30 min; no deployment of ${SHA.slice(0, 7)} to production-canary`
    )
    expect(v.bakedAt).toBeUndefined()
  })

  it('several predecessors still baking: waits for the last bake to complete', () => {
    const v = evaluateStaging(
      facts(
        staged(50, [st('success', 60 * MINUTE)]),
        staged(51, [st('success', 10 * MINUTE)], 'production-canary'),
        staged(52, [st('success', 25 * MINUTE)], 'production-eu')
      ),
      opts(),
      'en'
    )
    expect(v.item.status).toBe('fail')
    expect(v.bakedAt?.toISOString()).toBe('2026-11-25T09:20:00.000Z')
    expect(v.item.detail).toContain('baked 10 min on production-canary, needs 30 min')
    expect(v.item.detail).toContain('baked 1 h on staging, needs 30 min')
  })

  it('P1 lifts bake time (a time rule), never the need for a successful deployment', () => {
    const baking = staged(53, [st('success', 10 * MINUTE)])
    const p1 = { granted: true, actor: 'alice', role: 'maintain' }
    expect(evaluateStaging(facts(baking), opts({ p1 }), 'en').item).toMatchObject({
      status: 'pass',
      detail:
        'staging: v1.2.0 live 10 min (deployment #53); baked 10 min on staging, needs 30 min: bake time lifted by P1 (alice, maintain)'
    })
    const missing = evaluateStaging(
      facts(baking, { environment: 'production-canary', deployment: null }),
      opts({ p1 }),
      'en'
    )
    expect(missing.item.status).toBe('fail')
    const rolledBack = staged(54, [st('success', 50 * MINUTE), st('failure', MINUTE)])
    expect(evaluateStaging(facts(rolledBack), opts({ p1 }), 'en').item.status).toBe('fail')
    const refused = evaluateStaging(
      facts(baking),
      opts({ p1: { granted: false, actor: 'bob', role: 'write' } }),
      'en'
    )
    expect(refused.item.status).toBe('fail')
    expect(refused.bakedAt).toBeDefined()
    expect(refused.item.detail).toContain(
      'P1 not honoured: bob has role write, maintain or admin required'
    )
  })

  it('measures from the newest success, and names environments as written', () => {
    const redeployed = staged(55, [
      st('success', 90 * MINUTE),
      st('in_progress', 20 * MINUTE),
      st('success', 12 * MINUTE)
    ])
    const v = evaluateStaging(facts(redeployed), opts(), 'en')
    expect(v.bakedAt?.toISOString()).toBe('2026-11-25T09:18:00.000Z')
  })

  it('fails when the deployments could not be read', () => {
    const v = evaluateStaging({ target: [], error: 'HTTP 500' }, opts(), 'en')
    expect(v.item.status).toBe('fail')
    expect(v.item.detail).toContain('HTTP 500')
  })

  it('speaks French', () => {
    const v = evaluateStaging(facts(staged(42, [st('success', 10 * MINUTE)])), opts(), 'fr')
    expect(v.item).toMatchObject({
      item: 'Staging validé',
      detail:
        'staging : v1.2.0 en ligne depuis 10 min (déploiement #42) ; rodé 10 min en staging, 30 min requises : rodé le 2026-11-25T09:20:00+00:00'
    })
    const none = evaluateStaging(facts({ environment: 'staging', deployment: null }), opts(), 'fr')
    expect(none.item.detail).toBe(`aucun déploiement de ${SHA.slice(0, 7)} en staging`)
  })
})

describe("the record's staging", () => {
  it('names each staging environment, its deployment and how long it has been live', () => {
    const f = facts(
      staged(42, [st('in_progress', 43 * MINUTE), st('success', 42 * MINUTE)]),
      staged(43, [st('success', 3 * 60 * MINUTE), st('inactive', 60 * MINUTE)], 'preprod'),
      staged(44, [st('success', 50 * MINUTE), st('failure', 5 * MINUTE)], 'qa'),
      { environment: 'production-canary', deployment: null }
    )
    expect(stagingRecord(f, opts())).toEqual([
      {
        environment: 'staging',
        deployment: 42,
        version: 'v1.2.0',
        state: 'success',
        succeeded_at: '2026-11-25T08:18:00+00:00',
        replaced_at: undefined,
        live: '42 min',
        needs: '30 min'
      },
      {
        environment: 'preprod',
        deployment: 43,
        version: 'v1.2.0',
        state: 'inactive',
        succeeded_at: '2026-11-25T06:00:00+00:00',
        replaced_at: '2026-11-25T08:00:00+00:00',
        live: '2 h',
        needs: '30 min'
      },
      {
        environment: 'qa',
        deployment: 44,
        version: 'v1.2.0',
        state: 'failure',
        succeeded_at: '2026-11-25T08:10:00+00:00',
        replaced_at: undefined,
        live: undefined,
        needs: '30 min'
      },
      { environment: 'production-canary' }
    ])
    // nothing undefined reaches the YAML
    expect(Object.keys(stagingRecord(f, opts())?.[2] ?? {})).not.toContain('live')
    expect(stagingRecord(f, opts({ bakeTimeMs: 0 }))?.[0]).not.toHaveProperty('needs')
    expect(stagingRecord({ target: [] }, opts())).toBeUndefined()
    expect(stagingRecord({ target: [], staging: [], error: 'HTTP 500' }, opts())).toBeUndefined()
  })
})

describe('stillBaking', () => {
  it('is true only when a live deployment has not baked enough', () => {
    expect(stillBaking(facts(staged(1, [st('success', 10 * MINUTE)])), opts())).toBe(true)
    expect(stillBaking(facts(staged(1, [st('success', 30 * MINUTE)])), opts())).toBe(false)
    expect(stillBaking(facts(staged(1, [st('success', MINUTE)])), opts({ bakeTimeMs: 0 }))).toBe(
      false
    )
    expect(stillBaking({ target: [] }, opts())).toBe(false)
  })
})

describe('afterBake: the bake merged with the freeze windows', () => {
  it('is the bake completion itself when no window holds it', () => {
    const bakedAt = new Date('2026-11-25T09:20:00Z')
    expect(afterBake(bakedAt, NOW, DEFAULT_FREEZE, 'UTC')).toEqual(bakedAt)
    expect(afterBake(bakedAt, NOW, [], 'UTC')).toEqual(bakedAt)
  })
  it('is the end of the window the bake completes in', () => {
    // Friday 13:50 + 30 min = 14:20: inside Fri 14:00 -> Mon 00:00
    expect(
      afterBake(
        new Date('2026-11-27T14:20:00Z'),
        new Date('2026-11-27T13:55:00Z'),
        DEFAULT_FREEZE,
        'UTC'
      )
    ).toEqual(new Date('2026-11-30T00:00:00Z'))
  })
  it('is the window end when the bake completes before it (already frozen now)', () => {
    expect(
      afterBake(
        new Date('2026-11-27T15:20:00Z'),
        new Date('2026-11-30T00:00:00Z'),
        DEFAULT_FREEZE,
        'UTC'
      )
    ).toEqual(new Date('2026-11-30T00:00:00Z'))
  })
  it('is undefined when the windows never end', () => {
    expect(afterBake(NOW, undefined, DEFAULT_FREEZE, 'UTC')).toBeUndefined()
  })
})

describe('spanText', () => {
  it.each([
    [0, '0 min'],
    [45 * SECOND, '45 s'],
    [30 * MINUTE - SECOND, '29 min 59 s'],
    [30 * MINUTE - 1, '29 min 59 s'],
    [42 * MINUTE, '42 min'],
    [65 * MINUTE + 30 * SECOND, '1 h 5 min'],
    [-5 * MINUTE, '0 min']
  ])('%d ms is %s', (ms, text) => {
    expect(spanText(ms)).toBe(text)
  })
})
