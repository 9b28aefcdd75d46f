/**
 * The gate against the loopback GitHub stand-in, through the real REST client: paging,
 * polling, retries and the number of requests a run costs.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import {
  DEFAULT_RUN_CHECK_SUITE_ID,
  DEFAULT_RUN_ID,
  DEFAULT_SHA,
  startGitHubApi,
  type GitHubApi as StandIn
} from '../../__fixtures__/github-api.js'
import { seedGreenRepo, seedStagingSuccess } from '../../__fixtures__/start-stand-ins.js'
import type { Clock } from '../../src/clock.js'
import { collectCiFacts, evaluateCi } from '../../src/gate/ci.js'
import { collectDeploymentFacts, isYoung } from '../../src/gate/deployments.js'
import { recheckLock } from '../../src/gate/lock.js'
import { runGate, type GateDeps, type GateResult } from '../../src/gate/index.js'
import type { UrlAnswer } from '../../src/gate/monitoring.js'
import type { RunContext } from '../../src/github/context.js'
import type { ItemId } from '../../src/record/types.js'
import { parseSettings, type InputName, type Settings } from '../../src/settings/schema.js'
import { MemoryLog } from '../run/log.js'
import { connect, recordingClock } from '../github/connect.js'

const SHA = DEFAULT_SHA
const WEDNESDAY = new Date('2026-11-25T09:00:00Z')
const FRIDAY_AFTERNOON = new Date('2026-11-27T15:00:00Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE

let gh: StandIn
let clock: ReturnType<typeof recordingClock>

beforeEach(async () => {
  clock = recordingClock(WEDNESDAY)
  // the stand-in stamps created_at with the test's clock, never today's date
  gh = await startGitHubApi({ headSha: SHA, clock: () => clock.now() })
})
afterEach(async () => {
  await gh.close()
})

const ctx = (extra: Partial<RunContext> = {}): RunContext => ({
  owner: 'acme',
  repo: 'shop',
  sha: SHA,
  ref: 'refs/tags/v1.2.0',
  actor: 'alice',
  runId: DEFAULT_RUN_ID,
  eventName: 'push',
  apiUrl: gh.url,
  serverUrl: 'https://github.com',
  workspace: tmpdir(),
  tempDir: tmpdir(),
  ...extra
})

const settingsOf = (extra: Partial<Record<InputName, string>> = {}): Settings =>
  parseSettings({
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    'dry-run': 'true',
    'monitoring-url': 'https://grafana.example.com/api/health',
    'rollback-command': './rollback.sh',
    ...extra
  })

function deps(o: { clock?: Clock; probe?: (url: string) => UrlAnswer } = {}): GateDeps & {
  log: MemoryLog
  probed: string[]
} {
  const probed: string[] = []
  const c = o.clock ?? clock
  return {
    api: connect(gh, c).api,
    clock: c,
    log: new MemoryLog(),
    probed,
    checkMigrations: async () => ({ ok: true, durationMs: 1200, reason: '' }),
    probeUrl: async (url) => {
      probed.push(url)
      return o.probe?.(url) ?? { url, ok: true, detail: '200 in 12 ms' }
    }
  }
}

const statusOf = (r: GateResult): Record<string, string> =>
  Object.fromEntries(r.checklist.map((i) => [i.id, i.status]))
const itemOf = (r: GateResult, id: ItemId) => {
  const found = r.checklist.find((i) => i.id === id)
  if (!found) throw new Error(`no item ${id}`)
  return found
}

/** This very job, still running: a check run of this run's own suite. */
const addOwnJob = (): void => {
  gh.addCheckRun(SHA, {
    name: 'release / gate',
    status: 'in_progress',
    check_suite_id: DEFAULT_RUN_CHECK_SUITE_ID
  })
}

