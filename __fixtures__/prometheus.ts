import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A real Prometheus (Debian's `prometheus` package) scraping small services on loopback, for
 * the tests that check our queries against the real thing rather than a stand-in.
 */

export const PROMETHEUS_BINARY = process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus'
export const HAS_PROMETHEUS = existsSync(PROMETHEUS_BINARY)
export const HOW_TO_RUN =
  'real-Prometheus tests skipped: no prometheus binary (apt-get install prometheus, or set PROMETHEUS_BINARY); .ci/run installs it'

/** A service that exposes `http_requests_total`, as an instrumented web server does. */
export interface MetricsService {
  url: string
  /** the `host:port` Prometheus scrapes */
  target: string
  close(): Promise<void>
}

/**
 * `traffic`: each scrape finds 10 more requests answered 200 (a healthy service in use);
 * without it the counter stays still (an idle service: every rate is 0). Never a 5xx: a
 * service that has never failed has no `code="5xx"` series at all.
 */
export async function startMetricsService(traffic: boolean): Promise<MetricsService> {
  let served = 100
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end()
      return
    }
    if (traffic) served += 10
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    res.end(
      '# HELP http_requests_total Requests answered.\n# TYPE http_requests_total counter\n' +
        `http_requests_total{code="200",method="get"} ${served}\n`
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

export interface Prometheus {
  url: string
  /** resolves once `query` gives at least `n` as its first value (polled, never a fixed sleep) */
  waitFor(query: string, n: number): Promise<void>
  close(): Promise<void>
}

/** Starts Prometheus scraping each job's target every second; resolves once it is ready. */
export async function startPrometheus(jobs: Record<string, string>): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'red-button-prometheus-'))
  const scrape = Object.entries(jobs)
    .map(
      ([job, target]) =>
        `  - job_name: ${job}\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['${target}']`
    )
    .join('\n')
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n${scrape}\n`
  )
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn'
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let log = ''
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const close = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
  const poll = async (ok: () => Promise<boolean>, what: string): Promise<void> => {
    // bounded by the test's own timeout; each try waits for the previous one
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`prometheus exited while waiting for ${what}:\n${log}`)
      if (await ok().catch(() => false)) return
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  try {
    await poll(async () => (await fetch(`${url}/-/ready`)).ok, 'ready')
  } catch (e) {
    await close()
    throw e
  }
  return {
    url,
    close,
    waitFor: (query, n) =>
      poll(async () => {
        const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`)
        const body = (await r.json()) as { data?: { result?: Array<{ value?: [number, string] }> } }
        return Number(body.data?.result?.[0]?.value?.[1] ?? NaN) >= n
      }, query)
  }
}
