import { afterEach, describe, expect, it } from '@jest/globals'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import { HttpError, httpFetch, timeoutSignal } from '../src/http.js'

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

interface Loopback {
  url: string
  seen: Seen[]
  /** sockets ever opened by a client */
  connections: () => number
}

const closers: (() => Promise<void>)[] = []

afterEach(async () => {
  while (closers.length) await closers.pop()!()
})

function closeServer(server: Server | ReturnType<typeof createNetServer>): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections()
    server.close(() => resolve())
  })
}

/** a node:http server on 127.0.0.1 that records every request, body included */
async function serve(handler: Handler): Promise<Loopback> {
  const seen: Seen[] = []
  let connections = 0
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      handler(req, res, body)
    })
  })
  server.on('connection', (s: Socket) => {
    connections++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(async () => {
    for (const s of sockets) s.destroy()
    await closeServer(server)
  })
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, seen, connections: () => connections }
}

/** a raw TCP server: hands back the bytes of the request head exactly as sent */
async function serveRaw(): Promise<{ url: string; heads: string[] }> {
  const heads: string[] = []
  const sockets = new Set<Socket>()
  const server = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    let data = ''
    socket.on('data', (c: Buffer) => {
      data += c.toString('latin1')
      const end = data.indexOf('\r\n\r\n')
      if (end === -1) return
      heads.push(data.slice(0, end))
      socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(async () => {
    for (const s of sockets) s.destroy()
    await closeServer(server)
  })
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, heads }
}

/** a port nobody listens on: bound once, then released */
async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function rejection(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError)
    return e as HttpError
  }
  throw new Error('expected a rejection')
}

describe('httpFetch: answers', () => {
  it('gives status, ok and the body', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(201, 'Made It', { 'content-type': 'text/plain' })
      res.end('héllo')
    })
    const res = await httpFetch(`${srv.url}/thing?x=1`)
    expect(res.status).toBe(201)
    expect(res.ok).toBe(true)
    expect(await res.text()).toBe('héllo')
    expect(srv.seen).toEqual([expect.objectContaining({ method: 'GET', url: '/thing?x=1' })])
  })

  it('is not ok outside 2xx', async () => {
    for (const code of [199, 300, 404, 503]) {
      const srv = await serve((_req, res) => {
        res.writeHead(code === 199 ? 200 : code)
        res.end()
      })
      const res = await httpFetch(srv.url)
      expect(res.ok).toBe(code === 199)
    }
  })

  it('reads headers case-insensitively and joins repeated ones', async () => {
    const srv = await serve((_req, res) => {
      res.setHeader('X-Request-Id', 'abc')
      res.setHeader('X-Multi', ['one', 'two'])
      res.setHeader('Set-Cookie', ['a=1', 'b=2'])
      res.end()
    })
    const res = await httpFetch(srv.url)
    expect(res.headers.get('x-request-id')).toBe('abc')
    expect(res.headers.get('X-REQUEST-ID')).toBe('abc')
    expect(res.headers.get('X-Multi')).toBe('one, two')
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2')
    expect(res.headers.get('x-absent')).toBeNull()
  })

  it('sends a POST body with its content-length and the given headers', async () => {
    const srv = await serve((_req, res) => res.end('ok'))
    const body = JSON.stringify({ text: 'déployé ✓' })
    const res = await httpFetch(srv.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'yes' },
      body
    })
    expect(res.status).toBe(200)
    const [seen] = srv.seen
    expect(seen?.method).toBe('POST')
    expect(seen?.body).toBe(body)
    expect(seen?.headers['content-length']).toBe(String(Buffer.byteLength(body)))
    expect(Number(seen?.headers['content-length'])).toBeGreaterThan(body.length) // bytes, not chars
    expect(seen?.headers['content-type']).toBe('application/json')
    expect(seen?.headers['x-custom']).toBe('yes')
    expect(seen?.headers['transfer-encoding']).toBeUndefined()
  })
})