/** A production deployment `ageMs` old whose statuses are `states` (oldest first). */
const addProduction = (
  ageMs: number,
  states: string[],
  o: { ref?: string; payload?: unknown; creator?: string } = {}
): number =>
  gh.addDeployment({
    sha: 'a'.repeat(40),
    ref: o.ref ?? 'v1.1.0',
    environment: 'production',
    payload: o.payload ?? {},
    creator: o.creator,
    created_at: new Date(clock.now().getTime() - ageMs).toISOString(),
    statuses: states.map((state) => ({
      state: state as 'success',
      created_at: new Date(clock.now().getTime() - ageMs).toISOString()
    }))
  })

describe('runGate: a green production dry run', () => {
  it('goes, with few requests, and finds the previous version', async () => {
    seedGreenRepo(gh, SHA)
    addOwnJob()
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    addProduction(3 * HOUR, ['in_progress', 'success'], { payload: { version: 'v1.1.0' } })

    const d = deps()
    const result = await runGate(settingsOf(), ctx(), d)

    expect(result.decision).toBe('go')
    expect(statusOf(result)).toEqual({
      ci: 'pass',
      staging: 'pass',
      migrations: 'na',
      window: 'pass',
      monitoring: 'pass',
      rollback: 'pass',
      backup: 'na',
      lock: 'pass',
      review: 'na',
      incidents: 'na'
    })
    expect(itemOf(result, 'ci').detail).toBe('4 of 4 checks succeeded')
    expect(result.facts.ci.ownSkipped).toBe(1)
    expect(result.facts.ci.waitedMs).toBe(0)
    expect(result.previous?.version).toBe('v1.1.0')
    expect(result.nextWindow).toEqual(WEDNESDAY)
    expect(result.overridden).toBe(false)
    expect(d.probed).toEqual(['https://grafana.example.com/api/health'])

    // own run lookup, check-runs, status, 2 deployment lists, 2 deployment statuses, and the
    // compare with the previous version (unknown to the stand-in: the change list says so)
    const routes = gh.requests.map(
      (r) => `${r.method} ${r.path.replace(/\/repos\/acme\/shop/, '')}`
    )
    expect(routes.sort()).toEqual(
      [
        `GET /actions/runs/${DEFAULT_RUN_ID}`,
        `GET /commits/${SHA}/check-runs`,
        `GET /commits/${SHA}/status`,
        'GET /deployments',
        'GET /deployments',
        expect.stringMatching(/^GET \/deployments\/\d+\/statuses$/),
        expect.stringMatching(/^GET \/deployments\/\d+\/statuses$/),
        `GET /compare/${'a'.repeat(40)}...${SHA}`
      ].sort()
    )
    expect(result.changes).toEqual({
      base: 'v1.1.0',
      commits: 0,
      pulls: [],
      error: expect.stringContaining('404')
    })
    expect(gh.requests.length).toBeLessThanOrEqual(8)
    expect(d.api.requestCount).toBe(gh.requests.length)
    expect(gh.requests.every((r) => r.method === 'GET')).toBe(true)
  })

  it('looks up its own run once, beside the first read of the checks (a real run always finds itself pending)', async () => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(result.decision).toBe('go')
    expect(gh.requestCount(/actions\/runs/)).toBe(1)
    expect(result.previous).toBeUndefined()
  })
})

describe('this run cannot be read (no actions: read, or not found)', () => {
  it('does not fail the ci item: it is said in the log, and the checks are judged', async () => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    const d = deps()
    const result = await runGate(settingsOf(), ctx({ runId: 424242 }), d)
    expect(gh.requests.find((q) => q.path.endsWith('/actions/runs/424242'))?.status).toBe(404)
    expect(itemOf(result, 'ci').status).toBe('pass')
    expect(d.log.lines.join('\n')).toMatch(/Could not read this workflow run .*HTTP 404/)
  })
})

