import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import {
  refusedUrl,
  startSampleService,
  type SampleService
} from '../../__fixtures__/sample-service.js'
import { headerValues, parseCheckList, type Check } from '../../src/settings/checks.js'
import { probe, toCheckRecord, type ProbeContext } from '../../src/run/probes.js'
import { MemoryLog } from './log.js'

let service: SampleService

beforeAll(async () => {
  service = await startSampleService()
})

afterAll(async () => {
  await service.close()
})

beforeEach(() => {
  service.heal()
  service.setErrorRate(0.002)
  service.setPrometheusError(null)
  service.setPrometheusResultType('vector')
})

function ctx(extra: Partial<ProbeContext> = {}): ProbeContext {
  return { cwd: tmpdir(), env: {}, log: new MemoryLog(), commandTimeoutMs: 5000, ...extra }
}

const http = (extra: Partial<Extract<Check, { kind: 'http' }>> = {}): Check => ({
  kind: 'http',
  name: 'Homepage',
  url: `${service.url}/`,
  timeoutMs: 2000,
  ...extra
})

const prom = (extra: Partial<Extract<Check, { kind: 'prometheus' }>> = {}): Check => ({
  kind: 'prometheus',
  name: 'Error rate',
  prometheus: service.prometheusUrl,
  query: 'sum(rate(http_requests_total{code=~"5.."}[2m])) / sum(rate(http_requests_total[2m]))',
  max: 0.01,
  timeoutMs: 2000,
  ...extra
})

describe('HTTP probe', () => {
  it('passes on 2xx and reports the latency', async () => {
    const r = await probe(http(), ctx())
    expect(r.ok).toBe(true)
    expect(r.name).toBe('Homepage')
    expect(r.detail).toMatch(/^200 in \d+ ms$/)
    expect(r.latencyMs).toBeGreaterThanOrEqual(0)
    expect(toCheckRecord(r)).toEqual({
      name: 'Homepage',
      ok: true,
      detail: r.detail,
      latency_ms: r.latencyMs
    })
  })

  it('fails on a non-2xx answer', async () => {
    service.break()
    const r = await probe(http({ url: `${service.url}/health` }), ctx())
    expect(r).toMatchObject({ ok: false, detail: 'expected 2xx, got 503' })
  })

  it('compares an exact status', async () => {
    expect(await probe(http({ status: 200 }), ctx())).toMatchObject({ ok: true })
    const notFound = http({ url: `${service.url}/nope`, status: 404 })
    expect(await probe(notFound, ctx())).toMatchObject({ ok: true })
    expect(await probe(http({ status: 204 }), ctx())).toMatchObject({
      ok: false,
      detail: 'expected 204, got 200'
    })
  })

  it('follows redirects', async () => {
    const r = await probe(http({ url: `${service.url}/redirect`, contains: 'Welcome' }), ctx())
    expect(r).toMatchObject({ ok: true })
  })

  it('checks the body text', async () => {
    expect(await probe(http({ contains: 'Welcome' }), ctx())).toMatchObject({ ok: true })
    expect(await probe(http({ contains: 'Goodbye' }), ctx())).toMatchObject({
      ok: false,
      detail: 'body lacks "Goodbye"'
    })
  })

  it('fails when slower than max-ms', async () => {
    const r = await probe(http({ url: `${service.url}/slow?ms=250`, maxMs: 100 }), ctx())
    expect(r.ok).toBe(false)
    expect(r.detail).toMatch(/^took \d+ ms > 100 ms$/)
    expect(r.latencyMs).toBeGreaterThanOrEqual(250)
  })

  it('gives up after its timeout', async () => {
    const started = performance.now()
    const r = await probe(http({ url: `${service.url}/slow?ms=5000`, timeoutMs: 200 }), ctx())
    expect(r).toMatchObject({ ok: false, detail: 'no answer within 200ms' })
    // the slow answer takes 5 s
    expect(performance.now() - started).toBeLessThan(4000)
  })

  it('reports a refused connection', async () => {
    const r = await probe(http({ url: `${await refusedUrl()}/health` }), ctx())
    expect(r).toMatchObject({ ok: false, detail: 'connection refused' })
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    const before = service.requests
    const started = performance.now()
    const pending = probe(
      http({ url: `${service.url}/slow?ms=5000` }),
      ctx({ signal: controller.signal })
    )
    await service.waitForRequests(before + 1)
    controller.abort()
    expect(await pending).toMatchObject({ ok: false, detail: 'cancelled' })
    // the slow answer takes 5 s
    expect(performance.now() - started).toBeLessThan(4000)
  })

  it('sends credentials in the URL as basic auth', async () => {
    const u = new URL(`${service.url}/`)
    u.username = 'user'
    u.password = 'p@ss'
    expect(await probe(http({ url: u.href }), ctx())).toMatchObject({ ok: true })
  })
})

