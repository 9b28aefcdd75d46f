/**
 * A loopback stand-in for Slack's Web API (`chat.postMessage`, `chat.update`) that answers as
 * Slack does: HTTP 200 with `ok: false` and an error code for most failures, 429 with
 * `Retry-After` when rate limited. It keeps each channel's messages, their edits and their
 * threads, so that tests can assert "one top-level message, edited to its final state, one
 * reply per step".
 *
 *   const slack = await startSlackApi({ token: 'xoxb-1', channels: ['C0123456789'] })
 *   slack.failNext('chat.update', { error: 'not_in_channel' })
 *   slack.topLevel('C0123456789')   // [{ ts, text, blocks, edits, replies }]
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface SlackMessage {
  ts: string
  channel: string
  text: string
  blocks?: unknown
  thread_ts?: string
  /** the texts it had before each edit, oldest first */
  edits: string[]
  /** replies in its thread, in order */
  replies: SlackMessage[]
}

export interface SlackCall {
  method: string
  headers: Record<string, string>
  /** the form arguments as sent (blocks still a JSON string) */
  args: Record<string, string>
  /** HTTP status and JSON body of the answer */
  status: number
  answer: Record<string, unknown>
}

/** A forced answer: a Slack error code (HTTP 200), a 429 with Retry-After, or another status. */
export type SlackFault =
  { error: string } | { status: 429; retryAfter: number } | { status: number } | 'hang'

export interface SlackApi {
  /** base URL to give as slack-api-url, e.g. `http://127.0.0.1:PORT/api/` */
  readonly url: string
  readonly calls: SlackCall[]
  /** the channel's top-level messages, oldest first */
  topLevel(channel: string): SlackMessage[]
  /** the next `times` calls of `method` (or any method: '*') get `fault` */
  failNext(method: string, fault: SlackFault, times?: number): void
  /** every call of `method` (or '*') gets `fault` from now on */
  failAlways(method: string, fault: SlackFault): void
  close(): Promise<void>
}

export interface SlackApiOptions {
  /** the only token accepted (others: invalid_auth) */
  token: string
  /** channels the app is a member of */
  channels: string[]
  /** channels that exist but the app is not in (not_in_channel) */
  outside?: string[]
}

export async function startSlackApi(options: SlackApiOptions): Promise<SlackApi> {
  const messages = new Map<string, SlackMessage[]>()
  for (const c of options.channels) messages.set(c, [])
  const calls: SlackCall[] = []
  const faults: Array<{ method: string; fault: SlackFault; times: number }> = []
  const sockets = new Set<Socket>()
  let seq = 0
  const nextTs = () => `${1764000000 + Math.floor(seq / 1000)}.${String(++seq).padStart(6, '0')}`

  const find = (channel: string, ts: string): SlackMessage | undefined =>
    messages.get(channel)?.find((m) => m.ts === ts)

  function faultFor(method: string): SlackFault | undefined {
    const i = faults.findIndex((f) => f.method === method || f.method === '*')
    if (i < 0) return undefined
    const f = faults[i]!
    if (f.times !== Infinity && --f.times <= 0) faults.splice(i, 1)
    return f.fault
  }

  function handle(method: string, auth: string | undefined, a: Record<string, string>) {
    const err = (error: string) => ({ status: 200, body: { ok: false, error } })
    if (auth !== `Bearer ${options.token}`) return err(auth ? 'invalid_auth' : 'not_authed')
    const channel = a.channel ?? ''
    if (options.outside?.includes(channel)) return err('not_in_channel')
    const list = messages.get(channel)
    if (!list) return err('channel_not_found')
    if (!a.text && !a.blocks) return err('no_text')
    const blocks = a.blocks ? (JSON.parse(a.blocks) as unknown) : undefined
    if (method === 'chat.postMessage') {
      const message: SlackMessage = {
        ts: nextTs(),
        channel,
        text: a.text ?? '',
        blocks,
        thread_ts: a.thread_ts,
        edits: [],
        replies: []
      }
      if (a.thread_ts) {
        const parent = find(channel, a.thread_ts)
        if (!parent) return err('thread_not_found')
        parent.replies.push(message)
      } else list.push(message)
      return {
        status: 200,
        body: {
          ok: true,
          channel,
          ts: message.ts,
          message: { type: 'message', text: message.text, ts: message.ts, user: 'U0BOT0001' }
        }
      }
    }
    if (method === 'chat.update') {
      const message = a.ts ? find(channel, a.ts) : undefined
      if (!message) return err('message_not_found')
      message.edits.push(message.text)
      message.text = a.text ?? ''
      message.blocks = blocks
      return {
        status: 200,
        body: {
          ok: true,
          channel,
          ts: message.ts,
          text: message.text,
          message: { text: message.text }
        }
      }
    }
    return err('unknown_method')
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '')
      const raw = Buffer.concat(chunks).toString('utf8')
      const type = String(req.headers['content-type'] ?? '')
      const args: Record<string, string> = type.startsWith('application/json')
        ? Object.fromEntries(
            Object.entries(JSON.parse(raw || '{}') as Record<string, unknown>).map(([k, v]) => [
              k,
              typeof v === 'string' ? v : JSON.stringify(v)
            ])
          )
        : Object.fromEntries(new URLSearchParams(raw))
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(', ') : (v ?? '')
        ])
      )
      const fault = faultFor(method)
      if (fault === 'hang') {
        calls.push({ method, headers, args, status: 0, answer: {} })
        return
      }
      let status: number
      let body: Record<string, unknown>
      const extra: Record<string, string> = {}
      if (fault && 'error' in fault) {
        status = 200
        body = { ok: false, error: fault.error }
      } else if (fault && fault.status === 429) {
        status = 429
        body = { ok: false, error: 'ratelimited' }
        extra['retry-after'] = String((fault as { retryAfter: number }).retryAfter)
      } else if (fault) {
        status = fault.status
        body = { ok: false, error: 'service_unavailable' }
      } else ({ status, body } = handle(method, req.headers.authorization, args))
      calls.push({ method, headers, args, status, answer: body })
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extra })
      res.end(JSON.stringify(body))
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    topLevel: (channel) => messages.get(channel) ?? [],
    failNext: (method, fault, times = 1) => faults.push({ method, fault, times }),
    failAlways: (method, fault) => faults.push({ method, fault, times: Infinity }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
