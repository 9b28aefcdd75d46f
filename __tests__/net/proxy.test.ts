import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startForwardProxy, type ForwardProxy } from '../../__fixtures__/forward-proxy.js'
import { startGitHubApi, type GitHubApi as StandIn } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import { systemClock } from '../../src/clock.js'
import { GitHubApi } from '../../src/github/api.js'
import { createGitHubClient } from '../../src/github/client.js'
import { HttpError, httpFetch, proxyFor } from '../../src/http.js'
import { postJson } from '../../src/notify/deliver.js'
import { probe } from '../../src/run/probes.js'
import { MemoryLog } from '../run/log.js'

/**
 * Every outbound request honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), as the
 * Actions toolkit does. `*.test` names resolve only inside the loopback proxy, so a request
 * to one succeeds only through it.
 */

const PROXY_VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy'
]
const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]))
function setProxyEnv(vars: Record<string, string>): void {
  for (const k of PROXY_VARS) delete process.env[k]
  Object.assign(process.env, vars)
}
afterEach(() => {
  for (const k of PROXY_VARS) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
})

let proxy: ForwardProxy
let service: SampleService
let gh: StandIn
let receiver: Receiver
beforeAll(async () => {
  ;[proxy, service, gh, receiver] = await Promise.all([
    startForwardProxy(),
    startSampleService(),
    startGitHubApi(),
    startReceiver()
  ])
})
afterAll(async () => {
  await Promise.all([proxy.close(), service.close(), gh.close(), receiver.close()])
})

/** the same loopback server under a name only the proxy resolves */
const named = (url: string, host: string): string => url.replace('127.0.0.1', host)
const seen = (host: string) => proxy.requests.filter((r) => r.host === host)

describe('which requests take the proxy', () => {
  it('HTTPS_PROXY for https, HTTP_PROXY for http, the lower-case names first', () => {
    setProxyEnv({ HTTPS_PROXY: 'http://secure-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128' })
    expect(proxyFor('https://api.github.com/repos')).toBe('http://secure-proxy:3128/')
    expect(proxyFor('http://shop.example/health')).toBe('http://plain-proxy:3128/')
    setProxyEnv({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })
    expect(proxyFor('https://api.github.com/')).toBe('http://lower:1/')
  })

  it('goes direct for NO_PROXY hosts (names, suffixes, host:port, *) and for loopback', () => {
    setProxyEnv({
      HTTPS_PROXY: 'http://proxy:3128',
      NO_PROXY: 'internal.example, .corp, ghe.acme:8443'
    })
    expect(proxyFor('https://internal.example/x')).toBeUndefined()
    expect(proxyFor('https://api.internal.example/x')).toBeUndefined()
    expect(proxyFor('https://build.corp/x')).toBeUndefined()
    expect(proxyFor('https://ghe.acme:8443/api/v3')).toBeUndefined()
    expect(proxyFor('https://ghe.acme/api/v3')).toBe('http://proxy:3128/')
    expect(proxyFor('https://127.0.0.1:9/')).toBeUndefined()
    expect(proxyFor('https://localhost/')).toBeUndefined()
    setProxyEnv({ HTTPS_PROXY: 'http://proxy:3128', no_proxy: '*' })
    expect(proxyFor('https://api.github.com/')).toBeUndefined()
  })

  it('goes direct when no proxy is set', () => {
    setProxyEnv({})
    expect(proxyFor('https://api.github.com/')).toBeUndefined()
  })
})

describe('requests through a loopback forward proxy', () => {
  it('a probe goes through HTTP_PROXY, its latency still measured per request', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url })
    const url = named(`${service.url}/health`, 'shop.test')
    const result = await probe(
      { kind: 'http', name: 'Health', url, timeoutMs: 5000 },
      { cwd: process.cwd(), env: {}, log: new MemoryLog(), commandTimeoutMs: 5000 }
    )
    expect(result).toMatchObject({ name: 'Health', ok: true })
    expect(result.latencyMs).toEqual(expect.any(Number))
    expect(seen('shop.test').length).toBeGreaterThanOrEqual(1)
  })

  it('a Prometheus query goes through it too', async () => {
    setProxyEnv({ http_proxy: proxy.url })
    const result = await probe(
      {
        kind: 'prometheus',
        name: 'Error rate',
        prometheus: named(service.prometheusUrl, 'prometheus.test'),
        query: 'error_rate',
        max: 0.5,
        timeoutMs: 5000
      },
      { cwd: process.cwd(), env: {}, log: new MemoryLog(), commandTimeoutMs: 5000 }
    )
    expect(result.ok).toBe(true)
    expect(seen('prometheus.test').length).toBeGreaterThanOrEqual(1)
  })

  it('a notification goes through it, with the proxy credentials of the URL', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url.replace('http://', 'http://ops:s3cret@') })
    const log = new MemoryLog()
    const result = await postJson(
      named(`${receiver.url}/hook`, 'hooks.test'),
      '{"a":1}',
      {},
      {
        clock: systemClock,
        log,
        channel: 'webhook'
      }
    )
    expect(result.ok).toBe(true)
    const hit = seen('hooks.test')[0]
    expect(hit?.proxyAuthorization).toBe(`Basic ${Buffer.from('ops:s3cret').toString('base64')}`)
    expect(receiver.requests.at(-1)?.json).toEqual({ a: 1 })
  })

  it('the GitHub client (octokit) goes through it, and through CONNECT for https', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url })
    const api = GitHubApi.forRun(
      { apiUrl: named(gh.url, 'api.github.test'), owner: 'acme', repo: 'shop' },
      'ghs_proxy_test'
    )
    expect(await api.listDeployments({})).toEqual([])
    // undici's ProxyAgent tunnels plain http with CONNECT as well
    expect(seen('api.github.test')).toEqual([
      expect.objectContaining({
        kind: 'connect',
        path: expect.stringMatching(/^api\.github\.test:\d+$/)
      })
    ])
    expect(gh.requests.at(-1)?.path).toBe('/repos/acme/shop/deployments')
    // https: the proxy is asked for a tunnel to the very host (TLS then fails: a plain server)
    const { octokit } = createGitHubClient({
      baseUrl: named(gh.url, 'secure.github.test').replace('http:', 'https:'),
      token: 'ghs_proxy_test',
      retries: 0
    })
    const secure = new GitHubApi(octokit, 'acme', 'shop')
    await expect(secure.listDeployments({})).rejects.toThrow(/network error/)
    expect(seen('secure.github.test')[0]).toMatchObject({ kind: 'connect', method: 'CONNECT' })
  })

  it('goes around the proxy for NO_PROXY hosts', async () => {
    setProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'direct.test' })
    const before = proxy.requests.length
    const error = await httpFetch(named(`${service.url}/health`, 'direct.test')).catch(
      (e: unknown) => e
    )
    // asked of the DNS directly, which knows no such name; the proxy saw nothing
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).cause.code).toMatch(/ENOTFOUND|EAI_AGAIN/)
    expect(proxy.requests.length).toBe(before)
    // the same name without NO_PROXY does go through
    setProxyEnv({ HTTP_PROXY: proxy.url })
    expect((await httpFetch(named(`${service.url}/health`, 'direct.test'))).status).toBe(200)
    expect(seen('direct.test')).toHaveLength(1)
  })
})
