import type { Log } from '../core.js'
import type { GitHubApi } from '../github/api.js'
import { runUrlOf, type RunContext } from '../github/context.js'
import { postponedPayload } from '../github/payload.js'
import type { ResumedFrom, RunState } from '../record/state.js'
import { failedItemsLine } from '../report/why.js'

/**
 * A re-run (`GITHUB_RUN_ATTEMPT` > 1) of a postponed release finds its own queued deployment
 * (`payload.red_button.run_id` = this run) and continues it (docs/design.md section 14). Two
 * requests, on re-runs only; a failed look-up is a warning, and the run goes on as a new one.
 */
export async function findResumed(
  api: GitHubApi,
  ctx: RunContext,
  environment: string,
  log: Pick<Log, 'warning'>
): Promise<ResumedFrom | undefined> {
  const { runId, runAttempt } = ctx
  if (runId === undefined || runAttempt === undefined || runAttempt <= 1) return undefined
  try {
    const ours = (await api.listDeployments({ environment }))
      .filter((d) => postponedPayload(d)?.run_id === runId)
      .sort((a, b) => b.id - a.id)
    const newest = ours[0]
    const payload = newest && postponedPayload(newest)
    if (!newest || !payload) return undefined
    const latest = await api.latestStatus(newest.id)
    if (latest?.state !== 'queued') return undefined
    return {
      deploymentId: newest.id,
      actor: payload.actor,
      postponedAt: new Date(newest.created_at),
      fromRun: runUrlOf(ctx, runId, payload.run_attempt),
      attempt: runAttempt,
      slack: payload.slack
    }
  } catch (e) {
    log.warning(`Could not look for the postponed deployment of this run: ${(e as Error).message}`)
    return undefined
  }
}

/** The resumed release ends without going out (aborted): its deployment says why. */
export async function failResumed(
  state: RunState,
  api: GitHubApi,
  log: Pick<Log, 'warning'>
): Promise<void> {
  const id = state.resumedFrom?.deploymentId
  if (id === undefined) return
  state.run.deploymentCreated(id)
  const description = state.record.error ?? failedItemsLine(state.record.checklist)
  try {
    await api.createDeploymentStatus(id, {
      state: 'failure',
      description: description || 'aborted',
      log_url: state.ctx.runUrl
    })
  } catch (e) {
    const msg = `Could not set deployment #${id} to failure: ${(e as Error).message}`
    log.warning(msg)
    state.run.warned(msg)
  }
}