describe('httpFetch: redirects', () => {
  /** /hop/N redirects to /hop/N-1 (301 and 302 alternately, relative Locations); /hop/0 answers */
  function hops(): Promise<Loopback> {
    return serve((req, res) => {
      const n = Number(/^\/hop\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0)
      if (n === 0) {
        res.end(`arrived by ${req.method}`)
        return
      }
      res.writeHead(n % 2 ? 301 : 302, {
        // alternately path-absolute and path-relative
        location: n % 2 ? `/hop/${n - 1}` : `${n - 1}`
      })
      res.end('moved')
    })
  }

  it("'follow' follows a chain of 5 redirects with relative Locations", async () => {
    const srv = await hops()
    const res = await httpFetch(`${srv.url}/hop/5`, { redirect: 'follow' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('arrived by GET')
    expect(srv.seen.map((s) => s.url)).toEqual([
      '/hop/5',
      '/hop/4',
      '/hop/3',
      '/hop/2',
      '/hop/1',
      '/hop/0'
    ])
  })

  it("'follow' hands the 6th redirect back", async () => {
    const srv = await hops()
    const res = await httpFetch(`${srv.url}/hop/6`, { redirect: 'follow' })
    expect(res.status).toBe(301) // the answer of /hop/1
    expect(res.ok).toBe(false)
    expect(res.headers.get('location')).toBe('/hop/0')
    expect(await res.text()).toBe('moved')
    expect(srv.seen).toHaveLength(6)
  })

  it("'follow' follows HEAD too", async () => {
    const srv = await hops()
    const res = await httpFetch(`${srv.url}/hop/2`, { method: 'HEAD', redirect: 'follow' })
    expect(res.status).toBe(200)
    expect(srv.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'HEAD /hop/2',
      'HEAD /hop/1',
      'HEAD /hop/0'
    ])
  })

  it("'manual' and the default hand redirects back", async () => {
    const srv = await hops()
    for (const redirect of ['manual', undefined] as const) {
      const res = await httpFetch(`${srv.url}/hop/1`, redirect ? { redirect } : {})
      expect(res.status).toBe(301)
      expect(res.headers.get('location')).toBe('/hop/0')
    }
    expect(srv.seen.map((s) => s.url)).toEqual(['/hop/1', '/hop/1'])
  })

  it('keeps credentials on the same origin and drops them for another', async () => {
    const other = await serve((_req, res) => res.end('elsewhere'))
    const srv = await serve((req, res) => {
      if (req.url === '/away') res.writeHead(302, { location: `${other.url}/landing` })
      else if (req.url === '/near') res.writeHead(307, { location: '/here' })
      res.end()
    })
    const withUser = new URL(srv.url)
    withUser.username = 'bob'
    withUser.password = 'pw'
    const basic = `Basic ${Buffer.from('bob:pw').toString('base64')}`
    for (const [url, headers] of [
      [new URL('/away', srv.url), { Authorization: 'Bearer t0ken' }],
      [new URL('/away', withUser), undefined]
    ] as const) {
      const res = await httpFetch(url, { redirect: 'follow', headers })
      expect(await res.text()).toBe('elsewhere')
    }
    expect(srv.seen.map((s) => s.headers.authorization)).toEqual(['Bearer t0ken', basic])
    expect(other.seen.map((s) => s.headers.authorization)).toEqual([undefined, undefined])

    await httpFetch(new URL('/near', withUser), {
      redirect: 'follow',
      headers: { 'x-keep': 'me' }
    })
    expect(srv.seen.slice(2).map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/near', basic],
      ['/here', basic]
    ])
  })

  it('does not follow redirects of a POST', async () => {
    const srv = await hops()
    const res = await httpFetch(`${srv.url}/hop/2`, {
      method: 'POST',
      body: '{}',
      redirect: 'follow'
    })
    expect(res.status).toBe(302)
    expect(srv.seen).toHaveLength(1)
  })
})

describe('httpFetch: credentials in the URL', () => {
  it('sends them as basic auth, never in the request line', async () => {
    const raw = await serveRaw()
    const url = new URL(raw.url)
    url.username = 'bob'
    url.password = 's3cr:t@x'
    url.pathname = '/private'
    const res = await httpFetch(url)
    expect(res.status).toBe(204)
    const [head] = raw.heads
    const [requestLine, ...headerLines] = (head ?? '').split('\r\n')
    expect(requestLine).toBe('GET /private HTTP/1.1')
    expect(head).not.toContain('bob')
    expect(head).not.toContain('s3cr')
    expect(headerLines).toContain(
      `authorization: Basic ${Buffer.from('bob:s3cr:t@x').toString('base64')}`
    )
  })

  it('keeps an Authorization header given explicitly', async () => {
    const srv = await serve((_req, res) => res.end())
    const url = new URL(srv.url)
    url.username = 'bob'
    url.password = 'pw'
    await httpFetch(url, { headers: { Authorization: 'Bearer t0ken' } })
    expect(srv.seen[0]?.headers.authorization).toBe('Bearer t0ken')
  })
})

describe('httpFetch: maxBytes', () => {
  it('keeps only that many bytes and still reads the answer to its end', async () => {
    let ended = false
    const chunk = 'x'.repeat(64 * 1024)
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      let i = 0
      const more = (): void => {
        // 1 MiB in chunks, with back-pressure: only a reader that keeps reading gets the end
        while (i < 16) {
          i++
          if (!res.write(i === 1 ? `0123456789${chunk.slice(10)}` : chunk)) {
            res.once('drain', more)
            return
          }
        }
        res.end(() => (ended = true))
      }
      more()
    })
    const res = await httpFetch(srv.url, { maxBytes: 10 })
    expect(await res.text()).toBe('0123456789')
    expect(res.status).toBe(200)
    expect(ended).toBe(true)
  })

  it('cuts inside a later chunk and keeps a short body whole', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/short') return void res.end('tiny')
      res.write('abc')
      setTimeout(() => res.end('defgh'), 10)
    })
    expect(await (await httpFetch(`${srv.url}/long`, { maxBytes: 5 })).text()).toBe('abcde')
    expect(await (await httpFetch(`${srv.url}/short`, { maxBytes: 5 })).text()).toBe('tiny')
    expect(await (await httpFetch(`${srv.url}/long`, { maxBytes: 0 })).text()).toBe('')
  })
})

