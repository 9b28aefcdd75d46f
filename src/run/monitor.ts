import type { Clock } from '../clock.js'
import type { Log } from '../core.js'
import { formatDuration } from '../duration.js'
import type { Check } from '../settings/checks.js'
import { linkedAbort } from '../http.js'
import { probe, type CheckResult, type ProbeContext } from './probes.js'

export interface MonitorOptions {
  /** `monitor-duration`; 0 skips the watch */
  durationMs: number
  /** `monitor-interval` */
  intervalMs: number
  /** `monitor-failures`: this many consecutive failed rounds trigger the rollback (min 1) */
  failuresAllowed: number
  clock: Clock
  /** aborting ends the watch promptly with `cancelled` (the probe context's signal also counts) */
  signal?: AbortSignal
  log: Log
  probeCtx: ProbeContext
  /** told after each round passes, with the time watched so far (the release's progress) */
  onRound?: (elapsedMs: number) => void
}

export interface MonitorOutcome {
  /** true: the window passed without `failuresAllowed` consecutive failed rounds */
  ok: boolean
  /** the signal aborted the watch */
  cancelled?: boolean
  /** rounds judged (a round cut short by cancellation does not count) */
  rounds: number
  /** rounds the window was planned with (see monitorRounds) */
  plannedRounds: number
  /** failed rounds, consecutive or not */
  failedRounds: number
  durationMs: number
  /** when the rollback decision was taken */
  failedAt?: Date
  /** why the watch failed, e.g. `2 consecutive failed rounds: Health: expected 2xx, got 503` */
  reason?: string
  /** results of the last round (empty when no round ran) */
  lastResults: CheckResult[]
}

/**
 * The number of rounds of a watch window: one right after the smoke tests, one every
 * interval after it, and the last one when the window ends — N = ceil(duration / interval) + 1,
 * 0 when the duration is 0. Round k (1-based) is due at start + min((k − 1) × interval,
 * duration), so a 3 s window at 1 s is looked at after 0, 1, 2 and 3 s, and nothing that fails
 * in its last interval goes unseen.
 */
export function monitorRounds(durationMs: number, intervalMs: number): number {
  if (!(durationMs > 0)) return 0
  return Math.ceil(durationMs / Math.max(1, intervalMs)) + 1
}

/**
 * When round k (1-based) is due, counted from the start of the watch; extra rounds (after a
 * failing streak too short to decide) follow the last one at the interval.
 */
export function roundDueMs(k: number, durationMs: number, intervalMs: number): number {
  const planned = monitorRounds(durationMs, intervalMs)
  if (k <= planned) return Math.min((k - 1) * intervalMs, durationMs)
  return durationMs + (k - planned) * intervalMs
}

/**
 * Watches the deployment (docs/design.md section 7): every round runs every check once, in
 * parallel, and logs one progress line. Rounds are scheduled on a fixed grid (start + k ×
 * interval), so they do not drift; a round that runs longer than the interval delays the next
 * one (rounds never overlap).
 *
 * `failuresAllowed` consecutive failed rounds end the watch at once: in the round that decides,
 * the first failing answer stops the other probes of that round and the outcome is returned
 * without waiting any further. When the planned rounds end on a failing streak that is not long
 * enough yet, extra rounds follow on the same grid until a round passes (ok) or the streak
 * reaches `failuresAllowed` (rollback): a deployment is never declared healthy on a failed round.
 * With no checks there is nothing to watch and the outcome is ok with 0 rounds.
 * Never rejects.
 */
