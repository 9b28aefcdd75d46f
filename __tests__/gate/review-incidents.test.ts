import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import { startAlertmanager, type AlertmanagerStandIn } from '../../__fixtures__/alertmanager.js'
import {
  DEFAULT_RUN_ID,
  startGitHubApi,
  type GitHubApi as StandIn
} from '../../__fixtures__/github-api.js'
import { seedGreenRepo, seedStagingSuccess } from '../../__fixtures__/start-stand-ins.js'
import { parseMatchers } from '../../src/alerts/matchers.js'
import { runGate, type GateResult } from '../../src/gate/index.js'
import { tally } from '../../src/gate/review.js'
import type { RunContext } from '../../src/github/context.js'
import type { ItemId } from '../../src/record/types.js'
import { parseSettings, type InputName } from '../../src/settings/schema.js'
import { MemoryLog } from '../run/log.js'
import { connect, recordingClock } from '../github/connect.js'

/** The `review` and `incidents` items against the GitHub and Alertmanager stand-ins. */

const SHA = 'c0ffee0000000000000000000000000000000042'
const WEDNESDAY = new Date('2026-11-25T09:00:00Z')

let gh: StandIn
let am: AlertmanagerStandIn
const clock = recordingClock(WEDNESDAY)

beforeEach(async () => {
  gh = await startGitHubApi({ headSha: SHA, clock: () => WEDNESDAY })
  am = await startAlertmanager()
  seedGreenRepo(gh, SHA)
  seedStagingSuccess(gh, SHA, 'v1.2.0')
  gh.setPermission('maya', 'maintain')
  gh.setPermission('walt', 'write')
})
afterEach(async () => {
  await Promise.all([gh.close(), am.close()])
})

const ctx = (extra: Partial<RunContext> = {}): RunContext => ({
  owner: 'acme',
  repo: 'shop',
  sha: SHA,
  ref: 'refs/heads/main',
  actor: 'maya',
  runId: DEFAULT_RUN_ID,
  eventName: 'push',
  apiUrl: gh.url,
  serverUrl: 'https://github.com',
  workspace: tmpdir(),
  tempDir: tmpdir(),
  ...extra
})

function gate(inputs: Partial<Record<InputName, string>> = {}, c: Partial<RunContext> = {}) {
  const settings = parseSettings({
    environment: 'production',
    'dry-run': 'true',
    'monitoring-url': 'https://grafana.example/api/health',
    'rollback-command': './rollback.sh',
    ...inputs
  })
  return runGate(settings, ctx(c), {
    api: connect(gh, clock).api,
    clock,
    log: new MemoryLog(),
    checkMigrations: async () => ({ ok: true, durationMs: 1, reason: '' }),
    probeUrl: async (url) => ({ url, ok: true, detail: '200' })
  })
}

const item = (r: GateResult, id: ItemId) => r.checklist.find((i) => i.id === id)

/** The commit as the squash of pull request #42 by alice, merged. */
const mergedPull = (author = 'alice') =>
  gh.addPull(SHA, {
    number: 42,
    title: 'Add exports',
    head_ref: 'feature/exports',
    state: 'merged',
    user: author
  })

