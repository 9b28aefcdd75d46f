import { afterEach, describe, expect, it } from '@jest/globals'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import { MAX_RETRY_AFTER_MS, postJson, scrubber } from '../../src/notify/deliver.js'
import { retryAfterMs } from '../../src/http.js'
import { assertNoSecrets, fakeLog, instantClock } from './helpers.js'

const SECRET_PATH = '/services/T000/B000/XXXXsecretXXXX'

let receivers: Receiver[] = []
async function receiver(...responses: Parameters<Receiver['respondWith']>[0]): Promise<Receiver> {
  const r = await startReceiver({ responses })
  receivers.push(r)
  return r
}

afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()))
  receivers = []
})

function setup(): { clock: ReturnType<typeof instantClock>; log: ReturnType<typeof fakeLog> } {
  return { clock: instantClock(), log: fakeLog() }
}

describe('postJson', () => {
  it('delivers the body as JSON', async () => {
    const r = await receiver(200)
    const { clock, log } = setup()
    const result = await postJson(
      r.url + SECRET_PATH,
      '{"a":1}',
      { 'x-extra': 'yes' },
      { clock, log }
    )
    expect(result).toEqual({ ok: true, attempts: 1, status: 200 })
    expect(r.requests).toHaveLength(1)
    expect(r.requests[0]?.method).toBe('POST')
    expect(r.requests[0]?.body).toBe('{"a":1}')
    expect(r.requests[0]?.headers['content-type']).toMatch(/^application\/json/)
    expect(r.requests[0]?.headers['x-extra']).toBe('yes')
    expect(clock.sleeps).toEqual([])
  })

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const r = await receiver(500, 500, 200)
    const { clock, log } = setup()
    const result = await postJson(r.url + SECRET_PATH, '{}', {}, { clock, log, channel: 'slack' })
    expect(result).toEqual({ ok: true, attempts: 3, status: 200 })
    expect(r.requests).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 2000])
    assertNoSecrets(
      log.lines.map((l) => l.text),
      [r.url, SECRET_PATH, 'XXXXsecretXXXX']
    )
  })

  it('gives up after the last attempt', async () => {
    const r = await receiver(500, 500, 500, 200)
    const { clock, log } = setup()
    const result = await postJson(r.url + SECRET_PATH, '{}', {}, { clock, log, channel: 'slack' })
    expect(result).toEqual({ ok: false, attempts: 3, status: 500, error: 'HTTP 500' })
    expect(r.requests).toHaveLength(3)
    expect(clock.sleeps).toEqual([1000, 2000])
  })

  it('honours Retry-After on 429', async () => {
    const r = await receiver({ status: 429, retryAfter: 7 }, 200)
    const { clock, log } = setup()
    const result = await postJson(r.url, '{}', {}, { clock, log })
    expect(result.ok).toBe(true)
    expect(result.attempts).toBe(2)
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(7000)
  })

  it('caps a long Retry-After at 30 s', async () => {
    const r = await receiver({ status: 429, retryAfter: 3600 }, 200)
    const { clock, log } = setup()
    await postJson(r.url, '{}', {}, { clock, log })
    expect(clock.sleeps).toEqual([30_000])
  })

  it('does not retry other 4xx, and keeps the answer short', async () => {
    const r = await receiver({ status: 400, body: 'invalid_payload' }, 200)
    const { clock, log } = setup()
    const result = await postJson(r.url, '{}', {}, { clock, log })
    expect(result).toEqual({
      ok: false,
      attempts: 1,
      status: 400,
      error: 'HTTP 400 (invalid_payload)'
    })
    expect(r.requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('scrubs the URL when the endpoint echoes it', async () => {
    const r = await receiver(200)
    const url = r.url + SECRET_PATH
    r.respondWith([{ status: 404, body: `no route for ${url} (${SECRET_PATH})` }])
    const { clock, log } = setup()
    const result = await postJson(url, '{}', { authorization: 'Bearer tok-123456' }, { clock, log })
    expect(result.ok).toBe(false)
    assertNoSecrets([result.error ?? ''], [url, SECRET_PATH, 'XXXXsecretXXXX'])
    expect(result.error).toContain('[redacted]')
  })

  it('does not follow redirects', async () => {
    const r = await receiver({ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } })
    const { clock, log } = setup()
    const result = await postJson(r.url, '{}', {}, { clock, log })
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 302 })
  })

  it('times out a hanging endpoint, and retries it', async () => {
    const r = await receiver('hang', 'hang')
    const { clock, log } = setup()
    const result = await postJson(
      r.url + SECRET_PATH,
      '{}',
      {},
      {
        clock,
        log,
        attempts: 2,
        timeoutMs: 100,
        channel: 'teams'
      }
    )
    expect(result).toEqual({ ok: false, attempts: 2, error: 'timeout after 100ms' })
    expect(r.requests).toHaveLength(2)
    expect(clock.sleeps).toEqual([1000])
  })

  it('reports a refused connection without the URL', async () => {
    const r = await receiver(200)
    const url = r.url + SECRET_PATH
    await r.close()
    receivers = []
    const { clock, log } = setup()
    const result = await postJson(url, '{}', {}, { clock, log, attempts: 2 })
    expect(result.ok).toBe(false)
    expect(result.attempts).toBe(2)
    expect(result.error).toBe('network error (ECONNREFUSED)')
    assertNoSecrets([result.error ?? '', ...log.lines.map((l) => l.text)], [url, SECRET_PATH])
  })

  it('stops when the signal aborts', async () => {
    const r = await receiver('hang')
    const { clock, log } = setup()
    const controller = new AbortController()
    const pending = postJson(r.url, '{}', {}, { clock, log, signal: controller.signal })
    await r.waitFor(1)
    controller.abort()
    expect(await pending).toEqual({ ok: false, attempts: 1, error: 'cancelled' })
  })

  it('rejects URLs that are not http(s) without echoing them', async () => {
    const { clock, log } = setup()
    expect(await postJson('file:///etc/passwd', '{}', {}, { clock, log })).toEqual({
      ok: false,
      attempts: 0,
      error: 'URL must be http or https'
    })
    expect(await postJson('not a url secret', '{}', {}, { clock, log })).toEqual({
      ok: false,
      attempts: 0,
      error: 'invalid URL'
    })
  })
})

describe('helpers', () => {
  it('reads Retry-After as seconds or a date', () => {
    const now = new Date('2026-11-25T09:00:00Z')
    expect(retryAfterMs('5', now, MAX_RETRY_AFTER_MS)).toBe(5000)
    expect(retryAfterMs('Wed, 25 Nov 2026 09:00:10 GMT', now, MAX_RETRY_AFTER_MS)).toBe(10_000)
    expect(retryAfterMs('999', now, MAX_RETRY_AFTER_MS)).toBe(30_000)
    expect(retryAfterMs('999', now)).toBe(999_000)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
  })

  it('scrubs every secret, longest first', () => {
    const scrub = scrubber(['https://h/abc/def', '/abc/def', undefined, ''])
    expect(scrub('at https://h/abc/def and /abc/def')).toBe('at [redacted] and [redacted]')
  })
})
