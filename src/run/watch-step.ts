import type { Check } from '../settings/checks.js'
import { probeContext } from './forward.js'
import { watch } from './monitor.js'
import { toCheckRecord } from './probes.js'
import type { StepRunner } from './steps.js'

/** Step 7: the watch window after the deploy. What failed, or undefined. */
export async function watchStep(steps: StepRunner): Promise<string | undefined> {
  const { settings, gate } = steps.state
  const { core, clock } = steps.deps
  const checks: Check[] = [...settings.monitorChecks]
  // every round also asks Alertmanager: an alert that was not firing at the gate fails it
  if (settings.alerts)
    checks.push({
      kind: 'alerts',
      name: 'Alertmanager',
      source: settings.alerts,
      known: (gate?.facts.incidents?.alerts ?? []).map((a) => a.fingerprint)
    })
  if (settings.monitorDurationMs === 0 || checks.length === 0) {
    const why =
      settings.monitorDurationMs === 0
        ? 'monitor-duration is 0'
        : 'no monitor-checks or HTTP smoke tests to watch'
    core.warning(`No monitoring window after the deploy: ${why}`)
    steps.skip('monitor', why)
    return steps.cancelled ? 'cancelled' : undefined
  }
  const t0 = steps.now()
  steps.started.add('monitor')
  const watching = (elapsedMs: number) =>
    steps.deps.tell?.({
      kind: 'phase',
      phase: 'watching',
      elapsedMs,
      totalMs: settings.monitorDurationMs
    })
  watching(0)
  const outcome = await watch(checks, {
    durationMs: settings.monitorDurationMs,
    intervalMs: settings.monitorIntervalMs,
    failuresAllowed: settings.monitorFailures,
    clock,
    signal: steps.deps.signal,
    log: core,
    probeCtx: probeContext(steps, 'monitor'),
    onRound: watching
  })
  const last = outcome.lastResults ?? []
  const failing = last.filter((r) => !r.ok && !r.skipped)
  steps.state.run.watched({
    rounds: outcome.rounds,
    failed_rounds: outcome.failedRounds,
    duration_ms: steps.now().getTime() - t0.getTime(),
    results: last.map(toCheckRecord)
  })
  steps.recordWatch(
    'monitor',
    t0,
    outcome,
    () => outcome.reason ?? failing.map((r) => `${r.name}: ${r.detail}`).join('; ')
  )
  if (outcome.cancelled) return 'cancelled'
  if (!outcome.ok)
    return `monitoring failed in round ${outcome.rounds} (${failing.map((r) => r.name).join(', ')})`
  return undefined
}
