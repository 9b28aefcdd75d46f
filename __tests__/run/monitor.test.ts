import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { fixedClock, systemClock } from '../../src/clock.js'
import type { Check } from '../../src/settings/checks.js'
import { monitorRounds, watch, type MonitorOptions } from '../../src/run/monitor.js'
import { MemoryLog } from './log.js'

let service: SampleService

beforeAll(async () => {
  service = await startSampleService()
})

afterAll(async () => {
  await service.close()
})

beforeEach(() => {
  service.heal()
  service.setErrorRate(0.002)
})

const health = (): Check => ({
  kind: 'http',
  name: 'Health',
  url: `${service.url}/health`,
  timeoutMs: 1000
})
const errorRate = (): Check => ({
  kind: 'prometheus',
  name: 'Error rate',
  prometheus: service.prometheusUrl,
  query: 'error_rate',
  max: 0.01,
  timeoutMs: 1000
})
const slow = (ms: number): Check => ({
  kind: 'http',
  name: 'Slow page',
  url: `${service.url}/slow?ms=${ms}`,
  timeoutMs: 5000
})

function options(extra: Partial<MonitorOptions> = {}): MonitorOptions & { log: MemoryLog } {
  const log = (extra.log as MemoryLog | undefined) ?? new MemoryLog()
  return {
    durationMs: 600,
    intervalMs: 200,
    failuresAllowed: 1,
    clock: systemClock,
    probeCtx: { cwd: tmpdir(), env: {}, log, commandTimeoutMs: 5000 },
    ...extra,
    log
  }
}

const progress = (log: MemoryLog): string[] =>
  log.entries.filter((e) => e.text.startsWith('monitor round')).map((e) => e.text)

describe('monitorRounds', () => {
  it.each([
    [0, 60_000, 0],
    [15 * 60_000, 60_000, 16],
    [90_000, 60_000, 3],
    [30_000, 60_000, 2],
    [5 * 60_000, 30_000, 11],
    [30 * 60_000, 30_000, 61]
  ])('duration %i ms every %i ms → %i rounds', (duration, interval, rounds) => {
    expect(monitorRounds(duration, interval)).toBe(rounds)
  })
})

