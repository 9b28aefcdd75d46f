import type { Clock } from '../clock.js'
import { formatDuration } from '../duration.js'
import type { Check } from '../settings/checks.js'
import { probe, type CheckResult, type ProbeContext } from './probes.js'

export interface SmokeOptions extends ProbeContext {
  clock: Clock
  /** how long a failing check is retried, counted from its first try; default 10 s */
  retryDeadlineMs?: number
  /** pause between tries; default 1 s */
  retryIntervalMs?: number
}

export interface SmokeOutcome {
  ok: boolean
  /** the signal aborted before every check had passed */
  cancelled?: boolean
  /** one result per check, in order; checks after a failure are `skipped` */
  results: CheckResult[]
}

/**
 * Runs the smoke tests in order (docs/design.md section 7). A failing probe is tried again every
 * `retryIntervalMs` until it passes or `retryDeadlineMs` has passed since that check's first
 * try (a try that starts before the deadline still counts, so the last try happens at the
 * deadline). The first check that still fails at its deadline ends the run at once — the
 * rollback must not wait — and the checks after it are reported as not run.
 * Never rejects.
 */
export async function runSmokeTests(checks: Check[], opts: SmokeOptions): Promise<SmokeOutcome> {
  const { clock, log, signal } = opts
  const deadlineMs = opts.retryDeadlineMs ?? 10_000
  const intervalMs = Math.max(1, opts.retryIntervalMs ?? 1000)
  const results: CheckResult[] = []

  const skipRest = (from: number, why: string): void => {
    for (const check of checks.slice(from)) {
      results.push({ name: check.name, ok: false, skipped: true, detail: `not run (${why})` })
    }
  }

  for (const [index, check] of checks.entries()) {
    if (signal?.aborted) {
      skipRest(index, 'cancelled')
      return { ok: false, cancelled: true, results }
    }
    const first = clock.now().getTime()
    let tries = 0
    let result: CheckResult
    for (;;) {
      tries++
      result = await probe(check, opts)
      if (result.ok || signal?.aborted) break
      const elapsed = clock.now().getTime() - first
      if (elapsed >= deadlineMs) break
      const wait = Math.min(intervalMs, deadlineMs - elapsed)
      log.info(
        `smoke test "${check.name}" not passing yet (${result.detail}); try ${tries + 1} in ${formatDuration(wait)}`
      )
      await clock.sleep(wait, signal)
      if (signal?.aborted) break
    }

    const took = formatDuration(clock.now().getTime() - first)
    if (result.ok) {
      if (tries > 1) result = { ...result, detail: `${result.detail} (passed on try ${tries})` }
      log.info(`✓ smoke test "${check.name}": ${result.detail}`)
      results.push(result)
      continue
    }
    if (signal?.aborted) {
      results.push({ ...result, detail: 'cancelled' })
      skipRest(index + 1, 'cancelled')
      log.warning(`smoke tests cancelled during "${check.name}"`)
      return { ok: false, cancelled: true, results }
    }
    if (tries > 1) {
      result = {
        ...result,
        detail: `${result.detail} (still failing after ${tries} tries in ${took})`
      }
    }
    log.error(`✗ smoke test "${check.name}" failed: ${result.detail}`)
    results.push(result)
    skipRest(index + 1, `"${check.name}" failed`)
    return { ok: false, results }
  }
  return { ok: true, results }
}
