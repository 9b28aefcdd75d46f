import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  DEFAULT_RUN_CHECK_SUITE_ID,
  DEFAULT_RUN_ID,
  startGitHubApi,
  type GitHubApi as StandIn
} from '../../__fixtures__/github-api.js'
import { GitHubError } from '../../src/github/client.js'
import { connect, recordingClock } from './connect.js'

const START = new Date('2026-11-25T09:00:00Z')
const SHA = 'c0ffee0000000000000000000000000000000003'

let gh: StandIn

beforeEach(async () => {
  gh = await startGitHubApi({ headSha: SHA, clock: () => START })
})
afterEach(async () => {
  await gh.close()
})

const client = () => connect(gh, recordingClock(START))

describe('GitHubApi', () => {
  it('lists check runs over several pages, latest per name only', async () => {
    for (let i = 1; i <= 250; i++) gh.addCheckRun(SHA, { name: `job-${i}` })
    gh.addCheckRun(SHA, { name: 'job-1', conclusion: 'failure' }) // a re-run: the latest counts
    const { api } = client()
    const runs = await api.listCheckRuns(SHA)
    expect(runs).toHaveLength(250)
    expect(runs.filter((r) => r.name === 'job-1').map((r) => r.conclusion)).toEqual(['failure'])
    expect(gh.requestCount(/check-runs$/)).toBe(3)
    expect(gh.requests[0]?.query).toMatchObject({ filter: 'latest', per_page: '100' })
  })

  it('reads a commit without statuses as pending with total_count 0', async () => {
    const { api } = client()
    expect(await api.combinedStatus(SHA)).toEqual({
      state: 'pending',
      total_count: 0,
      statuses: []
    })
  })

  it('reads the combined status and every status', async () => {
    gh.addStatus(SHA, { context: 'ci/a', state: 'pending' })
    gh.addStatus(SHA, { context: 'ci/a', state: 'success' })
    gh.addStatus(SHA, { context: 'ci/b', state: 'failure' })
    const { api } = client()
    const combined = await api.combinedStatus(SHA)
    expect(combined.state).toBe('failure')
    expect(combined.total_count).toBe(2)
    expect(combined.statuses.map((s) => [s.context, s.state])).toEqual([
      ['ci/b', 'failure'],
      ['ci/a', 'success']
    ])
  })

  it('finds the check suite of this workflow run; an unknown run is a 404', async () => {
    const { api } = client()
    expect(await api.runCheckSuiteId(DEFAULT_RUN_ID)).toBe(DEFAULT_RUN_CHECK_SUITE_ID)
    await expect(api.runCheckSuiteId(1)).rejects.toMatchObject({ status: 404 })
  })

  it('lists deployments filtered by environment and sha, newest first', async () => {
    const a = gh.addDeployment({ sha: SHA, ref: 'v1', environment: 'staging' })
    const b = gh.addDeployment({ sha: SHA, ref: 'v1', environment: 'production' })
    const c = gh.addDeployment({ sha: 'f'.repeat(40), ref: 'v0', environment: 'staging' })
    const d = gh.addDeployment({ sha: SHA, ref: 'v1', environment: 'staging' })
    const { api } = client()
    expect((await api.listDeployments({ environment: 'staging' })).map((x) => x.id)).toEqual([
      d,
      c,
      a
    ])
    expect(
      (await api.listDeployments({ environment: 'staging', sha: SHA })).map((x) => x.id)
    ).toEqual([d, a])
    expect((await api.listDeployments({ environment: 'production' })).map((x) => x.id)).toEqual([b])
  })

  it('reads the latest status of a deployment, or none', async () => {
    const id = gh.addDeployment({
      sha: SHA,
      ref: 'v1',
      environment: 'production',
      statuses: [{ state: 'in_progress' }, { state: 'success' }]
    })
    const bare = gh.addDeployment({ sha: SHA, ref: 'v2', environment: 'production' })
    const { api } = client()
    expect((await api.latestStatus(id))?.state).toBe('success')
    expect(await api.latestStatus(bare)).toBeUndefined()
    expect(gh.requests.every((r) => r.query.per_page === '1')).toBe(true)
  })

  it('creates deployments without GitHub merging or status checks', async () => {
    gh.addStatus(SHA, { context: 'ci/slow', state: 'pending' })
    const { api } = client()
    const d = await api.createDeployment({
      ref: 'v1.2.0',
      environment: 'production',
      description: 'Deploy v1.2.0',
      payload: { version: 'v1.2.0', tool: 'red-button' },
      production_environment: true
    })
    expect(d.environment).toBe('production')
    expect(gh.requests[0]?.body).toMatchObject({
      auto_merge: false,
      required_contexts: [],
      transient_environment: false
    })
  })

  it('truncates a long status description to 140 characters; auto_inactive only on success', async () => {
    const id = gh.addDeployment({ sha: SHA, ref: 'v1', environment: 'production' })
    const { api } = client()
    await api.createDeploymentStatus(id, { state: 'in_progress', description: 'x'.repeat(300) })
    await api.createDeploymentStatus(id, { state: 'success', description: 'done' })
    const [first, second] = gh.requests.map((r) => r.body as Record<string, unknown>)
    expect(first?.description).toHaveLength(140)
    expect(String(first?.description).endsWith('...')).toBe(true)
    expect(first?.auto_inactive).toBe(false)
    expect(second?.auto_inactive).toBe(true)
    expect(gh.state.deployments[0]?.statuses.map((s) => s.state)).toEqual([
      'in_progress',
      'success'
    ])
  })

  it('reads role_name, not the legacy permission (a maintainer reads "write" there)', async () => {
    gh.setPermission('mia', 'maintain')
    gh.setPermission('wes', 'write')
    const { api } = client()
    expect(await api.roleOf('mia')).toBe('maintain')
    expect(await api.roleOf('MIA')).toBe('maintain')
    expect(await api.roleOf('wes')).toBe('write')
    expect(await api.roleOf('nobody')).toBeUndefined()
  })

  it('lets a failing permission look-up throw rather than guess', async () => {
    gh.setPermission('mia', 'admin')
    gh.failNext(1, 401, /permission$/)
    const { api } = client()
    const error = await api.roleOf('mia').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).status).toBe(401)
  })

  it('lists, creates and updates PR comments', async () => {
    gh.addPull(SHA, { number: 12, title: 'Faster checkout', head_ref: 'feat/checkout' })
    const { api } = client()
    expect((await api.listPullsForCommit(SHA)).map((p) => p.number)).toEqual([12])
    const made = await api.createComment(12, 'first')
    await api.updateComment(made.id, 'second')
    expect((await api.listComments(12)).map((c) => c.body)).toEqual(['second'])
  })
})
