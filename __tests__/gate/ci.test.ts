import { describe, expect, it } from '@jest/globals'
import { classifyCheckRun, classifyStatus, evaluateCi, selectChecks } from '../../src/gate/ci.js'
import { checkRun, ciFacts, observation, status } from './facts.js'

describe('classifyCheckRun / classifyStatus', () => {
  it.each([
    ['completed', 'success', 'pass'],
    ['completed', 'neutral', 'pass'],
    ['completed', 'skipped', 'pass'],
    ['completed', 'failure', 'fail'],
    ['completed', 'cancelled', 'fail'],
    ['completed', 'timed_out', 'fail'],
    ['completed', 'action_required', 'fail'],
    ['completed', 'stale', 'fail'],
    ['completed', null, 'fail'],
    ['in_progress', null, 'pending'],
    ['queued', null, 'pending'],
    ['waiting', null, 'pending']
  ] as const)('check run %s/%s is %s', (s, conclusion, expected) => {
    expect(classifyCheckRun({ status: s, conclusion })).toBe(expected)
  })

  it.each([
    ['success', 'pass'],
    ['pending', 'pending'],
    ['failure', 'fail'],
    ['error', 'fail']
  ] as const)('status %s is %s', (state, expected) => {
    expect(classifyStatus({ state })).toBe(expected)
  })
})

describe('evaluateCi', () => {
  it('passes when everything is green, neutral and skipped included', () => {
    const item = evaluateCi(
      ciFacts([
        observation('build', 'pass'),
        observation('docs', 'pass', 'neutral'),
        observation('e2e', 'pass', 'skipped'),
        observation('ci/external', 'pass', 'success', 'status')
      ]),
      'en'
    )
    expect(item).toEqual({
      id: 'ci',
      item: 'CI checks pass',
      status: 'pass',
      detail: '4 of 4 checks succeeded'
    })
  })

  it('fails naming the failed check and its conclusion', () => {
    const item = evaluateCi(
      ciFacts([
        observation('build', 'pass'),
        observation('test', 'fail', 'failure'),
        observation('lint', 'fail', 'timed_out'),
        observation('e2e', 'pending')
      ]),
      'en'
    )
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('failed: test (failure), lint (timed_out)')
  })

  it('fails on checks still pending after the timeout, saying how long it waited', () => {
    const item = evaluateCi(
      ciFacts([observation('build', 'pass'), observation('e2e', 'pending')], {
        waitedMs: 10 * 60_000
      }),
      'en'
    )
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('still pending after 10m: e2e')
  })

  it('fails on required checks that are not on the commit', () => {
    const item = evaluateCi(
      ciFacts([observation('build', 'pass')], { missing: ['security-scan', 'test'] }),
      'en'
    )
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('required but not found: security-scan, test')
  })

  it('fails when there are no checks at all', () => {
    const item = evaluateCi(ciFacts([]), 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('no checks or statuses found on the commit')
  })

  it('fails when the checks could not be read', () => {
    const item = evaluateCi(ciFacts([], { error: 'GET /check-runs failed: HTTP 401' }), 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('could not read the checks: GET /check-runs failed: HTTP 401')
  })

  it('speaks French', () => {
    expect(evaluateCi(ciFacts([observation('build', 'pass')]), 'fr')).toEqual({
      id: 'ci',
      item: 'Tests CI passent',
      status: 'pass',
      detail: '1 sur 1 vérifications réussies'
    })
    expect(evaluateCi(ciFacts([observation('test', 'fail', 'failure')]), 'fr').detail).toBe(
      'en échec : test (failure)'
    )
  })
})

describe('selectChecks', () => {
  const OWN = 9001

  it("leaves out this run's own unfinished jobs but keeps its finished ones", () => {
    const runs = [
      checkRun('build', 'success', { suite: OWN }),
      checkRun('release / gate', null, { suite: OWN }),
      checkRun('test', 'success'),
      checkRun('e2e', null)
    ]
    const picked = selectChecks(runs, [status('ci/external', 'pending')], OWN, undefined)
    expect(picked.ownSkipped).toBe(1)
    expect(picked.missing).toEqual([])
    expect(picked.observed).toEqual([
      observation('build', 'pass', 'success'),
      observation('test', 'pass', 'success'),
      observation('e2e', 'pending', 'in_progress'),
      observation('ci/external', 'pending', 'pending', 'status')
    ])
  })

  it('counts every unfinished run when our own suite is unknown', () => {
    const runs = [checkRun('release / gate', null, { suite: OWN })]
    const picked = selectChecks(runs, [], undefined, undefined)
    expect(picked.ownSkipped).toBe(0)
    expect(picked.observed.map((o) => o.state)).toEqual(['pending'])
  })

  it('narrows to required-checks and reports the required ones not found', () => {
    const runs = [checkRun('build', 'success'), checkRun('flaky-e2e', 'failure')]
    const picked = selectChecks(
      runs,
      [status('ci/external', 'success'), status('coverage', 'error')],
      undefined,
      ['build', 'ci/external', 'security-scan']
    )
    expect(picked.observed.map((o) => o.name)).toEqual(['build', 'ci/external'])
    expect(picked.missing).toEqual(['security-scan'])
    // the failing check that was not required does not fail the item
    expect(evaluateCi(ciFacts(picked.observed), 'en').status).toBe('pass')
    expect(evaluateCi(ciFacts(picked.observed, { missing: picked.missing }), 'en').status).toBe(
      'fail'
    )
  })
})