describe('httpFetch: failures', () => {
  it('rejects with ABORT_ERR when the signal is already aborted, without connecting', async () => {
    const srv = await serve((_req, res) => res.end())
    const controller = new AbortController()
    controller.abort()
    const e = await rejection(httpFetch(srv.url, { signal: controller.signal }))
    expect(e.cause.code).toBe('ABORT_ERR')
    await sleep(20)
    expect(srv.connections()).toBe(0)
  })

  it('rejects with ABORT_ERR when aborted while waiting for the answer', async () => {
    let arrived!: () => void
    const requested = new Promise<void>((resolve) => (arrived = resolve))
    const srv = await serve(() => arrived()) // never answers
    const controller = new AbortController()
    const p = httpFetch(srv.url, { signal: controller.signal })
    await requested
    controller.abort()
    expect((await rejection(p)).cause.code).toBe('ABORT_ERR')
  })

  it('rejects with ABORT_ERR when aborted while the body arrives', async () => {
    let sent!: () => void
    const partial = new Promise<void>((resolve) => (sent = resolve))
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' })
      res.write('first part', () => sent()) // and the rest never comes
    })
    const controller = new AbortController()
    const p = httpFetch(srv.url, { signal: controller.signal })
    await partial
    await sleep(50) // let the client read the head and the first part
    controller.abort()
    expect((await rejection(p)).cause.code).toBe('ABORT_ERR')
    expect(srv.seen).toHaveLength(1)
  })

  it('rejects with ECONNREFUSED when nobody listens', async () => {
    const port = await freePort()
    const e = await rejection(httpFetch(`http://127.0.0.1:${port}/`))
    expect(e.cause.code).toBe('ECONNREFUSED')
  })

  it('rejects when the server closes the socket in the middle of the answer', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' })
      res.write('only the start', () => setTimeout(() => res.socket?.destroy(), 20))
    })
    const e = await rejection(httpFetch(srv.url))
    expect(e.cause.code).toBe('ECONNRESET')
  })

  it('rejects when the server closes the socket in the middle of a chunked answer', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200) // no content-length: chunked
      res.write('only the start', () => setTimeout(() => res.socket?.destroy(), 20))
    })
    const e = await rejection(httpFetch(srv.url))
    expect(e.cause.code).toBe('ECONNRESET')
  })

  it('rejects when the server closes the socket before answering', async () => {
    const srv = await serve((req) => req.socket.destroy())
    const e = await rejection(httpFetch(srv.url))
    expect(e.cause.code).toBe('ECONNRESET')
  })

  it('removes its abort listener once done', async () => {
    const srv = await serve((_req, res) => res.end('ok'))
    const controller = new AbortController()
    const added: unknown[] = []
    const removed: unknown[] = []
    const { signal } = controller
    const add = signal.addEventListener.bind(signal)
    const remove = signal.removeEventListener.bind(signal)
    signal.addEventListener = ((type: string, fn: () => void, o?: { once?: boolean }) => {
      added.push(fn)
      add(type, fn, o)
    }) as typeof signal.addEventListener
    signal.removeEventListener = ((type: string, fn: () => void) => {
      removed.push(fn)
      remove(type, fn)
    }) as typeof signal.removeEventListener
    await httpFetch(srv.url, { signal })
    await sleep(10) // the request's 'close' comes right after the answer's end
    expect(added).toHaveLength(1)
    expect(removed).toContain(added[0])
  })
})

describe('timeoutSignal', () => {
  it('aborts after ms and says it timed out', async () => {
    const t = timeoutSignal(40)
    expect(t.signal.aborted).toBe(false)
    expect(t.timedOut()).toBe(false)
    await sleep(80)
    expect(t.signal.aborted).toBe(true)
    expect(t.timedOut()).toBe(true)
    t.dispose()
  })

  it('follows its parent, which is not a time-out', async () => {
    const parent = new AbortController()
    const t = timeoutSignal(10_000, parent.signal)
    expect(t.signal.aborted).toBe(false)
    parent.abort()
    expect(t.signal.aborted).toBe(true)
    expect(t.timedOut()).toBe(false)
    t.dispose()
  })

  it('is aborted at once when its parent already is', () => {
    const parent = new AbortController()
    parent.abort()
    const t = timeoutSignal(10_000, parent.signal)
    expect(t.signal.aborted).toBe(true)
    expect(t.timedOut()).toBe(false)
    t.dispose()
  })

  it('dispose clears the timer and lets go of the parent', async () => {
    const parent = new AbortController()
    const t = timeoutSignal(30, parent.signal)
    t.dispose()
    await sleep(60)
    expect(t.signal.aborted).toBe(false)
    expect(t.timedOut()).toBe(false)
    parent.abort()
    expect(t.signal.aborted).toBe(false)
  })

  it('stops a request that takes too long', async () => {
    const srv = await serve(() => {}) // never answers
    const t = timeoutSignal(50)
    const e = await rejection(httpFetch(srv.url, { signal: t.signal }))
    t.dispose()
    expect(e.cause.code).toBe('ABORT_ERR')
    expect(t.timedOut()).toBe(true)
  })
})
