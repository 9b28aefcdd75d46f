import { commandEnv } from './env.js'
import { toCheckRecord, type ProbeContext } from './probes.js'
import { runSmokeTests } from './smoke.js'
import { FORWARD, type StepRunner } from './steps.js'

/** The probes' context of the smoke tests and the watch, for `phase`. */
export function probeContext(steps: StepRunner, phase: 'smoke' | 'monitor'): ProbeContext {
  const { state, deps } = steps
  return {
    cwd: state.ctx.workspace,
    env: commandEnv(state, phase),
    signal: deps.signal,
    log: deps.core,
    commandTimeoutMs: state.settings.commandTimeoutMs
  }
}

/** Steps 3 to 6: backup, migrate, deploy, smoke tests. What failed, or undefined. */
export async function goForward(steps: StepRunner): Promise<string | undefined> {
  const { settings } = steps.state
  const { core, clock } = steps.deps
  const commands: Record<string, string | undefined> = {
    backup: settings.commands.backup,
    migrate: settings.commands.migrate,
    deploy: settings.commands.deploy
  }
  for (const step of FORWARD) {
    if (steps.cancelled) return 'cancelled'
    const command = commands[step.name]
    if (!command) continue
    const result = await steps.command(step.name, command, true)
    if (!result.ok) return result.aborted ? 'cancelled' : `${step.name} failed (${result.reason})`
  }

  if (settings.smokeTests.length === 0) return undefined
  if (steps.cancelled) return 'cancelled'
  const t0 = steps.now()
  steps.started.add('smoke')
  steps.deps.tell?.({ kind: 'phase', phase: 'smoke' })
  core.info(`Smoke tests: ${settings.smokeTests.map((c) => c.name).join(', ')}`)
  const smoke = await runSmokeTests(settings.smokeTests, {
    ...probeContext(steps, 'smoke'),
    clock
  })
  steps.state.run.smokeChecked(smoke.results.map(toCheckRecord))
  const failed = smoke.results.find((r) => !r.ok && !r.skipped)
  steps.recordWatch('smoke', t0, smoke, () => `${failed?.name}: ${failed?.detail}`)
  if (smoke.cancelled) return 'cancelled'
  if (!smoke.ok) return `smoke test "${failed?.name}" failed (${failed?.detail})`
  return undefined
}