describe('collectCiFacts against the stand-in', () => {
  const collect = (o: { clock?: Clock; timeoutMs?: number; required?: string[] } = {}) => {
    const c = o.clock ?? clock
    const log = new MemoryLog()
    return {
      log,
      facts: collectCiFacts(connect(gh, c).api, {
        sha: SHA,
        runId: DEFAULT_RUN_ID,
        required: o.required,
        timeoutMs: o.timeoutMs ?? 10 * MINUTE,
        clock: c,
        log
      })
    }
  }

  it('reads check runs over several pages', async () => {
    for (let i = 1; i <= 250; i++) {
      gh.addCheckRun(SHA, {
        name: `job-${String(i).padStart(3, '0')}`,
        conclusion: i === 237 ? 'failure' : 'success'
      })
    }
    const facts = await collect().facts
    expect(facts.observed).toHaveLength(250)
    expect(gh.requestCount(/check-runs$/)).toBe(3)
    // the failure lives on the third page
    expect(evaluateCi(facts, 'en').detail).toBe('failed: job-237 (failure)')
  })

  it('waits for pending checks that turn green while it polls', async () => {
    seedGreenRepo(gh, SHA)
    addOwnJob()
    gh.addCheckRun(SHA, { name: 'e2e', status: 'in_progress' })
    const flipping = recordingClock(WEDNESDAY, (_ms, n) => {
      if (n === 1) gh.setCheckRun(SHA, 'e2e', { status: 'completed', conclusion: 'success' })
    })
    const { facts, log } = collect({ clock: flipping })
    const result = await facts
    expect(evaluateCi(result, 'en')).toMatchObject({
      status: 'pass',
      detail: '5 of 5 checks succeeded'
    })
    expect(result.waitedMs).toBe(10_000)
    expect(flipping.sleeps).toEqual([10_000])
    expect(log.lines).toEqual(['Waiting for checks: e2e'])
    // our own unfinished job was never waited for, and its suite was looked up once
    expect(result.ownSkipped).toBe(1)
    expect(gh.requestCount(/actions\/runs/)).toBe(1)
    expect(gh.requestCount(/check-runs$/)).toBe(2)
  })

  it('fails a check that never finishes after checks-timeout, saying how long it waited', async () => {
    seedGreenRepo(gh, SHA)
    gh.addCheckRun(SHA, { name: 'e2e', status: 'queued' })
    const result = await collect({ timeoutMs: 2 * MINUTE }).facts
    expect(result.waitedMs).toBe(2 * MINUTE)
    expect(evaluateCi(result, 'en')).toMatchObject({
      status: 'fail',
      detail: 'still pending after 2m: e2e'
    })
    // polled at 0s, 10s, ..., 120s
    expect(gh.requestCount(/check-runs$/)).toBe(13)
    expect(clock.sleeps.every((ms) => ms === 10_000)).toBe(true)
  })

  it('stops waiting as soon as a check fails', async () => {
    gh.addCheckRun(SHA, { name: 'e2e', status: 'in_progress' })
    gh.addCheckRun(SHA, { name: 'unit', conclusion: 'failure' })
    const result = await collect().facts
    expect(result.waitedMs).toBe(0)
    expect(evaluateCi(result, 'en').detail).toBe('failed: unit (failure)')
  })

  it('reads a combined status pending with total_count 0 as "no statuses"', async () => {
    gh.addCheckRun(SHA, { name: 'build' })
    gh.addCheckRun(SHA, { name: 'test' })
    const result = await collect().facts
    expect(result.observed.map((o) => o.source)).toEqual(['check-run', 'check-run'])
    expect(result.waitedMs).toBe(0)
    expect(evaluateCi(result, 'en')).toMatchObject({
      status: 'pass',
      detail: '2 of 2 checks succeeded'
    })
    // read once: the `pending` state of an empty combined status is not waited for
    expect(gh.requestCount(/\/status$/)).toBe(1)
  })

  it('waits for a real pending commit status', async () => {
    gh.addCheckRun(SHA, { name: 'build' })
    gh.addStatus(SHA, { context: 'ci/external', state: 'pending' })
    const result = await collect({ timeoutMs: 30_000 }).facts
    expect(evaluateCi(result, 'en').detail).toBe('still pending after 30s: ci/external')
  })

  it('waits for required checks not yet on the commit, then names them', async () => {
    gh.addCheckRun(SHA, { name: 'build' })
    const result = await collect({ timeoutMs: 20_000, required: ['build', 'deploy-preview'] }).facts
    expect(result.missing).toEqual(['deploy-preview'])
    expect(result.waitedMs).toBe(20_000)
    expect(evaluateCi(result, 'en').detail).toBe('required but not found: deploy-preview')
    // with required-checks, our own suite is never looked up
    expect(gh.requestCount(/actions\/runs/)).toBe(0)
  })

  it('retries 5xx answers and still succeeds', async () => {
    seedGreenRepo(gh, SHA)
    gh.failNext(2, 502, /check-runs$/)
    const d = connect(gh, clock)
    const result = await collectCiFacts(d.api, {
      sha: SHA,
      timeoutMs: MINUTE,
      clock,
      log: new MemoryLog()
    })
    expect(evaluateCi(result, 'en').status).toBe('pass')
    expect(gh.requestCount(/check-runs$/)).toBe(3)
    expect(gh.requestCount(/\/status$/)).toBe(1)
    expect(d.client.requestCount).toBe(4)
  })

  it('retries a secondary rate limit (403 with Retry-After)', async () => {
    seedGreenRepo(gh, SHA)
    gh.failNext(1, 403, /\/status$/)
    const result = await collect().facts
    expect(evaluateCi(result, 'en').status).toBe('pass')
    expect(gh.requestCount(/\/status$/)).toBe(2)
  })

  it('fails the item, naming the error, when the checks cannot be read (404 not retried)', async () => {
    seedGreenRepo(gh, SHA)
    gh.failNext(1, 404, /check-runs$/)
    const result = await collect().facts
    expect(gh.requestCount(/check-runs$/)).toBe(1)
    const item = evaluateCi(result, 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toMatch(/^could not read the checks: GET .*check-runs failed: HTTP 404/)
  })
})

describe('collectDeploymentFacts against the stand-in', () => {
  const collect = (o: { staging?: boolean } = {}) =>
    collectDeploymentFacts(connect(gh, clock).api, {
      environment: 'production',
      sha: SHA,
      stagingEnvironments: o.staging === false ? undefined : ['staging'],
      now: clock.now()
    })

  it('takes the previous version from the newest successful deployment: payload.version, else ref', async () => {
    addProduction(30 * HOUR, ['success'], { ref: 'v1.0.0', payload: { version: 'v1.0.0' } })
    addProduction(20 * HOUR, ['success'], { ref: 'release-1.1' })
    addProduction(10 * HOUR, ['in_progress', 'failure'], { payload: { version: 'v1.2.0-rc' } })
    const runGateResult = await runGate(settingsOf(), ctx(), deps())
    expect(runGateResult.previous?.version).toBe('release-1.1')

    gh.requests.length = 0
    const facts = await collect({ staging: false })
    expect(facts.target.map((v) => v.state)).toEqual(['failure', 'success', undefined])
    // the oldest one is never read: the previous version was found before it
    expect(facts.target.map((v) => v.read)).toEqual([true, true, false])
    expect(gh.requestCount(/statuses$/)).toBe(2)
  })

  it('uses payload.version when there is one', async () => {
    addProduction(20 * HOUR, ['success'], { ref: 'main', payload: { version: 'v1.1.0' } })
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(result.previous?.version).toBe('v1.1.0')
  })

  it('blocks on a young in_progress deployment and names it; an old one is stale', async () => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    addProduction(26 * HOUR, ['success'])
    const stale = addProduction(3 * HOUR, ['in_progress'])
    const holder = addProduction(10 * MINUTE, ['queued', 'in_progress'], { creator: 'bob' })
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(result.decision).toBe('abort')
    const lock = itemOf(result, 'lock')
    expect(lock.status).toBe('fail')
    expect(lock.detail).toBe(
      `deployment #${holder} by bob is in_progress (started 10m ago); stale, ignored (over 1 h): #${stale}`
    )
  })

  it('fails staging when the newest staging deployment of the commit failed', async () => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    const failed = gh.addDeployment({
      sha: SHA,
      ref: 'v1.2.0',
      environment: 'staging',
      statuses: [{ state: 'failure' }]
    })
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(itemOf(result, 'staging')).toMatchObject({
      status: 'fail',
      detail: `newest deployment #${failed} of this commit to staging is failure, not success`
    })
    expect(result.decision).toBe('abort')
  })

  it('passes staging for a commit whose staging deployment succeeded and was then made inactive by GitHub', async () => {
    seedGreenRepo(gh, SHA)
    const ours = gh.addDeployment({ sha: SHA, ref: 'v1.2.0', environment: 'staging' })
    const api = connect(gh, clock).api
    await api.createDeploymentStatus(ours, { state: 'success' })
    // a newer commit succeeds on staging: GitHub marks ours inactive (auto_inactive)
    const newer = gh.addDeployment({ sha: 'b'.repeat(40), ref: 'v1.3.0', environment: 'staging' })
    await api.createDeploymentStatus(newer, { state: 'success' })
    expect(gh.state.deployments.find((d) => d.id === ours)?.statuses.at(-1)?.state).toBe('inactive')
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(itemOf(result, 'staging')).toMatchObject({
      status: 'pass',
      detail: `staging: v1.2.0 was live 0 min, then replaced by a newer one (deployment #${ours})`
    })
  })

  it('fails staging for a staging deployment made inactive without ever succeeding', async () => {
    seedGreenRepo(gh, SHA)
    const never = gh.addDeployment({
      sha: SHA,
      ref: 'v1.2.0',
      environment: 'staging',
      statuses: [{ state: 'failure' }, { state: 'inactive' }]
    })
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(itemOf(result, 'staging')).toMatchObject({
      status: 'fail',
      detail: `newest deployment #${never} of this commit to staging is inactive, not success`
    })
  })

  it('fails staging when this commit never went to staging (another commit did)', async () => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, 'b'.repeat(40), 'v1.1.0')
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(itemOf(result, 'staging')).toMatchObject({
      status: 'fail',
      detail: `no deployment of ${SHA.slice(0, 7)} to staging`
    })
  })

  it('does not read staging for a target that is not production', async () => {
    seedGreenRepo(gh, SHA)
    const result = await runGate(settingsOf({ environment: 'qa' }), ctx(), deps())
    expect(itemOf(result, 'staging').status).toBe('na')
    expect(itemOf(result, 'window').status).toBe('na')
    expect(gh.requestCount(/deployments$/)).toBe(1)
    expect(result.decision).toBe('go')
  })

  it('fails staging and lock when the deployments cannot be read', async () => {
    seedGreenRepo(gh, SHA)
    gh.failNext(8, 500, /deployments$/)
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(itemOf(result, 'lock')).toMatchObject({ status: 'fail' })
    expect(itemOf(result, 'lock').detail).toMatch(/^could not read the deployments: .*HTTP 500/)
    expect(itemOf(result, 'staging').status).toBe('fail')
    expect(result.decision).toBe('abort')
  })
})

