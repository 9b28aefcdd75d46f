/**
 * Resource hygiene (issue "Hardening and speed", point 6): after the real modules have done
 * their work — a monitoring window of many short rounds, smoke tests that retry, a command
 * killed by its timeout, notifications with retries, GitHub API calls — no timer, socket or
 * child process of theirs is left behind.
 *
 * No mocks: loopback stand-ins from __fixtures__ and the system clock. Each test takes the
 * active resources (`process.getActiveResourcesInfo()`) before it starts its stand-ins and
 * awaits, with a deadline, the same counts per resource type once the work is done (plus the
 * stand-ins' own listening servers, which are still up then: closing them first would close
 * the client's sockets for it). Idle keep-alive sockets of Node's global agent close on their
 * own after its 5 s timeout, hence the deadline. Timers that do not keep the process alive
 * (unref'd) are not in that list: an async hook counts every timer created during the test
 * that has neither fired nor been cleared. Child processes are read from /proc.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHook, type AsyncHook } from 'node:async_hooks'
import { readdirSync, readFileSync } from 'node:fs'
import { startGitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import { systemClock } from '../../src/clock.js'
import { GitHubApi } from '../../src/github/api.js'
import { postJson } from '../../src/notify/deliver.js'
import { notifyAll } from '../../src/notify/index.js'
import type { Check } from '../../src/settings/checks.js'
import { runCommand } from '../../src/run/command.js'
import { watch } from '../../src/run/monitor.js'
import type { ProbeContext } from '../../src/run/probes.js'
import { runSmokeTests } from '../../src/run/smoke.js'
import { sampleRecord } from '../notify/helpers.js'
import { MemoryLog } from '../run/log.js'

/** how long leftovers may take to go (keep-alive sockets: the global agent's 5 s timeout) */
const SETTLE_MS = 15_000
const POLL_MS = 25
const SRC = `${process.cwd()}/src/`
/**
 * Types not compared: Jest's own file reads and reporter timers come and go in this process.
 * Timers of the code under test are counted by TimerWatch instead (ref'd or not).
 */
const NOT_COMPARED = new Set(['Timeout', 'Immediate', 'FSReqCallback', 'FSReqPromise'])

type Counts = Record<string, number>

function activeCounts(): Counts {
  const out: Counts = {}
  for (const type of process.getActiveResourcesInfo())
    if (!NOT_COMPARED.has(type)) out[type] = (out[type] ?? 0) + 1
  return out
}

/**
 * "TCPSocketWrap: 3, expected 0" for each type with more resources than expected. Fewer is
 * fine: Jest runs several test files in one worker, and what an earlier file left to close
 * (keep-alive sockets, a server going away) may disappear while a test runs.
 */
function differences(now: Counts, expected: Counts): string[] {
  const types = new Set([...Object.keys(now), ...Object.keys(expected)])
  return [...types]
    .filter((t) => (now[t] ?? 0) > (expected[t] ?? 0))
    .sort()
    .map((t) => `${t}: ${now[t] ?? 0}, expected ${expected[t] ?? 0}`)
}

