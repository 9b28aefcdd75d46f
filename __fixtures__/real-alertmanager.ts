import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, launch, ready, stop, until } from './daemon.js'

/**
 * A REAL Alertmanager (Debian's `prometheus-alertmanager` package) on a loopback port, with a
 * temporary configuration and storage and no clustering: alerts are posted and silenced
 * through its own API v2, as Prometheus and people do.
 */

/** where the binary is looked for; ALERTMANAGER_BIN overrides */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN || '/usr/bin/prometheus-alertmanager'

export const alertmanagerInstalled = existsSync(ALERTMANAGER_BIN)

/** the line a skipped suite prints */
export const HOW_TO_RUN_ALERTMANAGER =
  `Tests against a real Alertmanager skipped: no binary at ${ALERTMANAGER_BIN}. ` +
  'To run them: apt-get install prometheus-alertmanager (Debian, Ubuntu), or set ALERTMANAGER_BIN.'

export interface RealAlertmanager {
  readonly url: string
  /** posts firing alerts (ending in an hour), or resolved ones with `resolved` */
  post(alerts: Array<Record<string, string>>, o?: { resolved?: boolean }): Promise<void>
  /** silences the alerts with these exact labels; resolves once the API lists them silenced */
  silence(labels: Record<string, string>): Promise<void>
  /** resolves once the API lists `n` alerts (of any state) */
  waitForAlerts(n: number): Promise<void>
  close(): Promise<void>
}

export async function startAlertmanager(): Promise<RealAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'red-button-alertmanager-'))
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n'
  )
  const port = await freePort()
  const daemon = launch(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn'
    ],
    port
  )
  const close = async (): Promise<void> => {
    await stop(daemon)
    rmSync(dir, { recursive: true, force: true })
  }
  const api = async (path: string, method = 'GET', body?: unknown): Promise<unknown> => {
    const res = await fetch(`${daemon.url}/api/v2${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) })
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`Alertmanager ${method} ${path}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  const listed = async (): Promise<
    Array<{ labels: Record<string, string>; status: { state: string } }>
  > =>
    (await api('/alerts')) as Array<{ labels: Record<string, string>; status: { state: string } }>
  try {
    await ready(daemon)
  } catch (err) {
    await close()
    throw err
  }
  const same = (a: Record<string, string>, b: Record<string, string>): boolean =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort())
  return {
    url: daemon.url,
    async post(alerts, o = {}) {
      const now = Date.now()
      const startsAt = new Date(now - 60_000).toISOString()
      const endsAt = new Date(o.resolved ? now - 1000 : now + 3_600_000).toISOString()
      await api(
        '/alerts',
        'POST',
        alerts.map((labels) => ({ labels, startsAt, endsAt }))
      )
    },
    async silence(labels) {
      const now = Date.now()
      await api('/silences', 'POST', {
        matchers: Object.entries(labels).map(([name, value]) => ({
          name,
          value,
          isRegex: false,
          isEqual: true
        })),
        startsAt: new Date(now - 1000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        createdBy: 'red-button tests',
        comment: 'a test silence'
      })
      await until(daemon, async () =>
        (await listed()).some((a) => same(a.labels, labels) && a.status.state === 'suppressed')
      )
    },
    async waitForAlerts(n) {
      await until(daemon, async () => (await listed()).length >= n)
    },
    close
  }
}