describe('command probe', () => {
  it('passes on exit 0 with the environment', async () => {
    const log = new MemoryLog()
    const check: Check = {
      kind: 'command',
      name: 'Login works',
      run: 'test "$DEPLOY_VERSION" = v2'
    }
    const r = await probe(check, ctx({ env: { DEPLOY_VERSION: 'v2' }, log }))
    expect(r.ok).toBe(true)
    expect(r.detail).toMatch(/^exit code 0 in /)
    expect(log.entries[0]).toEqual({ level: 'group', text: 'check: Login works' })
  })

  it('fails on another exit code, quoting the last output line', async () => {
    const check: Check = { kind: 'command', name: 'Login', run: 'echo "login page: 500"; exit 2' }
    expect(await probe(check, ctx())).toMatchObject({
      ok: false,
      detail: 'exit code 2: login page: 500'
    })
  })

  it('uses the check timeout before the context one', async () => {
    const check: Check = { kind: 'command', name: 'Slow', run: 'sleep 10', timeoutMs: 200 }
    const r = await probe(check, ctx({ commandTimeoutMs: 60_000 }))
    expect(r).toMatchObject({ ok: false, detail: 'timed out after 200ms' })
  })
})

describe('Prometheus probe', () => {
  it('passes when the value is within bounds', async () => {
    const r = await probe(prom(), ctx())
    expect(r).toMatchObject({ ok: true, detail: 'value 0.002 (max 0.01)' })
    expect(service.queries.at(-1)).toBe(
      'sum(rate(http_requests_total{code=~"5.."}[2m])) / sum(rate(http_requests_total[2m]))'
    )
  })

  it('fails when the value is above max or below min', async () => {
    service.setErrorRate(0.05)
    expect(await probe(prom(), ctx())).toMatchObject({
      ok: false,
      detail: 'value 0.05 > max 0.01'
    })
    expect(await probe(prom({ min: 0.1, max: 1 }), ctx())).toMatchObject({
      ok: false,
      detail: 'value 0.05 < min 0.1'
    })
    expect(await probe(prom({ min: 0.01, max: 0.1 }), ctx())).toMatchObject({
      ok: true,
      detail: 'value 0.05 (min 0.01, max 0.1)'
    })
  })

  it('fails on an empty result', async () => {
    service.setErrorRate(null)
    expect(await probe(prom(), ctx())).toMatchObject({ ok: false, detail: 'no data' })
  })

  it('fails on NaN and infinities', async () => {
    service.setErrorRate(NaN)
    expect(await probe(prom(), ctx())).toMatchObject({ ok: false, detail: 'value NaN' })
    service.setErrorRate(Infinity)
    expect(await probe(prom(), ctx())).toMatchObject({ ok: false, detail: 'value +Inf > max 0.01' })
  })

  it('fails when the query errors', async () => {
    service.setPrometheusError('parse error at char 5: unexpected "}"')
    expect(await probe(prom(), ctx())).toMatchObject({
      ok: false,
      detail: 'query failed: bad_data: parse error at char 5: unexpected "}"'
    })
  })

  it('reads a scalar result', async () => {
    service.setPrometheusResultType('scalar')
    service.setErrorRate(1)
    expect(await probe(prom({ min: 1, max: undefined }), ctx())).toMatchObject({
      ok: true,
      detail: 'value 1 (min 1)'
    })
  })

  it('fails when the address is not Prometheus', async () => {
    const r = await probe(prom({ prometheus: `${service.url}/nothing-here` }), ctx())
    expect(r).toMatchObject({ ok: false, detail: 'HTTP 404, not a Prometheus answer' })
  })

  it('reports a refused connection', async () => {
    const r = await probe(prom({ prometheus: await refusedUrl() }), ctx())
    expect(r).toMatchObject({ ok: false, detail: 'connection refused' })
  })
})

describe('headers of HTTP and Prometheus checks', () => {
  it('are sent with the request, replace credentials in the URL, and are secrets', async () => {
    const { createServer } = await import('node:http')
    const seen: Array<string | undefined> = []
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    try {
      const checks = parseCheckList(
        [
          {
            name: 'api',
            url: `http://u:p@127.0.0.1:${port}/`,
            headers: { Authorization: 'Bearer t0k' }
          },
          {
            name: 'errors',
            prometheus: `http://127.0.0.1:${port}`,
            query: 'up',
            min: 1,
            'no-data': 'pass',
            headers: { authorization: 'Basic c2VjcmV0' }
          }
        ],
        'monitor-checks'
      )
      expect(await probe(checks[0] as Check, ctx())).toMatchObject({ ok: true })
      expect(await probe(checks[1] as Check, ctx())).toMatchObject({
        ok: true,
        detail: 'no data (no-data: pass)'
      })
      expect(seen).toEqual(['Bearer t0k', 'Basic c2VjcmV0'])
      expect(headerValues(checks)).toEqual(['Bearer t0k', 'Basic c2VjcmV0'])
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('refuses a header that cannot be sent, and no-data other than pass or fail', () => {
    expect(() =>
      parseCheckList(
        [{ name: 'a', url: 'https://x.example', headers: { 'Bad Name': 'v' } }],
        'smoke-tests'
      )
    ).toThrow(
      /smoke-tests\[0\]\.headers\.Bad Name: check "a": headers: "Bad Name" is not an HTTP header name/
    )
    expect(() =>
      parseCheckList(
        [{ name: 'a', url: 'https://x.example', headers: { A: 'x\ny' } }],
        'smoke-tests'
      )
    ).toThrow(/a value must be one line without control characters/)
    expect(() =>
      parseCheckList(
        [{ name: 'a', prometheus: 'https://p.example', query: 'up', min: 1, 'no-data': 'ok' }],
        'monitor-checks'
      )
    ).toThrow(/no-data must be pass or fail/)
  })
})