/** Polls `test` every 25 ms until it holds or `timeoutMs` has passed; says whether it held. */
async function until(test: () => boolean, timeoutMs = SETTLE_MS): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    if (test()) return true
    if (performance.now() > deadline) return false
    // checked after the timer has fired and been counted down, not inside its callback
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** Awaits the baseline counts (plus `extra`, e.g. stand-ins' servers); [] when reached. */
async function settleTo(baseline: Counts, extra: Counts = {}): Promise<string[]> {
  const expected: Counts = { ...baseline }
  for (const [t, n] of Object.entries(extra)) expected[t] = (expected[t] ?? 0) + n
  await until(() => differences(activeCounts(), expected).length === 0)
  return differences(activeCounts(), expected)
}

// ------------------------------------------------------------------ processes (/proc)

interface Proc {
  pid: number
  ppid: number
  pgrp: number
  state: string
  comm: string
}

function procTable(): Proc[] {
  const out: Proc[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = text.lastIndexOf(')')
      const comm = text.slice(text.indexOf('(') + 1, close)
      const f = text.slice(close + 2).split(' ')
      out.push({
        pid: Number(entry),
        state: f[0] ?? '',
        ppid: Number(f[1]),
        pgrp: Number(f[2]),
        comm
      })
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/** This process's descendants (zombies included: an unreaped child is a leak of ours). */
function descendants(): Proc[] {
  const table = procTable()
  const found: Proc[] = []
  let frontier = [process.pid]
  for (let depth = 0; depth < 32 && frontier.length > 0; depth++) {
    const next = table.filter((p) => frontier.includes(p.ppid))
    found.push(...next)
    frontier = next.map((p) => p.pid)
  }
  return found
}

/** Live (not zombie) processes of process group `pgid`, wherever they were reparented. */
function liveInGroup(pgid: number): Proc[] {
  return procTable().filter((p) => p.pgrp === pgid && p.state !== 'Z' && p.state !== 'X')
}

const describeProcs = (ps: Proc[]): string[] =>
  ps.map((p) => `${p.pid} ${p.comm} (${p.state}, group ${p.pgrp})`)

// ------------------------------------------------------------------ timers (async hook)

/**
 * The timers created by the code under test (a frame of src/ on the stack where they were
 * created) that have neither fired nor been cleared, unref'd ones included: each with where
 * it was created. Timers of Jest and of the stand-ins are not counted.
 */
class TimerWatch {
  private readonly live = new Map<number, string>()
  private readonly hook: AsyncHook

  constructor() {
    this.hook = createHook({
      init: (id, type) => {
        if (type !== 'Timeout') return
        const limit = Error.stackTraceLimit
        Error.stackTraceLimit = 40
        const stack = new Error().stack ?? ''
        Error.stackTraceLimit = limit
        const ours = stack
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.includes(SRC))
        if (ours.length > 0) this.live.set(id, ours.slice(0, 3).join(' < '))
      },
      // destroy hooks run a little later than the timer fires or is cleared: awaited below
      destroy: (id) => {
        this.live.delete(id)
      }
    })
    this.hook.enable()
  }

  get pending(): string[] {
    return [...this.live.values()]
  }

  stop(): void {
    this.hook.disable()
  }
}

// ------------------------------------------------------------------ setup

let baseline: Counts
let children: Proc[]
let timers: TimerWatch
const closers: Array<() => Promise<void>> = []

let initial: Counts | undefined

// The throttling plugin keeps its limiter groups (each with an unref'd clean-up interval) for
// the whole process, made on the first request: made here, before anything is counted.
beforeAll(async () => {
  const gh = await startGitHubApi()
  await GitHubApi.forRun(
    { apiUrl: gh.url, owner: 'acme', repo: 'shop' },
    'ghs_test'
  ).listDeployments({})
  await gh.close()
})

beforeEach(async () => {
  // what the previous test closed may still be going away (handles close on the next tick)
  if (initial) await settleTo(initial)
  children = descendants()
  baseline = activeCounts()
  initial ??= baseline
  timers = new TimerWatch()
})

afterEach(async () => {
  timers.stop()
  while (closers.length > 0) await closers.pop()?.()
  // with the stand-ins closed too, everything is as before the test
  expect(await settleTo(baseline)).toEqual([])
})

async function sampleService(): Promise<SampleService> {
  const s = await startSampleService()
  closers.push(() => s.close())
  return s
}

async function receiver(...responses: Parameters<Receiver['respondWith']>[0]): Promise<Receiver> {
  const r = await startReceiver({ responses })
  closers.push(() => r.close())
  return r
}

/** The whole verdict: resources back to the baseline, no timer pending, no child left. */
async function expectNothingLeft(servers: number): Promise<void> {
  const extra: Counts = servers > 0 ? { TCPServerWrap: servers } : {}
  expect(await settleTo(baseline, extra)).toEqual([])
  await until(() => timers.pending.length === 0)
  expect(timers.pending).toEqual([])
  const before = new Set(children.map((p) => p.pid))
  await until(() => descendants().every((p) => before.has(p.pid)))
  expect(describeProcs(descendants().filter((p) => !before.has(p.pid)))).toEqual([])
}

/** a Log that also keeps the highest socket count seen at any log line */
function socketWatchingLog(): { log: MemoryLog; maxSockets: () => number } {
  const log = new MemoryLog()
  let max = 0
  const sample = (): void => {
    max = Math.max(max, activeCounts().TCPSocketWrap ?? 0)
  }
  const info = log.info
  const warning = log.warning
  log.info = (m) => {
    sample()
    info(m)
  }
  log.warning = (m) => {
    sample()
    warning(m)
  }
  return { log, maxSockets: () => max }
}

function probeCtx(log: MemoryLog, signal?: AbortSignal): ProbeContext {
  return {
    cwd: process.cwd(),
    env: {},
    log,
    commandTimeoutMs: 5000,
    killGraceMs: 200,
    ...(signal && { signal })
  }
}

function watchedChecks(service: SampleService): Check[] {
  return [
    { kind: 'http', name: 'Health', url: `${service.url}/health`, timeoutMs: 5000 },
    {
      kind: 'http',
      name: 'Home',
      url: `${service.url}/`,
      contains: 'Welcome',
      timeoutMs: 5000
    },
    {
      kind: 'prometheus',
      name: 'Error rate',
      prometheus: service.prometheusUrl,
      query: 'sum(rate(http_errors_total[1m]))',
      max: 0.01,
      timeoutMs: 5000
    },
    { kind: 'command', name: 'True', run: 'true' }
  ]
}

// ------------------------------------------------------------------ the tests

describe('resource hygiene', () => {
  it('the probes of a 61-round watch (60 intervals) at 20 ms reuse their sockets and leave nothing behind', async () => {
    const service = await sampleService()
    const { log, maxSockets } = socketWatchingLog()
    const outcome = await watch(watchedChecks(service), {
      durationMs: 60 * 20,
      intervalMs: 20,
      failuresAllowed: 1,
      clock: systemClock,
      log,
      probeCtx: probeCtx(log)
    })
    expect(outcome).toMatchObject({ ok: true, rounds: 61, failedRounds: 0 })
    expect(service.requests).toBeGreaterThanOrEqual(180)
    // 3 parallel probes: client and server ends of at most a few connections, however many rounds
    expect(maxSockets()).toBeLessThanOrEqual((baseline.TCPSocketWrap ?? 0) + 12)
    await expectNothingLeft(1)
  })

  it('a failing watch that cuts a slow probe short leaves nothing behind', async () => {
    const service = await sampleService()
    const log = new MemoryLog()
    const checks: Check[] = [
      ...watchedChecks(service),
      { kind: 'http', name: 'Slow', url: `${service.url}/slow?ms=1500`, timeoutMs: 5000 }
    ]
    service.breakAfter(20)
    const outcome = await watch(checks, {
      durationMs: 60_000,
      intervalMs: 20,
      failuresAllowed: 2,
      clock: systemClock,
      log,
      probeCtx: probeCtx(log)
    })
    expect(outcome.ok).toBe(false)
    expect(outcome.lastResults.find((r) => r.name === 'Slow')?.skipped).toBe(true)
    // the stand-in's own 1.5 s timer for the abandoned /slow answer runs out meanwhile
    await expectNothingLeft(1)
  })

  it('an aborted watch (AbortController) stops at once and leaves nothing behind', async () => {
    const service = await sampleService()
    const log = new MemoryLog()
    const controller = new AbortController()
    const checks: Check[] = [
      ...watchedChecks(service),
      { kind: 'http', name: 'Slow', url: `${service.url}/slow?ms=2000`, timeoutMs: 5000 },
      { kind: 'command', name: 'Sleeper', run: 'sleep 30 & sleep 30' }
    ]
    const running = watch(checks, {
      durationMs: 60_000,
      intervalMs: 20,
      failuresAllowed: 1,
      clock: systemClock,
      signal: controller.signal,
      log,
      probeCtx: probeCtx(log, controller.signal)
    })
    // abort while the slow probe and the sleeping command are in flight
    await service.waitForRequests(4)
    await until(() => descendants().some((p) => p.comm === 'sleep'), 5000)
    const started = performance.now()
    controller.abort()
    const outcome = await running
    expect(outcome.cancelled).toBe(true)
    // the watch lasts 60 s
    expect(performance.now() - started).toBeLessThan(10_000)
    await expectNothingLeft(1)
  })

  it('smoke tests that fail, retry and then pass leave nothing behind', async () => {
    const service = await sampleService()
    const log = new MemoryLog()
    service.break()
    const checks: Check[] = [
      { kind: 'http', name: 'Health', url: `${service.url}/health`, timeoutMs: 5000 },
      { kind: 'command', name: 'Curl-free', run: 'test -n "$HOME"' },
      ...watchedChecks(service)
    ]
    const healed = service.waitForRequests(10).then(() => service.heal())
    const outcome = await runSmokeTests(checks, {
      ...probeCtx(log),
      clock: systemClock,
      retryDeadlineMs: 10_000,
      retryIntervalMs: 20
    })
    await healed
    expect(outcome.ok).toBe(true)
    expect(outcome.results[0]?.detail).toMatch(/passed on try \d+/)
    await expectNothingLeft(1)
  })

  it('runCommand killed by its timeout leaves no process of its group, nor any child', async () => {
    const log = new MemoryLog()
    for (const command of [
      // dies on SIGTERM, with a background job in the group
      'sleep 30 & sleep 30',
      // ignores SIGTERM (and so do its children): SIGKILL after the grace
      "trap '' TERM; sleep 30 & sleep 30 & wait"
    ]) {
      let pgid: number | undefined
      const result = await runCommand({
        command,
        cwd: process.cwd(),
        env: {},
        timeoutMs: 300,
        killGraceMs: 200,
        log,
        label: 'sleepy',
        onStart: (id) => {
          pgid = id
        }
      })
      expect(result).toMatchObject({ ok: false, timedOut: true })
      expect(pgid).toBeDefined()
      expect(describeProcs(liveInGroup(pgid as number))).toEqual([])
    }
    // a command that ends on its own, leaving a job in its group: the job stays
    let pgid: number | undefined
    const result = await runCommand({
      command: 'sleep 30 &',
      cwd: process.cwd(),
      env: {},
      timeoutMs: 5000,
      killGraceMs: 200,
      log,
      label: 'leaver',
      onStart: (id) => {
        pgid = id
      }
    })
    expect(result.ok).toBe(true)
    // as after a run: step, the job goes on (until the job of the workflow ends)
    // the background job is bash's fork until it has exec'd sleep: await that, on a busy machine
    let job = liveInGroup(pgid as number)
    while (job.length === 1 && job[0]?.comm === 'bash') {
      await new Promise((r) => setTimeout(r, 20))
      job = liveInGroup(pgid as number)
    }
    expect(job.map((p) => p.comm)).toEqual(['sleep'])
    process.kill(-(pgid as number), 'SIGKILL')
    expect(await until(() => liveInGroup(pgid as number).length === 0)).toBe(true)
    await expectNothingLeft(0)
  })

  it('postJson retrying 5xx, 429 and a hung attempt leaves nothing behind', async () => {
    const r = await receiver(500, { status: 429, retryAfter: 0 }, 'hang', 503, 200)
    const log = new MemoryLog()
    const result = await postJson(
      `${r.url}/hook`,
      '{"a":1}',
      {},
      {
        clock: systemClock,
        log,
        attempts: 5,
        timeoutMs: 300,
        backoffMs: 10
      }
    )
    expect(result).toMatchObject({ ok: true, attempts: 5 })
    await expectNothingLeft(1)
  })

  it('notifyAll with retries, a channel that hangs past the deadline, leaves nothing behind', async () => {
    // slack and teams: a 500 each, then 200 (after postJson's default 1 s backoff)
    const ok = await receiver(500, 500)
    const hung = await receiver()
    hung.hang()
    const log = new MemoryLog()
    const channels = {
      slack: `${ok.url}/slack`,
      teams: `${ok.url}/teams`,
      webhook: { url: `${hung.url}/hook`, secret: 's3cret-value' }
    }
    const result = await notifyAll('after', sampleRecord(), channels, {
      language: 'en',
      clock: systemClock,
      log,
      attempts: 3,
      timeoutMs: 10_000,
      deadlineMs: 3000
    })
    expect(result.failures).toEqual(['webhook: no answer within the 3s notification deadline'])
    expect(ok.requests).toHaveLength(4)
    // the abandoned request is closed by the client, not left hanging on the receiver
    expect(await until(() => hung.hanging === 0, 5000)).toBe(true)
    await expectNothingLeft(2)
  })

  it('the GitHub client (octokit) with retried requests leaves nothing behind', async () => {
    const gh = await startGitHubApi()
    closers.push(() => gh.close())
    const api = GitHubApi.forRun({ apiUrl: gh.url, owner: 'acme', repo: 'shop' }, 'ghs_test')
    gh.failNext(1, 502)
    for (let i = 0; i < 20; i++) expect(await api.listDeployments({})).toEqual([])
    expect(api.requestCount).toBe(21)
    await expectNothingLeft(1)
  })
})
