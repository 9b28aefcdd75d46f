import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:net'
import { startGitHubApi, type GitHubApi as StandIn } from '../../__fixtures__/github-api.js'
import { GitHubError, nextLink, RestClient } from '../../src/github/client.js'
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

const statusPath = `/repos/acme/shop/commits/${SHA}/status`

describe('RestClient', () => {
  it('sends the token, the API version and JSON bodies', async () => {
    const { client } = connect(gh, recordingClock(START))
    const res = await client.request<{ id: number }>('POST', '/repos/acme/shop/deployments', {
      body: { ref: 'main', environment: 'qa', required_contexts: [] }
    })
    expect(res.status).toBe(201)
    expect(res.data.id).toBeGreaterThan(0)
    const sent = gh.requests[0]
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(sent?.headers['x-github-api-version']).toBe('2022-11-28')
    expect(sent?.headers.accept).toBe('application/vnd.github+json')
    expect(sent?.body).toEqual({ ref: 'main', environment: 'qa', required_contexts: [] })
  })

  it('follows Link rel="next" across pages and counts every request', async () => {
    for (let i = 1; i <= 250; i++) gh.addStatus(SHA, { context: `ctx-${i}`, state: 'success' })
    const { client } = connect(gh, recordingClock(START))
    const items = await client.paginate<{ statuses: { context: string }[] }, { context: string }>(
      statusPath,
      {},
      (p) => p.statuses
    )
    expect(items).toHaveLength(250)
    expect(new Set(items.map((s) => s.context)).size).toBe(250)
    expect(client.requestCount).toBe(3)
    expect(gh.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3'])
    expect(gh.requests.every((r) => r.query.per_page === '100')).toBe(true)
  })

  it('stops at maxPages', async () => {
    for (let i = 1; i <= 250; i++) gh.addStatus(SHA, { context: `ctx-${i}`, state: 'success' })
    const { client } = connect(gh, recordingClock(START))
    const items = await client.paginate<{ statuses: unknown[] }, unknown>(
      statusPath,
      {},
      (p) => p.statuses,
      2
    )
    expect(items).toHaveLength(200)
    expect(client.requestCount).toBe(2)
  })

  it('retries 5xx answers with a growing backoff', async () => {
    gh.failNext(2, 502)
    const clock = recordingClock(START)
    const { client } = connect(gh, clock)
    const res = await client.request<{ total_count: number }>('GET', statusPath)
    expect(res.data.total_count).toBe(0)
    expect(client.requestCount).toBe(3)
    expect(gh.requestCount(/\/status$/)).toBe(3)
    expect(clock.sleeps).toEqual([500, 1000])
  })

  it('gives up after the last attempt with the status and the route', async () => {
    gh.failNext(10, 503)
    const { client } = connect(gh, recordingClock(START), { attempts: 3 })
    const error = await client.request('GET', statusPath).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).status).toBe(503)
    expect((error as GitHubError).route).toBe(`GET ${statusPath}`)
    expect((error as GitHubError).message).toBe(`GET ${statusPath} failed: HTTP 503: Server Error`)
    expect(gh.requestCount()).toBe(3)
  })

  it('waits Retry-After on a secondary rate limit (403), then succeeds', async () => {
    gh.failNext(1, 403)
    const clock = recordingClock(START)
    const { client } = connect(gh, clock)
    const res = await client.request<{ state: string }>('GET', statusPath)
    expect(res.data.state).toBe('pending')
    expect(clock.sleeps).toEqual([1000])
    expect(gh.requestCount()).toBe(2)
  })

  it('waits Retry-After on 429 too', async () => {
    gh.failNext(2, 429)
    const clock = recordingClock(START)
    const { client } = connect(gh, clock)
    await client.request('GET', statusPath)
    expect(clock.sleeps).toEqual([1000, 1000])
    expect(gh.requestCount()).toBe(3)
  })

  it('does not wait longer than maxWaitMs: a longer rate limit fails at once', async () => {
    gh.failNext(1, 403)
    const clock = recordingClock(START)
    const { client } = connect(gh, clock, { maxWaitMs: 500 })
    const error = await client.request('GET', statusPath).catch((e: unknown) => e)
    expect((error as GitHubError).status).toBe(403)
    expect((error as GitHubError).message).toMatch(/secondary rate limit/)
    expect(clock.sleeps).toEqual([])
    expect(gh.requestCount()).toBe(1)
  })

  it('does not retry a 403 that is not a rate limit', async () => {
    gh.state.readOnlyComments = true
    const { client } = connect(gh, recordingClock(START))
    const error = await client
      .request('POST', '/repos/acme/shop/issues/1/comments', { body: { body: 'hi' } })
      .catch((e: unknown) => e)
    expect((error as GitHubError).status).toBe(403)
    expect((error as GitHubError).message).toContain('Resource not accessible by integration')
    expect(gh.requestCount()).toBe(1)
  })

  it('does not retry a 404', async () => {
    const clock = recordingClock(START)
    const { client } = connect(gh, clock)
    const error = await client
      .request('GET', '/repos/acme/shop/deployments/424242/statuses')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).status).toBe(404)
    expect(gh.requestCount()).toBe(1)
    expect(clock.sleeps).toEqual([])
  })

  it('does not retry bad credentials (401)', async () => {
    gh.state.tokens = ['another-token']
    const { client } = connect(gh, recordingClock(START))
    const error = await client.request('GET', statusPath).catch((e: unknown) => e)
    expect((error as GitHubError).status).toBe(401)
    expect((error as GitHubError).message).toContain('Bad credentials')
    expect(gh.requestCount()).toBe(1)
  })

  it('retries network errors, then fails naming the attempts', async () => {
    // a port that was free a moment ago: nothing listens there any more
    const port = await new Promise<number>((resolve) => {
      const s = createServer()
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const clock = recordingClock(START)
    const client = new RestClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, clock })
    const error = await client.request('GET', '/repos/acme/shop/deployments').catch((e) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).status).toBe(0)
    expect((error as GitHubError).message).toMatch(
      /^GET \/repos\/acme\/shop\/deployments failed after 4 attempts: network error/
    )
    expect(client.requestCount).toBe(4)
    expect(clock.sleeps).toEqual([500, 1000, 2000])
  })

  it('works under a GitHub Enterprise Server path prefix', async () => {
    const ghes = await startGitHubApi({ pathPrefix: '/api/v3', clock: () => START })
    try {
      ghes.addStatus(SHA, { context: 'ci', state: 'success' })
      const { api } = connect(ghes, recordingClock(START))
      const combined = await api.combinedStatus(SHA)
      expect(combined.statuses.map((s) => s.context)).toEqual(['ci'])
      expect(ghes.requests[0]?.path).toBe(`/api/v3/repos/acme/shop/commits/${SHA}/status`)
    } finally {
      await ghes.close()
    }
  })
})

describe('nextLink', () => {
  it('finds rel="next" among the links', () => {
    expect(
      nextLink(
        '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last"'
      )
    ).toBe('https://api.github.com/x?page=3')
    expect(nextLink('<https://api.github.com/x?page=1>; rel="first"')).toBeUndefined()
    expect(nextLink(null)).toBeUndefined()
  })
})
