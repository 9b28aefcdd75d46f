import type { StepName } from '../record/types.js'
import type { GitHubDeployment } from './deployment.js'
import { FORWARD, type StepRunner } from './steps.js'

/** Code first, then schema; each only if its forward step had started. Never cancelled. */
export async function rollBack(
  steps: StepRunner,
  deployment: GitHubDeployment,
  failure: string
): Promise<void> {
  const { state } = steps
  const { settings, run } = state
  const { core } = steps.deps
  const cancelled = failure === 'cancelled' || steps.cancelled
  core.error(`Rolling back: ${failure}`)
  run.rollbackStarted(failure)
  steps.deps.tell?.({ kind: 'phase', phase: 'rolling-back' })
  let ok = true
  const needs = FORWARD.filter((s) => s.rollback && steps.started.has(s.name)).reverse()
  for (const step of needs) {
    const rollbackStep = step.rollback as StepName
    const command =
      rollbackStep === 'rollback' ? settings.commands.rollback : settings.commands.migrateRollback
    if (!command && rollbackStep === 'migrate-rollback' && settings.forwardOnlyMigrations) {
      // expand/contract: the previous code runs on the new schema, which stays
      steps.skip(rollbackStep, 'schema kept: forward-only migrations')
      run.schemaKept()
      continue
    }
    if (!command) {
      const manual = rollbackStep === 'rollback' ? settings.rollbackPlan : undefined
      steps.skip(rollbackStep, manual ? `manual rollback: ${manual}` : `no ${rollbackStep}-command`)
      ok = false
      continue
    }
    const result = await steps.command(rollbackStep, command, false)
    if (!result.ok) ok = false
  }
  if (needs.length === 0) core.info('Nothing had changed: no rollback needed')
  // nothing to undo: stopped before migrate or deploy began (a failed backup, an early cancel)
  const untouched = needs.length === 0
  run.rollbackEnded({ ok, untouched, cancelled })

  if (!ok) {
    const changed = needs.map((s) => s.name).join(' and ')
    core.error(
      `Rollback did not complete: ${settings.environment} may be running ${state.version} ` +
        `(${changed} had started) or a mix with ${state.record.previous_version || 'the previous version'}. ` +
        `Follow the rollback plan by hand: ${state.record.rollback_plan}`,
      { title: 'Red Button: rollback failed' }
    )
    await deployment.setStatus('error', `Rollback failed after: ${failure}`)
    return
  }
  const what = cancelled ? 'Cancelled' : failure
  await deployment.setStatus(
    'failure',
    untouched ? `Stopped before any change: ${what}` : `Rolled back: ${what}`
  )
}