describe('runGate: bake time on each staging environment', () => {
  /** A deployment of the commit to `environment` whose statuses came `agoMs` before now. */
  const addStaging = (
    environment: string,
    statuses: Array<[string, number]>,
    sha: string = SHA
  ): number =>
    gh.addDeployment({
      sha,
      ref: 'v1.2.0',
      environment,
      payload: { version: 'v1.2.0' },
      created_at: new Date(clock.now().getTime() - (statuses[0]?.[1] ?? 0)).toISOString(),
      statuses: statuses.map(([state, agoMs]) => ({
        state: state as 'success',
        created_at: new Date(clock.now().getTime() - agoMs).toISOString()
      }))
    })
  beforeEach(() => seedGreenRepo(gh, SHA))

  it('postpones a release that succeeded on staging 10 min ago until the exact instant the 30 min bake completes', async () => {
    const id = addStaging('staging', [
      ['in_progress', 12 * MINUTE],
      ['success', 10 * MINUTE]
    ])
    const result = await runGate(settingsOf({ 'bake-time': '30m' }), ctx(), deps())
    expect(result.decision).toBe('postpone')
    expect(result.nextWindow).toEqual(new Date('2026-11-25T09:20:00Z'))
    expect(itemOf(result, 'staging')).toMatchObject({
      status: 'fail',
      detail: `staging: v1.2.0 live 10 min (deployment #${id}); baked 10 min on staging, needs 30 min: baked at 2026-11-25T09:20:00+00:00`
    })
    // one list of the commit's deployments, one history of the staging one
    expect(gh.requests.filter((r) => r.query.sha === SHA && !r.query.environment)).toHaveLength(1)
    expect(gh.requestCount(new RegExp(`deployments/${id}/statuses`))).toBe(1)
    // 20 min later it goes
    clock.set(new Date('2026-11-25T09:20:00Z'))
    const later = await runGate(settingsOf({ 'bake-time': '30m' }), ctx(), deps())
    expect(later.decision).toBe('go')
    expect(itemOf(later, 'staging').detail).toBe(
      `staging: v1.2.0 live 30 min (deployment #${id}); baked 30 min on staging, needs 30 min`
    )
  })

  it('merges the bake with the freeze windows: a bake completing inside a freeze waits for its end', async () => {
    clock.set(new Date('2026-11-27T13:55:00Z')) // Friday, just before the default freeze
    addStaging('staging', [['success', 5 * MINUTE]])
    // a 1 min runway: the window itself is open at 13:55, only the bake waits
    const result = await runGate(settingsOf({ 'bake-time': '30m', runway: '1m' }), ctx(), deps())
    expect(itemOf(result, 'window').status).toBe('pass')
    expect(result.decision).toBe('postpone')
    expect(result.nextWindow).toEqual(new Date('2026-11-30T00:00:00Z'))
  })

  it('a bake completing within the runway of a freeze waits for the freeze to end', async () => {
    clock.set(new Date('2026-11-27T12:00:00Z')) // Friday noon; bake done 13:30, freeze at 14:00
    addStaging('staging', [['success', 0]])
    const result = await runGate(
      settingsOf({ 'bake-time': '90m', 'monitor-duration': '30m' }),
      ctx(),
      deps()
    )
    expect(result.decision).toBe('postpone')
    // 13:30 + the 45 min runway runs into the 14:00 freeze: Monday, not 13:30
    expect(result.nextWindow).toEqual(new Date('2026-11-30T00:00:00Z'))
  })

  it('aborts a commit whose staging deployment was rolled back, naming it', async () => {
    const id = addStaging('staging', [
      ['success', 50 * MINUTE],
      ['failure', 5 * MINUTE]
    ])
    const result = await runGate(settingsOf({ 'bake-time': '30m' }), ctx(), deps())
    expect(result.decision).toBe('abort')
    expect(itemOf(result, 'staging')).toMatchObject({
      status: 'fail',
      detail: `deployment #${id} (v1.2.0) to staging was rolled back: failure at 2026-11-25T08:55:00+00:00, after its success`
    })
  })

  it('needs each staging environment (matched ignoring case): one missing aborts, naming it', async () => {
    addStaging('staging', [['success', 2 * HOUR]])
    const settings = settingsOf({
      'staging-environment': 'staging, production-canary',
      'bake-time': '30m'
    })
    const missing = await runGate(settings, ctx(), deps())
    expect(missing.decision).toBe('abort')
    expect(itemOf(missing, 'staging').detail).toContain(
      `no deployment of ${SHA.slice(0, 7)} to production-canary`
    )
    // another commit's canary deployment does not count
    addStaging('production-canary', [['success', 2 * HOUR]], 'b'.repeat(40))
    expect((await runGate(settings, ctx(), deps())).decision).toBe('abort')
    const canary = addStaging('Production-Canary', [['success', 45 * MINUTE]])
    const met = await runGate(settings, ctx(), deps())
    expect(met.decision).toBe('go')
    expect(itemOf(met, 'staging').detail).toContain(
      `production-canary: v1.2.0 live 45 min (deployment #${canary}); baked 45 min on production-canary, needs 30 min`
    )
  })

  it('P1 by a maintainer lifts bake time; the role is read for it outside any window', async () => {
    addStaging('staging', [['success', 10 * MINUTE]])
    gh.setPermission('alice', 'maintain')
    const p1 = { urgency: 'P1', reason: 'checkout is down', 'bake-time': '30m' }
    const result = await runGate(settingsOf(p1), ctx(), deps())
    expect(gh.requestCount(/permission$/)).toBe(1)
    expect(result.decision).toBe('go')
    expect(itemOf(result, 'staging').detail).toContain('bake time lifted by P1 (alice, maintain)')
  })
})

