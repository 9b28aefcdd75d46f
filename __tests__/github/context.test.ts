import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ContextError, defaultVersion, namesRun, readRunContext } from '../../src/github/context.js'

const SHA = '3F786850E387550FDAB836ED7E6DC881DE23001B'
const HEAD = 'ab'.repeat(20)

const ENV = {
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: SHA,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_ACTOR: 'alice',
  GITHUB_RUN_ID: '7001',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
  GITHUB_SERVER_URL: 'https://ghe.example.com/',
  GITHUB_WORKSPACE: '/work/shop',
  RUNNER_TEMP: '/runner/tmp'
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'red-button-context-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('readRunContext', () => {
  it('reads the runner environment', () => {
    expect(readRunContext(ENV)).toEqual({
      owner: 'acme',
      repo: 'shop',
      sha: SHA.toLowerCase(),
      ref: 'refs/heads/main',
      actor: 'alice',
      runId: 7001,
      runAttempt: undefined,
      eventName: 'push',
      pullNumber: undefined,
      apiUrl: 'https://ghe.example.com/api/v3',
      serverUrl: 'https://ghe.example.com',
      runUrl: 'https://ghe.example.com/acme/shop/actions/runs/7001',
      workspace: '/work/shop',
      tempDir: '/runner/tmp'
    })
  })

  it('uses the triggering actor of a re-run and links the attempt', () => {
    const ctx = readRunContext({
      ...ENV,
      GITHUB_TRIGGERING_ACTOR: 'bob',
      GITHUB_RUN_ATTEMPT: '2'
    })
    expect(ctx.actor).toBe('bob')
    expect(ctx.runUrl).toBe('https://ghe.example.com/acme/shop/actions/runs/7001/attempts/2')
  })

  it("deploys a pull request's head commit, not the merge commit", () => {
    const event = join(dir, 'event.json')
    writeFileSync(event, JSON.stringify({ pull_request: { number: 12, head: { sha: HEAD } } }))
    const ctx = readRunContext({
      ...ENV,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event
    })
    expect(ctx.sha).toBe(HEAD)
    expect(ctx.pullNumber).toBe(12)
  })

  it('ignores an unreadable event file', () => {
    const ctx = readRunContext({ ...ENV, GITHUB_EVENT_PATH: join(dir, 'missing.json') })
    expect(ctx.sha).toBe(SHA.toLowerCase())
    expect(ctx.pullNumber).toBeUndefined()
  })

  it('defaults to github.com', () => {
    const ctx = readRunContext({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: SHA })
    expect(ctx.apiUrl).toBe('https://api.github.com')
    expect(ctx.serverUrl).toBe('https://github.com')
    expect(ctx.runUrl).toBeUndefined()
  })

  it('refuses a missing repository or commit', () => {
    expect(() => readRunContext({ ...ENV, GITHUB_REPOSITORY: 'shop' })).toThrow(ContextError)
    expect(() => readRunContext({ ...ENV, GITHUB_SHA: 'not-a-sha' })).toThrow(
      /GITHUB_SHA must be set/
    )
  })
})

describe('the back-off unit (RED_BUTTON_BACKOFF_UNIT_MS)', () => {
  it('shortens a back-off second outside GitHub Actions only', () => {
    expect(readRunContext(ENV).backoffUnitMs).toBeUndefined()
    expect(readRunContext({ ...ENV, RED_BUTTON_BACKOFF_UNIT_MS: '20' }).backoffUnitMs).toBe(20)
    expect(
      readRunContext({ ...ENV, RED_BUTTON_BACKOFF_UNIT_MS: '20', GITHUB_ACTIONS: 'true' })
        .backoffUnitMs
    ).toBeUndefined()
    expect(readRunContext({ ...ENV, RED_BUTTON_BACKOFF_UNIT_MS: 'fast' }).backoffUnitMs).toBe(
      undefined
    )
  })
})

describe('defaultVersion', () => {
  it('is the tag name on a tag, else the short sha', () => {
    expect(defaultVersion({ ref: 'refs/tags/v1.2.0', sha: SHA })).toBe('v1.2.0')
    expect(defaultVersion({ ref: 'refs/heads/main', sha: HEAD })).toBe('abababa')
  })
})

describe('namesRun', () => {
  const RUN = 'https://github.com/acme/shop/actions/runs/7001'
  it('knows a run by its URL, any attempt or job, with a query or a fragment', () => {
    for (const url of [
      RUN,
      `${RUN}/attempts/2`,
      `${RUN}/job/99`,
      `${RUN}?check_suite_focus=true`,
      `${RUN}#red-button-postponed-until=2026-12-01T09:00:00%2B01:00`
    ])
      expect(namesRun(url, 7001)).toBe(true)
  })
  it('never takes another run for it', () => {
    for (const url of [`${RUN}0`, `${RUN}0#x`, 'https://github.com/acme/shop/actions/runs/700', ''])
      expect(namesRun(url, 7001)).toBe(false)
  })
})
