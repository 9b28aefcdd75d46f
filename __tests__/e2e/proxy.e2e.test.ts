import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startForwardProxy, type ForwardProxy } from '../../__fixtures__/forward-proxy.js'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import { baseEnv, newJob, removeJob, runMain, runPost, type RunnerJob } from './action-runner.js'

/**
 * A self-hosted runner that reaches the world only through a proxy: every address the run is
 * given is a `*.test` name that resolves inside the loopback proxy and nowhere else, so each
 * request that succeeds went through it.
 */

const TUESDAY = '2026-11-24T10:00:00Z'

let proxy: ForwardProxy
let api: GitHubApi
let service: SampleService
let receiver: Receiver
let job: RunnerJob

beforeEach(async () => {
  ;[proxy, api, service, receiver] = await Promise.all([
    startForwardProxy(),
    startReleasableApi(),
    startSampleService(),
    startReceiver()
  ])
  api.addPull(DEFAULT_SHA, { number: 42, title: 'Add exports', head_ref: 'feature/exports' })
  job = newJob()
})
afterEach(async () => {
  await Promise.all([proxy.close(), api.close(), service.close(), receiver.close()])
  removeJob(job)
})

const named = (url: string, host: string): string => url.replace('127.0.0.1', host)

describe('a deployment behind a forward proxy, run by dist/', () => {
  it('sends every kind of request through HTTP_PROXY / HTTPS_PROXY, and NO_PROXY hosts around it', async () => {
    const port = (url: string) => new URL(url).port
    const inputs = {
      environment: 'production',
      // not about code review (its own tests turn it on)
      'required-approvals': '0',
      version: 'v1.2.0',
      'monitoring-url': named(`${service.url}/health`, 'monitoring.test'),
      'deploy-command': 'true',
      'rollback-command': 'true',
      'smoke-tests': `- name: Health\n  url: ${named(`${service.url}/health`, 'shop.test')}`,
      'monitor-checks': [
        `- name: Health\n  url: ${named(`${service.url}/health`, 'shop.test')}`,
        `- name: Error rate\n  prometheus: ${named(service.prometheusUrl, 'prometheus.test')}\n  query: error_rate\n  max: 0.5`
      ].join('\n'),
      'monitor-duration': '1s',
      'monitor-interval': '500ms',
      'slack-webhook': named(`${receiver.url}/services/T/B/slack`, 'hooks.slack.test'),
      'teams-webhook': named(`${receiver.url}/workflows/teams`, 'teams.test'),
      'webhook-url': named(`${receiver.url}/hook`, 'hooks.test'),
      'grafana-url': named(receiver.url, 'grafana.test'),
      'grafana-token': 'glsa_proxy_token',
      // https: the proxy is asked for a tunnel (TLS then fails: the marker is only a warning)
      'datadog-api-key': 'dd_proxy_key',
      'datadog-site': `datadog.test:${port(receiver.url)}`
    }
    const env = {
      ...baseEnv(job, named(api.url, 'api.github.test'), DEFAULT_SHA),
      RED_BUTTON_NOW: TUESDAY,
      http_proxy: proxy.url,
      HTTPS_PROXY: proxy.url,
      NO_PROXY: 'direct.test'
    }
    const r = await runMain(job, env, { inputs })
    expect(r.outputs.status).toBe('deployed')
    expect(r.code).toBe(0)
    expect(proxy.hosts().sort()).toEqual(
      [
        'api.github.test',
        'monitoring.test',
        'shop.test',
        'prometheus.test',
        'hooks.slack.test',
        'teams.test',
        'hooks.test',
        'grafana.test',
        'api.datadog.test'
      ].sort()
    )
    // GitHub itself: the gate, the deployment and the PR comment all went through it
    expect(api.requests.some((q) => q.method === 'POST' && q.path.endsWith('/deployments'))).toBe(
      true
    )
    expect(api.state.comments.map((c) => c.issue_number)).toEqual([42])
    // the chat messages arrived (before and after, three channels)
    expect(receiver.requests.filter((q) => q.path !== '/api/annotations').length).toBe(6)
    expect(r.outputs.record).toMatch(/datadog/)

    // the same run with the webhook on a NO_PROXY host: it goes direct (and that name exists
    // nowhere but in the proxy, so it is not delivered: a warning, never a failure)
    const second = newJob()
    try {
      const before = proxy.requests.length
      const r2 = await runMain(
        second,
        { ...env, ...baseEnv(second, named(api.url, 'api.github.test'), DEFAULT_SHA) },
        {
          inputs: {
            ...inputs,
            environment: 'qa',
            'webhook-url': named(`${receiver.url}/hook`, 'direct.test'),
            'slack-webhook': '',
            'teams-webhook': '',
            'grafana-url': '',
            'grafana-token': '',
            'datadog-api-key': ''
          }
        }
      )
      expect(r2.outputs.status).toBe('deployed')
      expect(proxy.requests.slice(before).map((q) => q.host)).not.toContain('direct.test')
      expect(r2.outputs.record).toMatch(/webhook: .*(ENOTFOUND|EAI_AGAIN|network error)/)
      await runPost(second, env, { inputs: {} })
    } finally {
      removeJob(second)
    }
  })
})