describe('runGate: the P1 override inside a freeze window', () => {
  beforeEach(() => {
    clock.set(FRIDAY_AFTERNOON)
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
  })

  const p1 = { urgency: 'P1', reason: 'checkout is down' }

  it('postpones without P1, and never asks for the role', async () => {
    const result = await runGate(settingsOf(), ctx(), deps())
    expect(result.decision).toBe('postpone')
    expect(result.nextWindow).toEqual(new Date('2026-11-30T00:00:00Z'))
    expect(gh.requestCount(/permission$/)).toBe(0)
  })

  it('aborts when the freeze windows never end: a postponed release could never resume', async () => {
    const result = await runGate(
      settingsOf({
        freeze: [
          '- days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun]',
          '  from: "00:00"',
          '  to: "12:00"',
          '  name: Mornings',
          '- days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun]',
          '  from: "12:00"',
          '  to: "00:00"',
          '  name: Afternoons'
        ].join('\n')
      }),
      ctx(),
      deps()
    )
    expect(result.decision).toBe('abort')
    expect(result.nextWindow).toBeUndefined()
    expect(itemOf(result, 'window').detail).toMatch(
      /next window opens never \(the freeze windows never end\)$/
    )
  })

  it('goes for a maintainer (role_name maintain, legacy permission write)', async () => {
    gh.setPermission('alice', 'maintain')
    const result = await runGate(settingsOf(p1), ctx(), deps())
    expect(result.decision).toBe('go')
    expect(result.overridden).toBe(true)
    expect(itemOf(result, 'window').detail).toContain('alice has role maintain')
    expect(gh.requestCount(/permission$/)).toBe(1)
  })

  it('refuses a writer', async () => {
    gh.setPermission('alice', 'write')
    const result = await runGate(settingsOf(p1), ctx(), deps())
    expect(result.decision).toBe('postpone')
    expect(result.overridden).toBe(false)
    expect(itemOf(result, 'window').detail).toContain(
      'P1 override refused: alice has role write, maintain or admin required'
    )
  })

  it('refuses the override when the permission call fails', async () => {
    gh.setPermission('alice', 'admin')
    gh.failNext(10, 502, /permission$/)
    const result = await runGate(settingsOf(p1), ctx(), deps())
    expect(result.overridden).toBe(false)
    expect(result.decision).toBe('postpone')
    expect(itemOf(result, 'window').detail).toMatch(
      /P1 override refused: could not read the role of alice \(GET .*permission failed: HTTP 502/
    )
    expect(gh.requestCount(/permission$/)).toBe(4)
  })

  it('refuses the override without an actor', async () => {
    gh.setPermission('alice', 'admin')
    const result = await runGate(settingsOf(p1), ctx({ actor: '' }), deps())
    expect(result.overridden).toBe(false)
    expect(itemOf(result, 'window').detail).toContain('could not read the role')
    expect(gh.requestCount(/permission$/)).toBe(0)
  })

  it('lifts only the time rules: another failure still aborts', async () => {
    gh.setPermission('alice', 'admin')
    const result = await runGate(settingsOf({ ...p1, 'rollback-command': '' }), ctx(), deps())
    expect(itemOf(result, 'window').status).toBe('pass')
    expect(itemOf(result, 'rollback').status).toBe('fail')
    expect(result.decision).toBe('abort')
  })
})

describe('runGate: migrations and monitoring', () => {
  it('runs the migration check only with migrations, and reports a silent monitoring URL', async () => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    const d = deps({
      probe: (url) => ({ url, ok: url.includes('grafana') === false, detail: 'HTTP 503' })
    })
    let migrationChecks = 0
    d.checkMigrations = async () => {
      migrationChecks++
      return { ok: false, durationMs: 900, reason: 'exit code 1' }
    }
    const result = await runGate(
      settingsOf({
        'migrate-command': './migrate.sh',
        'migrate-check-command': './migrate.sh --dry-run',
        'monitoring-url':
          'https://status.example.com/ok, https://user:pw@grafana.example.com/api/health?key=k'
      }),
      ctx(),
      d
    )
    expect(migrationChecks).toBe(1)
    expect(statusOf(result)).toMatchObject({
      migrations: 'fail',
      monitoring: 'fail',
      backup: 'fail'
    })
    expect(itemOf(result, 'monitoring').detail).toBe(
      'not answering: https://grafana.example.com/api/health (HTTP 503)'
    )
    expect(result.decision).toBe('abort')

    migrationChecks = 0
    await runGate(settingsOf(), ctx(), d)
    expect(migrationChecks).toBe(0)
  })

  it('speaks French end to end', async () => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    const result = await runGate(settingsOf({ language: 'fr' }), ctx(), deps())
    expect(result.checklist.map((i) => i.item)).toEqual([
      'Tests CI passent',
      'Staging validé',
      'Migrations testées',
      'Pas vendredi après 14h',
      'Monitoring actif',
      'Plan de rollback prêt',
      'Backup prêt',
      'Aucun autre déploiement en cours',
      'Revue de code approuvée',
      'Aucune alerte en cours'
    ])
  })
})

