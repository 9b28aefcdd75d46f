import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { startGitHubApi, type GitHubApi as StandIn } from '../../__fixtures__/github-api.js'
import { GitHubError } from '../../src/github/client.js'
import { connect, recordingClock, TOKEN } from './connect.js'

const START = new Date('2026-11-25T09:00:00Z')
const SHA = 'c0ffee0000000000000000000000000000000002'

let gh: StandIn

beforeEach(async () => {
  gh = await startGitHubApi({ clock: () => START })
})
afterEach(async () => {
  await gh.close()
})

const clock = () => recordingClock(START)
const statusPath = `/repos/acme/shop/commits/${SHA}/status`
const rejection = (p: Promise<unknown>): Promise<GitHubError> =>
  p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(GitHubError)
      return e as GitHubError
    }
  )

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port
      s.close(() => resolve(p))
    })
  })

describe('the GitHub client (octokit from @actions/github)', () => {
  it('sends the token, the API version and JSON bodies', async () => {
    const { api } = connect(gh, clock())
    const d = await api.createDeployment({
      ref: 'main',
      environment: 'qa',
      description: 'v1',
      payload: { version: 'v1' },
      production_environment: false
    })
    expect(d.id).toBeGreaterThan(0)
    const sent = gh.requests[0]
    expect(sent?.headers.authorization).toBe(`token ${TOKEN}`)
    expect(sent?.headers['x-github-api-version']).toBe('2022-11-28')
    expect(sent?.headers['user-agent']).toMatch(/^red-button /)
    expect(sent?.body).toMatchObject({ ref: 'main', environment: 'qa', required_contexts: [] })
  })

  it('follows Link rel="next" across pages (octokit.paginate) and counts every request', async () => {
    for (let i = 1; i <= 250; i++) gh.addStatus(SHA, { context: `ctx-${i}`, state: 'success' })
    const { api } = connect(gh, clock())
    const combined = await api.combinedStatus(SHA)
    expect(combined.statuses).toHaveLength(250)
    expect(combined.total_count).toBe(250)
    expect(new Set(combined.statuses.map((s) => s.context)).size).toBe(250)
    expect(api.requestCount).toBe(3)
    expect(gh.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3'])
    expect(gh.requests.every((r) => r.query.per_page === '100')).toBe(true)
  })

  it('stops at maxPages', async () => {
    for (let i = 0; i < 250; i++) gh.addDeployment({ sha: SHA, ref: 'main', environment: 'qa' })
    const { api } = connect(gh, clock())
    expect(await api.listDeployments({ environment: 'qa' }, 2)).toHaveLength(200)
    expect(api.requestCount).toBe(2)
  })

  it('retries 5xx answers (the retry plugin)', async () => {
    gh.failNext(2, 502)
    const { api } = connect(gh, clock())
    expect((await api.combinedStatus(SHA)).total_count).toBe(0)
    expect(api.requestCount).toBe(3)
    expect(gh.requestCount(/\/status$/)).toBe(3)
  })

  it('gives up after the last retry with the status and the route', async () => {
    gh.failNext(10, 503)
    const { api } = connect(gh, clock(), { retries: 2 })
    const error = await rejection(api.combinedStatus(SHA))
    expect(error.status).toBe(503)
    expect(error.route).toBe(`GET ${statusPath}`)
    expect(error.message).toBe(`GET ${statusPath} failed: HTTP 503: Server Error`)
    expect(gh.requestCount()).toBe(3)
  })

  it('never repeats POST deployments after a 5xx: a second one could hold the lock as a phantom', async () => {
    gh.failNext(1, 502, /deployments$/)
    const { api } = connect(gh, clock())
    const error = await rejection(
      api.createDeployment({
        ref: 'main',
        environment: 'production',
        description: 'v1',
        payload: {},
        production_environment: true
      })
    )
    expect(error.status).toBe(502)
    expect(gh.requestCount(/^POST .*\/deployments$/)).toBe(1)
  })

  it('does repeat POST deployments after a secondary rate limit: GitHub did nothing with it', async () => {
    gh.failNext(1, 403, /deployments$/)
    const { api } = connect(gh, clock())
    const d = await api.createDeployment({
      ref: 'main',
      environment: 'production',
      description: 'v1',
      payload: {},
      production_environment: true
    })
    expect(d.id).toBeGreaterThan(0)
    expect(gh.requestCount(/^POST .*\/deployments$/)).toBe(2)
    expect(gh.state.deployments).toHaveLength(1)
  })

  it('waits Retry-After on a secondary rate limit (the throttling plugin), then succeeds', async () => {
    gh.failNext(1, 403)
    const { api } = connect(gh, clock())
    const started = Date.now()
    expect((await api.combinedStatus(SHA)).state).toBe('pending')
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(gh.requestCount()).toBe(2)
  })

  it('reads Retry-After given as an HTTP date', async () => {
    // a date 2 s ahead, rounded down to the second as HTTP dates are
    gh.failNext(1, 403, undefined, new Date(Date.now() + 2000).toUTCString())
    const { api } = connect(gh, clock(), { maxWaitMs: 5000 })
    const started = Date.now()
    expect((await api.combinedStatus(SHA)).state).toBe('pending')
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(gh.requestCount()).toBe(2)
  })

  it('does not wait longer than maxWaitMs: a longer rate limit fails at once', async () => {
    gh.failNext(1, 403, undefined, '120')
    const { api } = connect(gh, clock(), { maxWaitMs: 60_000 })
    const error = await rejection(api.combinedStatus(SHA))
    expect(error.status).toBe(403)
    expect(error.message).toMatch(/secondary rate limit/)
    expect(gh.requestCount()).toBe(1)
  })

  it('does not retry a 403 that is not a rate limit', async () => {
    gh.state.readOnlyComments = true
    const { api } = connect(gh, clock())
    const error = await rejection(api.createComment(1, 'hi'))
    expect(error.status).toBe(403)
    expect(error.message).toContain('Resource not accessible by integration')
    expect(gh.requestCount()).toBe(1)
  })

  it('does not retry a 404', async () => {
    const { api } = connect(gh, clock())
    const error = await rejection(api.latestStatus(424242))
    expect(error.status).toBe(404)
    expect(gh.requestCount()).toBe(1)
  })

  it('does not retry bad credentials (401)', async () => {
    gh.state.tokens = ['another-token']
    const { api } = connect(gh, clock())
    const error = await rejection(api.combinedStatus(SHA))
    expect(error.status).toBe(401)
    expect(error.message).toContain('Bad credentials')
    expect(gh.requestCount()).toBe(1)
  })

  it('retries network errors, then fails saying so', async () => {
    const port = await freePort()
    const { api } = connect({ ...gh, url: `http://127.0.0.1:${port}` } as StandIn, clock(), {
      retries: 1
    })
    const error = await rejection(api.listDeployments({}))
    expect(error.status).toBe(0)
    expect(error.message).toMatch(/^GET \/repos\/acme\/shop\/deployments failed: network error/)
    expect(api.requestCount).toBe(2)
  })

  it('gives each attempt a time limit', async () => {
    const silent = createHttpServer(() => undefined) // takes the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as AddressInfo
      const { api } = connect({ ...gh, url: `http://127.0.0.1:${port}` } as StandIn, clock(), {
        timeoutMs: 200,
        retries: 1
      })
      const error = await rejection(api.listDeployments({}))
      expect(error.message).toMatch(/network error: no answer within/)
      expect(api.requestCount).toBe(2)
    } finally {
      silent.closeAllConnections()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('polls with If-None-Match: a 304 is answered from what was kept and costs no rate limit', async () => {
    gh.addCheckRun(SHA, { name: 'test', status: 'in_progress' })
    const { api, client } = connect(gh, clock())
    const first = await api.listCheckRuns(SHA)
    const again = await api.listCheckRuns(SHA)
    expect(again).toEqual(first)
    const polls = gh.requests.filter((r) => r.path.endsWith('/check-runs'))
    expect(polls.map((r) => r.status)).toEqual([200, 304])
    expect(polls[0]?.headers['if-none-match']).toBeUndefined()
    expect(polls[1]?.headers['if-none-match']).toMatch(/^W\/"/)
    expect(gh.state.rateLimit.used).toBe(1)
    expect(client.notModified).toBe(1)
    // a change gives a new answer, in full
    gh.setCheckRun(SHA, 'test', { status: 'completed', conclusion: 'success' })
    expect((await api.listCheckRuns(SHA))[0]?.conclusion).toBe('success')
    expect(gh.requests.at(-1)?.status).toBe(200)
  })

  it('works under a GitHub Enterprise Server path prefix', async () => {
    const ghes = await startGitHubApi({ pathPrefix: '/api/v3', clock: () => START })
    try {
      ghes.addStatus(SHA, { context: 'ci', state: 'success' })
      const { api } = connect(ghes, clock())
      const combined = await api.combinedStatus(SHA)
      expect(combined.statuses.map((s) => s.context)).toEqual(['ci'])
      expect(ghes.requests[0]?.path).toBe(`/api/v3/repos/acme/shop/commits/${SHA}/status`)
    } finally {
      await ghes.close()
    }
  })
})