export async function watch(checks: Check[], opts: MonitorOptions): Promise<MonitorOutcome> {
  const { clock, log } = opts
  const signal = opts.signal ?? opts.probeCtx.signal
  const intervalMs = Math.max(1, opts.intervalMs)
  const allowed = Math.max(1, Math.floor(opts.failuresAllowed))
  const planned = checks.length === 0 ? 0 : monitorRounds(opts.durationMs, intervalMs)
  const start = clock.now().getTime()
  const lastDue = start + opts.durationMs

  let rounds = 0
  let failedRounds = 0
  let streak = 0
  let lastResults: CheckResult[] = []
  const outcome = (extra: Partial<MonitorOutcome>): MonitorOutcome => ({
    ok: false,
    rounds,
    plannedRounds: planned,
    failedRounds,
    durationMs: clock.now().getTime() - start,
    lastResults,
    ...extra
  })
  const cancelled = (): MonitorOutcome => {
    log.warning(`monitoring cancelled after ${rounds} of ${planned} rounds`)
    return outcome({ cancelled: true, reason: 'cancelled' })
  }

  if (planned === 0) {
    if (opts.durationMs > 0) log.info('monitoring: no monitor checks, nothing to watch')
    return outcome({ ok: true })
  }

  for (let k = 1; k <= planned || (streak > 0 && streak < allowed); k++) {
    const wait = start + roundDueMs(k, opts.durationMs, intervalMs) - clock.now().getTime()
    if (wait > 0 && !signal?.aborted) await clock.sleep(wait, signal)
    if (signal?.aborted) return cancelled()

    const decisive = streak + 1 >= allowed
    const results = await runRound(checks, opts.probeCtx, signal, decisive)
    if (signal?.aborted) {
      lastResults = results
      return cancelled()
    }
    rounds++
    lastResults = results
    const failing = results.filter((r) => !r.ok && !r.skipped)
    if (failing.length > 0) {
      streak++
      failedRounds++
    } else streak = 0

    const label = k <= planned ? `monitor round ${k}/${planned}` : `monitor round ${k} (extra)`
    const healthy = results.filter((r) => r.ok).length
    const parts = [`${healthy}/${results.length} checks healthy`]
    if (failing.length > 0) {
      parts[0] += ` (failing: ${failing.map((r) => `${r.name} — ${r.detail}`).join('; ')})`
    }
    const unfinished = results.filter((r) => r.skipped).map((r) => r.name)
    if (unfinished.length > 0) parts.push(`not finished: ${unfinished.join(', ')}`)
    const latencies = results.flatMap((r) => (r.latencyMs !== undefined ? [r.latencyMs] : []))
    if (latencies.length > 0) parts.push(`slowest ${Math.max(...latencies)} ms`)
    if (k < planned)
      parts.push(`${formatDuration(Math.max(0, lastDue - clock.now().getTime()))} left`)
    else if (k === planned) parts.push('last round')
    if (failing.length > 0 && allowed > 1)
      parts.push(`${streak} of ${allowed} failed rounds in a row`)
    if (failing.length > 0 && streak < allowed && k >= planned)
      parts.push('one more round to confirm')
    const line = `${label}: ${parts.join(', ')}`
    if (failing.length > 0) log.warning(line)
    else {
      log.info(line)
      opts.onRound?.(clock.now().getTime() - start)
    }

    if (streak >= allowed) {
      const what = failing.map((r) => `${r.name}: ${r.detail}`).join('; ')
      const reason =
        allowed === 1
          ? `monitor round ${k} failed: ${what}`
          : `${streak} consecutive failed rounds: ${what}`
      log.error(`monitoring failed — ${reason}`)
      return outcome({ failedAt: clock.now(), reason })
    }
  }
  log.info(`monitoring passed: ${rounds} rounds, ${failedRounds} failed`)
  return outcome({ ok: true })
}

/**
 * Runs every check once: HTTP and Prometheus probes in parallel, command checks one after
 * another alongside them (each command logs its own group, and groups must not interleave).
 * In a deciding round the first failure stops the other probes (their results are marked
 * skipped): the rollback must not wait for them.
 */
async function runRound(
  checks: Check[],
  probeCtx: ProbeContext,
  signal: AbortSignal | undefined,
  decisive: boolean
): Promise<CheckResult[]> {
  const { controller, dispose } = linkedAbort(signal)
  const ctx: ProbeContext = { ...probeCtx, signal: controller.signal }
  let decided = false
  let commands: Promise<unknown> = Promise.resolve()
  const run = (check: Check): Promise<CheckResult> => {
    if (check.kind !== 'command') return probe(check, ctx)
    const result = commands.then(() => probe(check, ctx))
    commands = result
    return result
  }
  try {
    return await Promise.all(
      checks.map(async (check): Promise<CheckResult> => {
        const result = await run(check)
        if (decided && !signal?.aborted) {
          return {
            name: check.name,
            ok: false,
            skipped: true,
            detail: 'not finished (round failed)'
          }
        }
        if (!result.ok && decisive && !controller.signal.aborted) {
          decided = true
          controller.abort()
        }
        return result
      })
    )
  } finally {
    dispose()
  }
}
