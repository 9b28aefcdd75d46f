import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { fixedClock, systemClock } from '../../src/clock.js'
import type { Check } from '../../src/settings/checks.js'
import { runSmokeTests, type SmokeOptions } from '../../src/run/smoke.js'
import { MemoryLog } from './log.js'

let service: SampleService
let dir: string

beforeAll(async () => {
  service = await startSampleService()
  dir = mkdtempSync(join(tmpdir(), 'rb-smoke-'))
})

afterAll(async () => {
  await service.close()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => service.heal())

const health = (): Check => ({
  kind: 'http',
  name: 'Health',
  url: `${service.url}/health`,
  timeoutMs: 1000
})
const homepage = (): Check => ({
  kind: 'http',
  name: 'Homepage',
  url: `${service.url}/`,
  contains: 'Welcome',
  timeoutMs: 1000
})
const witness = (file: string): Check => ({
  kind: 'command',
  name: 'Login works',
  run: `touch "${join(dir, file)}"`
})

function options(extra: Partial<SmokeOptions> = {}): SmokeOptions {
  return {
    cwd: dir,
    env: {},
    log: new MemoryLog(),
    commandTimeoutMs: 5000,
    clock: systemClock,
    retryDeadlineMs: 1500,
    retryIntervalMs: 100,
    ...extra
  }
}

describe('runSmokeTests', () => {
  it('passes when every check passes', async () => {
    const outcome = await runSmokeTests([health(), homepage(), witness('all-pass')], options())
    expect(outcome.ok).toBe(true)
    expect(outcome.results.map((r) => [r.name, r.ok])).toEqual([
      ['Health', true],
      ['Homepage', true],
      ['Login works', true]
    ])
    expect(existsSync(join(dir, 'all-pass'))).toBe(true)
  })

  it('passes with no checks', async () => {
    expect(await runSmokeTests([], options())).toEqual({ ok: true, results: [] })
  })

  it('waits for a service that comes up within the deadline', async () => {
    service.breakFor(1000)
    const started = performance.now()
    const outcome = await runSmokeTests([health()], options({ retryDeadlineMs: 3000 }))
    const took = performance.now() - started
    expect(outcome.ok).toBe(true)
    expect(outcome.results[0]?.detail).toMatch(/^200 in \d+ ms \(passed on try \d+\)$/)
    // passing before the 3 s deadline is what ok says
    expect(took).toBeGreaterThanOrEqual(900)
  })

  it('fails after the deadline when the service stays down, skipping later checks', async () => {
    service.break()
    const log = new MemoryLog()
    const started = performance.now()
    const outcome = await runSmokeTests(
      [homepage(), health(), witness('never')],
      options({ log, retryDeadlineMs: 1500 })
    )
    const took = performance.now() - started
    expect(outcome.ok).toBe(false)
    expect(took).toBeGreaterThanOrEqual(1500)
    // given up at its 1.5 s deadline, not at the default one
    expect(took).toBeLessThan(5000)
    expect(outcome.results).toEqual([
      expect.objectContaining({
        name: 'Homepage',
        ok: false,
        detail: expect.stringMatching(/^expected 2xx, got 503 \(still failing after \d+ tries in/)
      }),
      { name: 'Health', ok: false, skipped: true, detail: 'not run ("Homepage" failed)' },
      { name: 'Login works', ok: false, skipped: true, detail: 'not run ("Homepage" failed)' }
    ])
    expect(existsSync(join(dir, 'never'))).toBe(false)
    expect(log.entries).toContainEqual({
      level: 'error',
      text: expect.stringContaining('smoke test "Homepage" failed: expected 2xx, got 503')
    })
  })

  it('counts the deadline from each check’s first try', async () => {
    // a fixed clock: sleeping moves time instantly, so the tries are deterministic
    service.break()
    const clock = fixedClock(new Date('2026-11-25T10:00:00Z'))
    const before = service.requests
    const outcome = await runSmokeTests(
      [health()],
      options({ clock, retryDeadlineMs: 10_000, retryIntervalMs: 1000 })
    )
    expect(outcome.ok).toBe(false)
    // tries at 0 s, 1 s, ..., 10 s
    expect(service.requests - before).toBe(11)
    expect(clock.now().toISOString()).toBe('2026-11-25T10:00:10.000Z')
    expect(outcome.results[0]?.detail).toBe(
      'expected 2xx, got 503 (still failing after 11 tries in 10s)'
    )
  })

  it('stops at a failing command check at once when the deadline is zero', async () => {
    const fail: Check = { kind: 'command', name: 'Login', run: 'echo "no session"; exit 1' }
    const outcome = await runSmokeTests(
      [fail, witness('after-fail')],
      options({ retryDeadlineMs: 0 })
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.results[0]).toMatchObject({ ok: false, detail: 'exit code 1: no session' })
    expect(outcome.results[1]).toMatchObject({ skipped: true })
    expect(existsSync(join(dir, 'after-fail'))).toBe(false)
  })

  it('stops promptly when the signal aborts', async () => {
    service.break()
    const controller = new AbortController()
    const log = new MemoryLog()
    const pending = runSmokeTests(
      [health(), homepage()],
      options({ log, signal: controller.signal, retryDeadlineMs: 30_000, retryIntervalMs: 5000 })
    )
    await log.waitFor('not passing yet')
    const abortedAt = performance.now()
    controller.abort()
    const outcome = await pending
    // not waiting for the next try, 5 s later
    expect(performance.now() - abortedAt).toBeLessThan(3000)
    expect(outcome).toEqual({
      ok: false,
      cancelled: true,
      results: [
        expect.objectContaining({ name: 'Health', ok: false, detail: 'cancelled' }),
        { name: 'Homepage', ok: false, skipped: true, detail: 'not run (cancelled)' }
      ]
    })
  })
})