describe('the lock rule, written once: the gate and the re-check after creating the deployment agree', () => {
  it.each([
    [HOUR - 1, 'holds', true],
    [HOUR, 'is stale', false]
  ])('an in_progress deployment %i ms old %s for both', async (age, _what, holds) => {
    seedGreenRepo(gh, SHA)
    seedStagingSuccess(gh, SHA, 'v1.2.0')
    const rival = addProduction(age, ['in_progress'], { creator: 'bob' })
    const gate = await runGate(settingsOf(), ctx(), deps())
    expect(itemOf(gate, 'lock').status).toBe(holds ? 'fail' : 'pass')
    if (!holds) expect(itemOf(gate, 'lock').detail).toContain(`#${rival}`)
    // our deployment, created after the gate: the re-check judges the rival the same way
    const ours = gh.addDeployment({ sha: SHA, ref: 'v1.2.0', environment: 'production' })
    const holder = await recheckLock(connect(gh, clock).api, {
      environment: 'production',
      ourId: ours,
      known: gate.facts.deployments.target,
      now: clock.now()
    })
    expect(holder?.id).toBe(holds ? rival : undefined)
  })

  it('the age comparison itself: under an hour is young, an hour is not', () => {
    const now = new Date('2026-11-25T10:00:00Z')
    expect(isYoung({ createdAt: new Date(now.getTime() - HOUR + 1) }, now)).toBe(true)
    expect(isYoung({ createdAt: new Date(now.getTime() - HOUR) }, now)).toBe(false)
  })
})
