import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import yaml from 'js-yaml'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import {
  HAS_PROMETHEUS,
  HOW_TO_RUN,
  startMetricsService,
  startPrometheus,
  type MetricsService,
  type Prometheus
} from '../../__fixtures__/prometheus.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { seedLiveDeployment, startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { parseCheckList, type PrometheusCheck } from '../../src/settings/checks.js'
import { probe } from '../../src/run/probes.js'
import { baseEnv, newJob, removeJob, runMain } from '../e2e/action-runner.js'
import { MemoryLog } from './log.js'

/**
 * The queries of the README against a real Prometheus (docs/design.md section 7): a healthy
 * service that has never answered 5xx has no 5xx series, and an idle one gives 0/0.
 */

/** The README's error-rate query, as written there. */
const README_ERROR_RATE =
  '(sum(rate(http_requests_total{code=~"5.."}[2m])) or vector(0)) / sum(rate(http_requests_total[2m]))'
/** The query the README used to show: empty on a service that never failed. */
const NAIVE_ERROR_RATE =
  'sum(rate(http_requests_total{code=~"5.."}[2m])) / sum(rate(http_requests_total[2m]))'
const IDLE_ERROR_RATE =
  '(sum(rate(http_requests_total{job="idle",code=~"5.."}[2m])) or vector(0)) / sum(rate(http_requests_total{job="idle"}[2m]))'

const describeReal = HAS_PROMETHEUS ? describe : describe.skip
if (!HAS_PROMETHEUS) console.log(HOW_TO_RUN)

let busy: MetricsService
let idle: MetricsService
let prometheus: Prometheus

beforeAll(async () => {
  if (!HAS_PROMETHEUS) return
  busy = await startMetricsService(true)
  idle = await startMetricsService(false)
  prometheus = await startPrometheus({ shop: busy.target, idle: idle.target })
  // rate() needs two samples in its window: wait for three scrapes of each
  await prometheus.waitFor('count_over_time(http_requests_total{job="shop"}[2m])', 3)
  await prometheus.waitFor('count_over_time(http_requests_total{job="idle"}[2m])', 3)
}, 120_000)

afterAll(async () => {
  if (!HAS_PROMETHEUS) return
  await prometheus.close()
  await busy.close()
  await idle.close()
})

function check(query: string, extra = ''): PrometheusCheck {
  const [c] = parseCheckList(
    yaml.load(
      `- name: Error rate\n  prometheus: ${prometheus.url}\n  query: '${query}'\n  max: 0.01\n${extra}`
    ),
    'monitor-checks'
  )
  return c as PrometheusCheck
}

const ctx = () => ({ cwd: tmpdir(), env: {}, log: new MemoryLog(), commandTimeoutMs: 5000 })

describeReal('the README queries against a real Prometheus', () => {
  it("the README's error-rate query passes on a healthy service that has never answered 5xx", async () => {
    expect(await probe(check(README_ERROR_RATE), ctx())).toMatchObject({
      ok: true,
      detail: 'value 0 (max 0.01)'
    })
  })

  it('the query without `or vector(0)` is empty there, and no data fails', async () => {
    expect(await probe(check(NAIVE_ERROR_RATE), ctx())).toMatchObject({
      ok: false,
      detail: 'no data'
    })
    expect(await probe(check(NAIVE_ERROR_RATE, '  no-data: pass'), ctx())).toMatchObject({
      ok: true,
      detail: 'no data (no-data: pass)'
    })
  })

  it('an idle service gives 0/0: NaN fails, unless no-data: pass', async () => {
    expect(await probe(check(IDLE_ERROR_RATE), ctx())).toMatchObject({
      ok: false,
      detail: 'value NaN'
    })
    expect(await probe(check(IDLE_ERROR_RATE, '  no-data: pass'), ctx())).toMatchObject({
      ok: true,
      detail: 'value NaN (no-data: pass)'
    })
  })

  it('a query Prometheus refuses fails with its error', async () => {
    const r = await probe(check('sum(rate(http_requests_total[2m]'), ctx())
    expect(r.ok).toBe(false)
    expect(r.detail).toMatch(/^query failed: bad_data: /)
  })
})

describeReal('the watch of a release, run by dist/, on a real Prometheus', () => {
  let api: GitHubApi
  let monitoring: SampleService
  beforeAll(async () => {
    if (!HAS_PROMETHEUS) return
    api = await startReleasableApi()
    seedLiveDeployment(api)
    monitoring = await startSampleService()
  })
  afterAll(async () => {
    if (!HAS_PROMETHEUS) return
    await monitoring.close()
    await api.close()
  })

  it("a healthy release passes a watch on the README's error-rate query", async () => {
    const job = newJob()
    try {
      const r = await runMain(
        job,
        { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: '2026-11-24T10:00:00Z' },
        {
          inputs: {
            environment: 'staging',
            version: 'v1.2.0',
            'monitoring-url': `${monitoring.url}/health`,
            'deploy-command': 'true',
            'rollback-command': 'true',
            'monitor-checks': `- name: Error rate below 1%\n  prometheus: ${prometheus.url}\n  query: '${README_ERROR_RATE}'\n  max: 0.01`,
            'monitor-duration': '2s',
            'monitor-interval': '1s',
            'pr-comment': 'false'
          }
        }
      )
      expect(r.outputs.status).toBe('deployed')
      const rec = (yaml.load(r.outputs.record ?? '') as { deployment: Record<string, unknown> })
        .deployment
      expect(rec.monitor).toMatchObject({ failed_rounds: 0 })
      expect((rec.monitor as { rounds: number }).rounds).toBeGreaterThanOrEqual(2)
    } finally {
      removeJob(job)
    }
  })
})
