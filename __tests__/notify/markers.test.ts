import { afterEach, describe, expect, it } from '@jest/globals'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import { datadogBaseUrl, sendMarkers } from '../../src/notify/markers.js'
import { assertNoSecrets, fakeLog, instantClock, sampleRecord } from './helpers.js'

const GRAFANA_TOKEN = 'glsa_grafanatoken1234'
const DD_KEY = 'dd-api-key-abcdef123456'

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

describe('sendMarkers', () => {
  it('posts a Grafana annotation and a Datadog event', async () => {
    const [grafana, datadog] = await Promise.all([receiver(200), receiver(202)])
    const log = fakeLog()
    const record = sampleRecord({ reason: '<script>x</script>' })
    const result = await sendMarkers(
      record,
      {
        grafana: { url: `${grafana.url}/grafana/`, token: GRAFANA_TOKEN },
        datadog: { apiKey: DD_KEY, datadogBaseUrl: datadog.url }
      },
      { language: 'en', clock: instantClock(), log }
    )
    expect(result).toEqual({ summary: 'grafana, datadog', failures: [] })

    const g = grafana.requests[0]
    expect(g?.method).toBe('POST')
    expect(g?.path).toBe('/grafana/api/annotations')
    expect(g?.headers.authorization).toBe(`Bearer ${GRAFANA_TOKEN}`)
    const annotation = g?.json as { time: number; timeEnd: number; tags: string[]; text: string }
    expect(annotation.time).toBe(Date.parse('2026-11-25T10:00:00+01:00'))
    expect(annotation.timeEnd).toBe(Date.parse('2026-11-25T10:34:12+01:00'))
    expect(annotation.tags).toEqual(['deploy', 'production', 'v1.2.0'])
    expect(annotation.text).toContain('v1.2.0 deployed to production')
    expect(annotation.text).not.toContain('<script>')

    const d = datadog.requests[0]
    expect(d?.path).toBe('/api/v1/events')
    expect(d?.headers['dd-api-key']).toBe(DD_KEY)
    expect(d?.json).toMatchObject({
      title: 'v1.2.0 deployed to production',
      tags: ['deploy', 'env:production', 'version:v1.2.0', 'status:deployed'],
      alert_type: 'success'
    })
    expect((d?.json as { text: string }).text).toContain(
      'https://github.com/acme/shop/actions/runs/42'
    )
  })

  it('a failing marker is a warning without the token', async () => {
    const grafana = await receiver({ status: 401, body: `bad token ${GRAFANA_TOKEN}` })
    const log = fakeLog()
    const result = await sendMarkers(
      sampleRecord({ status: 'rolled-back' }),
      { grafana: { url: grafana.url, token: GRAFANA_TOKEN } },
      { language: 'fr', clock: instantClock(), log }
    )
    expect(result.summary).toBe('none')
    expect(result.failures).toEqual(['grafana: HTTP 401 (bad token [redacted]) after 1 attempt'])
    expect(log.warnings()).toHaveLength(1)
    assertNoSecrets([...result.failures, ...log.lines.map((l) => l.text)], [GRAFANA_TOKEN])
  })

  it('Datadog URL from the site', () => {
    expect(datadogBaseUrl({ apiKey: 'k' })).toBe('https://api.datadoghq.com')
    expect(datadogBaseUrl({ apiKey: 'k', site: 'datadoghq.eu' })).toBe('https://api.datadoghq.eu')
    expect(() => datadogBaseUrl({ apiKey: 'k', site: 'evil.com/x?' })).toThrow()
  })

  it('nothing configured', async () => {
    const result = await sendMarkers(
      sampleRecord(),
      {},
      {
        language: 'en',
        clock: instantClock(),
        log: fakeLog()
      }
    )
    expect(result).toEqual({ summary: 'none', failures: [] })
  })
})
