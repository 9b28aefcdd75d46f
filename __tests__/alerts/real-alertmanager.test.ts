import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  alertmanagerInstalled,
  HOW_TO_RUN_ALERTMANAGER,
  startAlertmanager,
  type RealAlertmanager
} from '../../__fixtures__/real-alertmanager.js'
import { firingAlerts, type Alert } from '../../src/alerts/client.js'
import { parseMatchers, type Matcher } from '../../src/alerts/matchers.js'

/**
 * The incidents item's question (`alertmanager-url`, `alert-filter`) asked of a REAL
 * Alertmanager (Debian's `prometheus-alertmanager`), not only of the stand-in whose matcher
 * parser is ours: that `alert-filter` as we write it in `filter=` is read by Alertmanager as we
 * mean it (quotes, commas, escapes, regular expressions anchored), that silenced and resolved
 * alerts are left out, and that fingerprints stay the same from one question to the next.
 * Skipped, with a line saying how to run them, where the binary is absent.
 */

if (!alertmanagerInstalled) process.stderr.write(`${HOW_TO_RUN_ALERTMANAGER}\n`)
const describeReal = alertmanagerInstalled ? describe : describe.skip

let am: RealAlertmanager

function matchers(filter: string): Matcher[] {
  const parsed = parseMatchers(filter)
  if ('error' in parsed) throw new Error(parsed.error)
  return parsed.matchers
}

const names = (alerts: Alert[]): string[] => alerts.map((a) => a.labels.alertname ?? '?').sort()

describeReal('firingAlerts against a real Alertmanager', () => {
  beforeAll(async () => {
    am = await startAlertmanager()
    await am.post([
      { alertname: 'HighErrorRate', severity: 'critical', service: 'shop', team: 'web,api' },
      { alertname: 'DiskFull', severity: 'warning', service: 'shop', team: 'ops' },
      { alertname: 'Quoted', severity: 'critical', service: 'say "hi" \\o/', team: 'ops' },
      { alertname: 'Hushed', severity: 'critical', service: 'shop', team: 'web,api' },
      { alertname: 'Billing', severity: 'critical', service: 'billing', team: 'money' },
      { alertname: 'Over', severity: 'critical', service: 'shop', team: 'ops' }
    ])
    await am.waitForAlerts(6)
    await am.silence({
      alertname: 'Hushed',
      severity: 'critical',
      service: 'shop',
      team: 'web,api'
    })
    await am.post([{ alertname: 'Over', severity: 'critical', service: 'shop', team: 'ops' }], {
      resolved: true
    })
  }, 60_000)

  afterAll(async () => {
    await am?.close()
  })

  it.each([
    ['', ['Billing', 'DiskFull', 'HighErrorRate', 'Quoted']],
    ['severity="critical"', ['Billing', 'HighErrorRate', 'Quoted']],
    ['{severity="critical", service="shop"}', ['HighErrorRate']],
    ['team="web,api"', ['HighErrorRate']],
    ['service="say \\"hi\\" \\\\o/"', ['Quoted']],
    ['alertname=~"High.*|Disk.*"', ['DiskFull', 'HighErrorRate']],
    ['alertname=~"Error"', []],
    ['service!="billing", severity!~"warn.*"', ['HighErrorRate', 'Quoted']]
  ])('alert-filter %j: %j fire, silenced and resolved ones left out', async (filter, expected) => {
    const alerts = await firingAlerts({ url: am.url, matchers: matchers(filter) })
    expect(names(alerts)).toEqual(expected)
  })

  it('keeps fingerprints from one question to the next, and reads labels and start', async () => {
    const first = await firingAlerts({ url: am.url, matchers: [] })
    const again = await firingAlerts({ url: am.url, matchers: [] })
    expect(first.map((a) => a.fingerprint).sort()).toEqual(again.map((a) => a.fingerprint).sort())
    expect(new Set(first.map((a) => a.fingerprint)).size).toBe(first.length)
    const high = first.find((a) => a.labels.alertname === 'HighErrorRate')!
    expect(high.fingerprint).toMatch(/^[0-9a-f]{16}$/)
    expect(high.labels).toEqual({
      alertname: 'HighErrorRate',
      severity: 'critical',
      service: 'shop',
      team: 'web,api'
    })
    expect(Date.parse(high.startsAt)).toBeLessThan(Date.now())
  })
})
