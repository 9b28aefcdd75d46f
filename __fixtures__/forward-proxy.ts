/**
 * A forward proxy on 127.0.0.1, as self-hosted runners reach the world through: plain
 * requests in absolute form (`GET http://host/path`) are forwarded, `CONNECT host:port` is
 * tunnelled. Host names ending in `.test` resolve to 127.0.0.1 here and nowhere else, so a
 * request to one can only succeed through the proxy; every request is recorded by host.
 */
import http from 'node:http'
import net, { type AddressInfo, type Socket } from 'node:net'

export interface ProxiedRequest {
  kind: 'forward' | 'connect'
  /** host name as the client asked for it */
  host: string
  port: number
  /** method and path of a forwarded request; CONNECT for a tunnel */
  method: string
  path: string
  /** the Proxy-Authorization header, if any */
  proxyAuthorization?: string
}

export interface ForwardProxy {
  /** e.g. `http://127.0.0.1:PORT`, for HTTP_PROXY / HTTPS_PROXY */
  readonly url: string
  readonly requests: ProxiedRequest[]
  /** hosts seen, each once, in order */
  hosts(): string[]
  close(): Promise<void>
}

function resolve(host: string): string {
  return /\.test$/i.test(host) ? '127.0.0.1' : host
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = []
  const sockets = new Set<Socket>()

  const server = http.createServer((req, res) => {
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400).end('absolute URL expected')
      return
    }
    const port = Number(target.port || 80)
    requests.push({
      kind: 'forward',
      host: target.hostname,
      port,
      method: req.method ?? 'GET',
      path: `${target.pathname}${target.search}`,
      proxyAuthorization: req.headers['proxy-authorization']
    })
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = http.request(
      {
        host: resolve(target.hostname),
        port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  })

  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const [host = '', portText = '443'] = (req.url ?? '').split(/:(?=\d+$)/)
    const port = Number(portText)
    requests.push({
      kind: 'connect',
      host,
      port,
      method: 'CONNECT',
      path: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization']
    })
    const upstream = net.connect(port, resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    const drop = (): void => {
      upstream.destroy()
      client.destroy()
    }
    upstream.on('error', () => {
      if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      drop()
    })
    client.on('error', drop)
  })

  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => ready())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hosts: () => [...new Set(requests.map((r) => r.host))],
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done())
        for (const s of sockets) s.destroy()
      })
  }
}