describe('review: reviewed code only', () => {
  it('a commit pushed straight to main fails: no approved pull request', async () => {
    const r = await gate()
    expect(item(r, 'review')).toMatchObject({
      status: 'fail',
      detail: `no approved pull request: ${SHA.slice(0, 7)} is not the commit of a merged pull request (a direct push?)`
    })
    expect(r.decision).toBe('abort')
  })

  it('the same commit through a pull request approved by someone else passes', async () => {
    mergedPull()
    gh.addReview(42, 'bob', 'APPROVED')
    const r = await gate()
    expect(item(r, 'review')).toMatchObject({ status: 'pass', detail: '#42 approved by bob' })
    expect(r.decision).toBe('go')
    // one read of the pull requests, then their reviews
    expect(gh.requestCount(/\/pulls$/)).toBe(1)
    expect(gh.requestCount(/\/pulls\/42\/reviews$/)).toBe(1)
  })

  it("the author's own approval never counts", async () => {
    mergedPull('alice')
    gh.addReview(42, 'alice', 'APPROVED')
    expect(item(await gate(), 'review')).toMatchObject({
      status: 'fail',
      detail: '#42 has 0 of 1 approval'
    })
  })

  it('an approval followed by a change request from the same reviewer fails, naming them', async () => {
    mergedPull()
    gh.addReview(42, 'bob', 'APPROVED', '2026-11-24T10:00:00Z')
    gh.addReview(42, 'bob', 'CHANGES_REQUESTED', '2026-11-24T11:00:00Z')
    gh.addReview(42, 'carol', 'APPROVED', '2026-11-24T12:00:00Z')
    expect(item(await gate(), 'review')).toMatchObject({
      status: 'fail',
      detail: '#42 has 1 of 1 approval; bob requested changes'
    })
  })

  it('a comment does not change a reviewer’s word; a dismissed approval no longer counts', async () => {
    mergedPull()
    gh.addReview(42, 'bob', 'APPROVED', '2026-11-24T10:00:00Z')
    gh.addReview(42, 'bob', 'COMMENTED', '2026-11-24T11:00:00Z')
    gh.addReview(42, 'carol', 'DISMISSED', '2026-11-24T12:00:00Z')
    expect(item(await gate(), 'review')).toMatchObject({
      status: 'pass',
      detail: '#42 approved by bob'
    })
    expect(item(await gate({ 'required-approvals': '2' }), 'review')).toMatchObject({
      status: 'fail',
      detail: '#42 has 1 of 2 approvals'
    })
  })

  it('two approvals required: two other people, bots counting like people', async () => {
    mergedPull()
    gh.addReview(42, 'bob', 'APPROVED')
    gh.addReview(42, 'release-bot[bot]', 'APPROVED')
    expect(item(await gate({ 'required-approvals': '2' }), 'review')).toMatchObject({
      status: 'pass',
      detail: '#42 approved by bob, release-bot[bot]'
    })
  })

  it('a dry run on a pull request looks at that open pull request', async () => {
    gh.addPull(SHA, { number: 7, title: 'Open one', head_ref: 'feature/open', user: 'alice' })
    gh.addReview(7, 'bob', 'APPROVED')
    const r = await gate({}, { eventName: 'pull_request', pullNumber: 7 })
    expect(item(r, 'review')).toMatchObject({ status: 'pass', detail: '#7 approved by bob' })
  })

  it('P1 never lifts it', async () => {
    const r = await gate({ urgency: 'P1', reason: 'checkout is down' })
    expect(item(r, 'review')?.status).toBe('fail')
    expect(r.decision).toBe('abort')
  })

  it('a token that cannot read pull requests fails the item with a clear detail', async () => {
    mergedPull()
    gh.failNext(1, 404, /reviews$/)
    expect(item(await gate(), 'review')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^could not read the pull request's reviews: .*HTTP 404/)
    })
  })

  it('a token that cannot list the pull requests of the commit fails it too', async () => {
    // GitHub answers 404 to a token without access (a 403 from the stand-in is a rate limit)
    gh.failNext(1, 404, /\/pulls$/)
    expect(item(await gate(), 'review')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^could not read the pull request's reviews: .*pulls failed: HTTP 404/
      )
    })
  })

  it('is na outside production and with required-approvals: 0, and reads nothing then', async () => {
    expect(item(await gate({ environment: 'qa' }), 'review')?.status).toBe('na')
    expect(item(await gate({ 'required-approvals': '0' }), 'review')).toMatchObject({
      status: 'na',
      detail: 'required-approvals is 0'
    })
    expect(gh.requestCount(/\/pulls$/)).toBe(0)
  })

  it('speaks French', async () => {
    mergedPull()
    expect(item(await gate({ language: 'fr' }), 'review')).toMatchObject({
      item: 'Revue de code approuvée',
      detail: '#42 a 0 approbation sur 1'
    })
  })

  it('tally: the latest word per reviewer, in the order given', () => {
    const at = (n: number) => `2026-11-24T1${n}:00:00Z`
    expect(
      tally(
        [
          { id: 3, user: { login: 'bob' }, state: 'APPROVED', submitted_at: at(3) },
          { id: 1, user: { login: 'bob' }, state: 'CHANGES_REQUESTED', submitted_at: at(1) },
          { id: 2, user: { login: 'eve' }, state: 'APPROVED', submitted_at: at(2) },
          { id: 4, user: { login: 'eve' }, state: 'DISMISSED', submitted_at: at(4) },
          { id: 5, user: { login: 'Alice' }, state: 'APPROVED', submitted_at: at(5) }
        ],
        'alice'
      )
    ).toEqual({ approvers: ['bob'], changesRequested: [] })
  })
})