describe('watch', () => {
  it('runs every round of a healthy window and logs one line per round', async () => {
    const opts = options()
    const started = performance.now()
    const outcome = await watch([health(), errorRate()], opts)
    const took = performance.now() - started
    expect(outcome).toMatchObject({ ok: true, rounds: 4, plannedRounds: 4, failedRounds: 0 })
    expect(outcome.lastResults.map((r) => r.ok)).toEqual([true, true])
    // rounds at 0, 200, 400 and 600 ms: the last one when the window ends
    expect(took).toBeGreaterThanOrEqual(590)
    const lines = progress(opts.log)
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(
      /^monitor round 1\/4: 2\/2 checks healthy, slowest \d+ ms, \d+ms left$/
    )
    expect(lines[3]).toMatch(
      /^monitor round 4\/4: 2\/2 checks healthy, slowest \d+ ms, last round$/
    )
  })

  it('schedules rounds on a grid, so slow rounds do not drift', async () => {
    // 6 rounds due at 0, 400, ..., 2000 ms, each taking ~250 ms: about 2250 ms in all
    // (drifting by the round time would take about 3500 ms); the margins either side are wide
    // enough for a loaded machine's late timers
    const started = performance.now()
    const outcome = await watch([slow(250)], options({ durationMs: 2000, intervalMs: 400 }))
    const took = performance.now() - started
    expect(outcome).toMatchObject({ ok: true, rounds: 6 })
    expect(took).toBeGreaterThanOrEqual(2200)
    expect(took).toBeLessThan(3000)
  })

  it('watches the whole window: a round every interval and the last one when it ends', async () => {
    const clock = fixedClock(new Date('2026-11-25T10:00:00Z'))
    const before = service.requests
    const outcome = await watch(
      [health()],
      options({ clock, durationMs: 15 * 60_000, intervalMs: 60_000 })
    )
    expect(outcome).toMatchObject({ ok: true, rounds: 16, durationMs: 15 * 60_000 })
    expect(service.requests - before).toBe(16)
    expect(clock.now().toISOString()).toBe('2026-11-25T10:15:00.000Z')
  })

  it('ends a window that is no multiple of the interval on its end, not after it', async () => {
    const clock = fixedClock(new Date('2026-11-25T10:00:00Z'))
    const seen: string[] = []
    const outcome = await watch(
      [health()],
      options({
        clock: {
          now: () => clock.now(),
          sleep: async (ms) => {
            await clock.sleep(ms)
            seen.push(clock.now().toISOString().slice(14, 19))
          }
        },
        durationMs: 3500,
        intervalMs: 1000
      })
    )
    expect(outcome).toMatchObject({ ok: true, rounds: 5, durationMs: 3500 })
    expect(seen).toEqual(['00:01', '00:02', '00:03', '00:03'])
  })

  it('takes at least 3 s for a 3 s window at 1 s, and catches a failure in its last second', async () => {
    const opts = options({ durationMs: 3000, intervalMs: 1000 })
    const started = performance.now()
    const pending = watch([health()], opts)
    await opts.log.waitFor('monitor round 3/4')
    service.break()
    const outcome = await pending
    expect(performance.now() - started).toBeGreaterThanOrEqual(2990)
    expect(outcome).toMatchObject({ ok: false, rounds: 4, plannedRounds: 4, failedRounds: 1 })
    expect(outcome.reason).toBe('monitor round 4 failed: Health: expected 2xx, got 503')
  })

  it('returns at once, without probing, when the duration is 0', async () => {
    const before = service.requests
    const outcome = await watch([health()], options({ durationMs: 0 }))
    expect(outcome).toEqual({
      ok: true,
      rounds: 0,
      plannedRounds: 0,
      failedRounds: 0,
      durationMs: expect.any(Number),
      lastResults: []
    })
    expect(service.requests).toBe(before)
  })

  it('fails within about one interval of a breakage', async () => {
    const opts = options({ durationMs: 10_000, intervalMs: 200 })
    const pending = watch([health(), errorRate()], opts)
    await opts.log.waitFor('monitor round 2/51')
    const brokenAt = performance.now()
    service.break()
    const outcome = await pending
    // the watch lasts 10 s: what fails within 3 s failed at the breakage (two rounds, ~400 ms)
    expect(performance.now() - brokenAt).toBeLessThan(3000)
    expect(outcome).toMatchObject({ ok: false, rounds: 3, failedRounds: 1 })
    expect(outcome.cancelled).toBeUndefined()
    expect(outcome.failedAt).toBeInstanceOf(Date)
    expect(outcome.reason).toBe('monitor round 3 failed: Health: expected 2xx, got 503')
    expect(outcome.lastResults[0]).toMatchObject({ name: 'Health', ok: false })
    expect(progress(opts.log)[2]).toMatch(
      /^monitor round 3\/51: [01]\/2 checks healthy \(failing: Health — expected 2xx, got 503\), (not finished: Error rate, )?slowest \d+ ms, /
    )
    expect(opts.log.entries.filter((e) => e.level === 'error').map((e) => e.text)).toEqual([
      'monitoring failed — monitor round 3 failed: Health: expected 2xx, got 503'
    ])
  })

  it('notices a Prometheus value out of bounds', async () => {
    const opts = options({ durationMs: 10_000, intervalMs: 200 })
    const pending = watch([health(), errorRate()], opts)
    await opts.log.waitFor('monitor round 1/51')
    service.setErrorRate(0.2)
    const outcome = await pending
    expect(outcome).toMatchObject({ ok: false, rounds: 2 })
    expect(outcome.reason).toContain('Error rate: value 0.2 > max 0.01')
  })

  it('does not wait for the other probes of the round that decides', async () => {
    service.break()
    const started = performance.now()
    const outcome = await watch([slow(3000), health()], options({ durationMs: 10_000 }))
    // not waiting for the 3 s check
    expect(performance.now() - started).toBeLessThan(2500)
    expect(outcome).toMatchObject({ ok: false, rounds: 1 })
    expect(outcome.lastResults).toEqual([
      { name: 'Slow page', ok: false, skipped: true, detail: 'not finished (round failed)' },
      expect.objectContaining({ name: 'Health', ok: false, detail: 'expected 2xx, got 503' })
    ])
  })

  it('runs command checks one after another, so their log groups do not interleave', async () => {
    const opts = options({ durationMs: 200, intervalMs: 1000 })
    const outcome = await watch(
      [
        { kind: 'command', name: 'A', run: 'echo a1; sleep 0.1; echo a2' },
        health(),
        { kind: 'command', name: 'B', run: 'echo b1; sleep 0.1; echo b2' }
      ],
      opts
    )
    expect(outcome).toMatchObject({ ok: true, rounds: 2 })
    const grouped = opts.log.entries
      .filter((e) => e.level !== 'info' || /^[ab][12]$/.test(e.text))
      .map((e) => (e.level === 'endgroup' ? 'end' : e.text))
    const round = ['check: A', 'a1', 'a2', 'end', 'check: B', 'b1', 'b2', 'end']
    expect(grouped).toEqual([...round, ...round])
  })

  it('tolerates a single failed round when two are allowed', async () => {
    const opts = options({ durationMs: 1000, intervalMs: 150, failuresAllowed: 2 })
    const pending = watch([health()], opts)
    await opts.log.waitFor('monitor round 2/8')
    service.break()
    await opts.log.waitFor('1 of 2 failed rounds in a row')
    service.heal()
    const outcome = await pending
    expect(outcome).toMatchObject({ ok: true, rounds: 8, failedRounds: 1 })
  })

  it('fails on two consecutive failed rounds when two are allowed', async () => {
    const opts = options({ durationMs: 10_000, intervalMs: 150, failuresAllowed: 2 })
    const pending = watch([health()], opts)
    await opts.log.waitFor('monitor round 2/68')
    service.break()
    const outcome = await pending
    expect(outcome).toMatchObject({ ok: false, rounds: 4, failedRounds: 2 })
    expect(outcome.reason).toBe('2 consecutive failed rounds: Health: expected 2xx, got 503')
  })

  it('adds a round to confirm a failure in the last planned round', async () => {
    const opts = options({ durationMs: 400, intervalMs: 200, failuresAllowed: 2 })
    const pending = watch([health()], opts)
    await opts.log.waitFor('monitor round 2/3')
    service.break()
    const outcome = await pending
    expect(outcome).toMatchObject({ ok: false, rounds: 4, plannedRounds: 3, failedRounds: 2 })
    expect(progress(opts.log)[2]).toContain('one more round to confirm')
    expect(progress(opts.log)[3]).toMatch(/^monitor round 4 \(extra\): 0\/1 checks healthy/)
  })

  it('passes when the confirming round is healthy', async () => {
    const opts = options({ durationMs: 400, intervalMs: 200, failuresAllowed: 2 })
    const pending = watch([health()], opts)
    await opts.log.waitFor('monitor round 2/3')
    service.break()
    await opts.log.waitFor('one more round to confirm')
    service.heal()
    expect(await pending).toMatchObject({ ok: true, rounds: 4, failedRounds: 1 })
  })

  it('stops promptly when the signal aborts', async () => {
    const controller = new AbortController()
    const opts = options({ durationMs: 10_000, intervalMs: 2000, signal: controller.signal })
    const pending = watch([health()], opts)
    await opts.log.waitFor('monitor round 1/6')
    const abortedAt = performance.now()
    controller.abort()
    const outcome = await pending
    // not waiting for the next round, 2 s later
    expect(performance.now() - abortedAt).toBeLessThan(1500)
    expect(outcome).toMatchObject({ ok: false, cancelled: true, rounds: 1, reason: 'cancelled' })
  })

  it('stops a round in progress when the signal aborts', async () => {
    const controller = new AbortController()
    const opts = options({ durationMs: 10_000, signal: controller.signal })
    const before = service.requests
    const pending = watch([slow(5000)], opts)
    await service.waitForRequests(before + 1)
    controller.abort()
    const outcome = await pending
    expect(outcome).toMatchObject({ ok: false, cancelled: true, rounds: 0 })
    expect(outcome.lastResults).toEqual([expect.objectContaining({ detail: 'cancelled' })])
  })
})
