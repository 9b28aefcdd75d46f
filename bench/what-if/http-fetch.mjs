// Diagnostic only (`node --import bench/what-if/http-fetch.mjs dist/index.js`): replaces the
// global fetch with a minimal one over node:http, to measure what Node's built-in fetch
// (undici: ~1 MB of JS plus the llhttp WebAssembly parser, whose background compilation
// the process waits for at exit) costs the action's start-up and memory. Not for
// production: http only, no redirects, no streaming, no timeouts beyond `signal`.
import http from 'node:http'

const agent = new http.Agent({ keepAlive: true })

class Headers {
  constructor(raw) {
    this.raw = raw
  }
  get(name) {
    const v = this.raw[name.toLowerCase()]
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v)
  }
  has(name) {
    return this.raw[name.toLowerCase()] !== undefined
  }
  forEach(fn) {
    for (const [k, v] of Object.entries(this.raw)) fn(Array.isArray(v) ? v.join(', ') : v, k)
  }
}

globalThis.fetch = (url, opts = {}) =>
  new Promise((resolve, reject) => {
    const headers =
      opts.headers instanceof globalThis.Headers ? Object.fromEntries(opts.headers) : opts.headers
    const req = http.request(
      new URL(String(url)),
      { method: opts.method ?? 'GET', headers, agent, signal: opts.signal ?? undefined },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode,
            statusText: res.statusMessage ?? '',
            ok: res.statusCode >= 200 && res.statusCode < 300,
            redirected: false,
            url: String(url),
            headers: new Headers(res.headers),
            body: null,
            text: async () => body,
            json: async () => JSON.parse(body),
            arrayBuffer: async () => new TextEncoder().encode(body).buffer
          })
        })
      }
    )
    req.on('error', reject)
    if (opts.body !== undefined && opts.body !== null) req.write(opts.body)
    req.end()
  })

process.on('beforeExit', () => agent.destroy())