describe('incidents: never into an incident', () => {
  const withAm = (extra: Partial<Record<InputName, string>> = {}) => ({
    'required-approvals': '0',
    'alertmanager-url': am.url,
    ...extra
  })

  it('passes when nothing fires, asking Alertmanager for active, unsilenced, uninhibited alerts', async () => {
    const r = await gate(withAm({ 'alert-filter': 'severity="critical", service=~"shop|api"' }))
    expect(item(r, 'incidents')).toMatchObject({
      status: 'pass',
      detail: `no alert firing at ${am.url}`
    })
    const q = am.queries[0]?.params
    expect(q?.get('active')).toBe('true')
    expect(q?.get('silenced')).toBe('false')
    expect(q?.get('inhibited')).toBe('false')
    expect(q?.getAll('filter')).toEqual(['severity="critical"', 'service=~"shop|api"'])
  })

  it('a firing critical alert aborts a P3 release, naming it', async () => {
    am.fire(
      { alertname: 'HighErrorRate', severity: 'critical', service: 'shop' },
      { startsAt: '2026-11-25T08:58:00.000Z' }
    )
    const r = await gate(withAm({ 'alert-filter': 'severity="critical"' }))
    expect(item(r, 'incidents')).toMatchObject({
      status: 'fail',
      detail: '1 alert firing: HighErrorRate (critical) since 2026-11-25T08:58:00Z'
    })
    expect(r.decision).toBe('abort')
  })

  it('names three alerts at most', async () => {
    for (const n of [1, 2, 3, 4, 5]) am.fire({ alertname: `A${n}`, severity: 'warning' })
    expect(item(await gate(withAm()), 'incidents')?.detail).toMatch(
      /^5 alerts firing: A1 \(warning\) since \S+, A2 .*, A3 .* and 2 more$/
    )
  })

  it('silenced, inhibited and filtered-out alerts do not count', async () => {
    am.fire({ alertname: 'Quiet', severity: 'critical' }, { silenced: true })
    am.fire({ alertname: 'Inhibited', severity: 'critical' }, { inhibited: true })
    am.fire({ alertname: 'OtherTeam', severity: 'critical', service: 'billing' })
    const r = await gate(withAm({ 'alert-filter': 'service!="billing"' }))
    expect(item(r, 'incidents')?.status).toBe('pass')
  })

  it('a P1 hotfix with a reason by a maintainer goes through firing alerts, and says so', async () => {
    am.fire({ alertname: 'CheckoutDown', severity: 'critical' })
    const r = await gate(withAm({ urgency: 'P1', reason: 'fix checkout' }))
    expect(item(r, 'incidents')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^P1 hotfix while 1 alert fires: CheckoutDown \(critical\)/)
    })
    expect(r.decision).toBe('go')
    expect(gh.requestCount(/permission$/)).toBe(1)
  })

  it('the P1 of a write user does not lift it', async () => {
    am.fire({ alertname: 'CheckoutDown', severity: 'critical' })
    const r = await gate(withAm({ urgency: 'P1', reason: 'fix checkout' }), { actor: 'walt' })
    expect(item(r, 'incidents')?.status).toBe('fail')
  })

  it('an Alertmanager that does not answer fails the item', async () => {
    am.failWith = 503
    expect(item(await gate(withAm()), 'incidents')).toMatchObject({
      status: 'fail',
      detail: 'Alertmanager did not answer (HTTP 503): monitoring that cannot be read is not active'
    })
    await am.close()
    const down = await gate(withAm())
    expect(item(down, 'incidents')?.detail).toMatch(/^Alertmanager did not answer \(ECONNREFUSED\)/)
  })

  it('sends alertmanager-token as a bearer token', async () => {
    am.token = 'am-s3cret'
    expect(item(await gate(withAm()), 'incidents')?.status).toBe('fail')
    expect(
      item(await gate(withAm({ 'alertmanager-token': 'am-s3cret' })), 'incidents')
    ).toMatchObject({ status: 'pass' })
    expect(am.queries.at(-1)?.authorization).toBe('Bearer am-s3cret')
  })

  it('is na without alertmanager-url', async () => {
    expect(item(await gate({ 'required-approvals': '0' }), 'incidents')?.status).toBe('na')
  })
})

describe('alert-filter: Alertmanager matcher syntax', () => {
  it.each([
    ['severity="critical"', [{ name: 'severity', op: '=', value: 'critical' }]],
    [
      '{severity!="info", service=~"shop|api"}',
      [
        { name: 'severity', op: '!=', value: 'info' },
        { name: 'service', op: '=~', value: 'shop|api' }
      ]
    ],
    [
      'team!~"ops.*", note="a, \\"quoted\\" b"',
      [
        { name: 'team', op: '!~', value: 'ops.*' },
        { name: 'note', op: '=', value: 'a, "quoted" b' }
      ]
    ]
  ])('%s', (text, matchers) => {
    expect(parseMatchers(text)).toEqual({ matchers })
  })

  it.each(['severity=critical', 'a="1" b="2"', 'x=~"("', '1x="y"', 'x=="y"'])(
    'refuses %s',
    (text) => {
      expect(parseMatchers(text)).toHaveProperty('error')
    }
  )
})
