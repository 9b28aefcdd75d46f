/**
 * A stand-in for Alertmanager's API v2 (`GET /api/v2/alerts`) on 127.0.0.1: alerts are added
 * and resolved on demand; `active`, `silenced`, `inhibited` and `filter` (Alertmanager matcher
 * syntax) are honoured as Alertmanager honours them; an optional bearer token is required.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface StandInAlert {
  labels: Record<string, string>
  startsAt: string
  fingerprint: string
  silenced: boolean
  inhibited: boolean
  resolved: boolean
}

export interface AlertmanagerStandIn {
  readonly url: string
  readonly alerts: StandInAlert[]
  /** every query, with its parameters */
  readonly queries: Array<{ params: URLSearchParams; authorization?: string; status: number }>
  /** when set, only `Bearer <token>` is answered (401 otherwise) */
  token?: string
  /** answer every query with this status (e.g. 503), or hold it forever ('hang') */
  failWith?: number | 'hang'
  fire(
    labels: Record<string, string>,
    o?: { silenced?: boolean; inhibited?: boolean; startsAt?: string }
  ): StandInAlert
  resolve(alertname: string): void
  close(): Promise<void>
}

type Op = '=' | '!=' | '=~' | '!~'

/** Alertmanager's matcher syntax, as its API parses a `filter` parameter. */
function parseFilter(text: string): { name: string; op: Op; value: string } {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(text)
  if (!m) throw new Error(`bad matcher ${text}`)
  return { name: m[1] as string, op: m[2] as Op, value: (m[3] as string).replace(/\\(.)/g, '$1') }
}

function matchOne(f: { name: string; op: Op; value: string }, labels: Record<string, string>) {
  const v = labels[f.name] ?? ''
  const re = (): RegExp => new RegExp(`^(?:${f.value})$`)
  if (f.op === '=') return v === f.value
  if (f.op === '!=') return v !== f.value
  if (f.op === '=~') return re().test(v)
  return !re().test(v)
}

export async function startAlertmanager(): Promise<AlertmanagerStandIn> {
  const sockets = new Set<Socket>()
  const held = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://alertmanager')
    const answer = (status: number, body: unknown): void => {
      am.queries.push({
        params: url.searchParams,
        authorization: req.headers.authorization,
        status
      })
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (am.failWith === 'hang') {
      held.add(res)
      return
    }
    if (url.pathname !== '/api/v2/alerts' || req.method !== 'GET')
      return answer(404, { error: 'not found' })
    if (am.token && req.headers.authorization !== `Bearer ${am.token}`)
      return answer(401, { error: 'unauthorized' })
    if (typeof am.failWith === 'number') return answer(am.failWith, { error: 'failing on purpose' })
    let filters: ReturnType<typeof parseFilter>[]
    try {
      filters = url.searchParams.getAll('filter').map(parseFilter)
    } catch (e) {
      return answer(400, { error: (e as Error).message })
    }
    const wants = (name: string): boolean => url.searchParams.get(name) !== 'false'
    const list = am.alerts.filter(
      (a) =>
        !a.resolved &&
        wants('active') &&
        (wants('silenced') || !a.silenced) &&
        (wants('inhibited') || !a.inhibited) &&
        filters.every((f) => matchOne(f, a.labels))
    )
    answer(
      200,
      list.map((a) => ({
        labels: a.labels,
        annotations: {},
        startsAt: a.startsAt,
        endsAt: new Date(Date.parse(a.startsAt) + 3_600_000).toISOString(),
        updatedAt: a.startsAt,
        fingerprint: a.fingerprint,
        generatorURL: 'http://prometheus.example/graph',
        receivers: [{ name: 'on-call' }],
        status: {
          state: a.silenced || a.inhibited ? 'suppressed' : 'active',
          silencedBy: a.silenced ? ['silence-1'] : [],
          inhibitedBy: a.inhibited ? ['inhibitor-1'] : []
        }
      }))
    )
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const am: AlertmanagerStandIn = {
    url: `http://127.0.0.1:${port}`,
    alerts: [],
    queries: [],
    fire(labels, o = {}) {
      const alert: StandInAlert = {
        labels,
        startsAt: o.startsAt ?? new Date().toISOString(),
        fingerprint: createHash('sha1').update(JSON.stringify(labels)).digest('hex').slice(0, 16),
        silenced: o.silenced ?? false,
        inhibited: o.inhibited ?? false,
        resolved: false
      }
      am.alerts.push(alert)
      return alert
    },
    resolve(alertname) {
      for (const a of am.alerts) if (a.labels.alertname === alertname) a.resolved = true
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of held) r.destroy()
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
  }
  return am
}
