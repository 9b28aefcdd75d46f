import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'

/**
 * A real server binary (Prometheus, Alertmanager) started by a test on a loopback port and
 * stopped after it: its output kept for the error when it exits early.
 */
export interface Daemon {
  child: ChildProcess
  /** http://127.0.0.1:<port> */
  url: string
  exited: Promise<void>
  output: () => string
}

/** a loopback port free now (the daemon binds it right after) */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

export function launch(bin: string, args: string[], port: number): Daemon {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { child, url: `http://127.0.0.1:${port}`, exited, output: () => output }
}

/** polls `ready` until it holds; fails at once if the daemon exits meanwhile */
export async function until(daemon: Daemon, ready: () => Promise<boolean>): Promise<void> {
  let gone = false
  void daemon.exited.then(() => (gone = true))
  for (;;) {
    if (gone) throw new Error(`${daemon.child.spawnfile} exited:\n${daemon.output()}`)
    if (await ready().catch(() => false)) return
    await delay(100)
  }
}

/** resolves once `/-/ready` answers (401 counts: a server behind auth is up) */
export function ready(daemon: Daemon): Promise<void> {
  return until(daemon, async () => {
    const res = await fetch(`${daemon.url}/-/ready`)
    await res.arrayBuffer()
    return res.status === 200 || res.status === 401
  })
}

export async function stop(daemon: Daemon): Promise<void> {
  if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
    daemon.child.kill('SIGTERM')
  }
  await daemon.exited
}
