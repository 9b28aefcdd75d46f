import type { Core } from '../core.js'
import type { GitHubApi } from '../github/api.js'
import { withPostponedUntil, type PostponedPayload } from '../github/payload.js'
import type { RunState } from '../record/state.js'
import { formatDuration } from '../duration.js'
import type { Language } from '../settings/schema.js'
import { shortWhen } from '../report/when.js'
import { phrases } from '../report/wording.js'
import { deploymentPayload } from './deployment.js'

export interface PostponeDeps {
  api: GitHubApi
  core: Pick<Core, 'info' | 'warning'>
  /**
   * Called just before the queued deployment is created: posts the release's Slack message
   * (bot-token mode), so that `payload.red_button.slack` names it for the resumed run to edit.
   */
  messageFirst?: () => Promise<void>
}

/** The queued status's description: "until Mon 30 Nov 09:00 Europe/Paris: Friday afternoon". */
export function postponedDescription(state: RunState, until: string): string {
  const { settings } = state
  const when = shortWhen(until, settings.language, settings.timeZone)
  return phrases(settings.language).postponedUntil(when, (state.gate?.waitingFor ?? []).join(', '))
}

/**
 * The numeric id of this job, when it can be known: the job of this run attempt that runs on
 * this runner (`RUNNER_NAME`). A failed look-up is no harm: the resume step then re-runs the
 * run's failed jobs.
 */
async function ownJobId(api: GitHubApi, state: RunState): Promise<number | undefined> {
  const { runId, runAttempt, runnerName } = state.ctx
  if (runId === undefined || !runnerName) return undefined
  try {
    const jobs = await api.listRunJobs(runId, runAttempt ?? 1)
    const mine = jobs.filter((j) => j.runner_name === runnerName && j.status !== 'completed')
    return mine.length === 1 ? mine[0]?.id : undefined
  } catch {
    return undefined
  }
}

/** `payload.red_button` of a postponed release (docs/design.md section 14). */
export function postponedPayloadOf(
  state: RunState,
  until: string,
  jobId: number | undefined
): PostponedPayload {
  const { settings, ctx, record } = state
  return {
    version: state.version,
    postponed_until: until,
    urgency: settings.urgency,
    reason: settings.reason || undefined,
    actor: ctx.actor,
    run_id: ctx.runId,
    run_attempt: ctx.runAttempt ?? 1,
    job: ctx.job,
    job_id: jobId,
    slack: record.slack
  }
}

/**
 * A warning when the release is postponed for longer than `postpone-expiry`: a resume step
 * with that expiry (measured from the deployment's creation, docs/design.md section 14) would
 * drop it as expired before its window opens — a year-end freeze of two weeks against the
 * default 7d. Undefined when it is due in time.
 */
export function expiresFirstWarning(o: {
  postponedAt: Date
  until: string
  expiryMs: number
  language: Language
  timeZone: string
}): string | undefined {
  const waitMs = Date.parse(o.until) - o.postponedAt.getTime()
  if (!(waitMs > o.expiryMs)) return undefined
  const dropAt = new Date(o.postponedAt.getTime() + o.expiryMs).toISOString()
  const neededDays = Math.ceil(waitMs / 86_400_000) + 1
  // as the input is usually written: 7d, not 168h
  const expiry =
    o.expiryMs % 86_400_000 === 0 ? `${o.expiryMs / 86_400_000}d` : formatDuration(o.expiryMs)
  return phrases(o.language).expiresFirst(
    expiry,
    shortWhen(dropAt, o.language, o.timeZone),
    `${neededDays}d`
  )
}

/**
 * A postponed release is recorded on GitHub: a queued deployment of its commit that a resume
 * step starts again when its window opens. A re-run postponed again adds a queued status to
 * the deployment it continues. Each queued status names `until` in its `log_url`'s fragment,
 * where the resume step reads it (a payload cannot change). A failure here is a warning: the run is postponed either way.
 */
export async function recordPostponement(state: RunState, deps: PostponeDeps): Promise<void> {
  const { settings, ctx, gate, record } = state
  const until = record.next_window
  if (!until) return
  const description = postponedDescription(state, until)
  const expiresFirst = expiresFirstWarning({
    postponedAt: state.resumedFrom?.postponedAt ?? new Date(record.started_at),
    until,
    expiryMs: settings.postponeExpiryMs,
    language: settings.language,
    timeZone: settings.timeZone
  })
  if (expiresFirst) {
    deps.core.warning(expiresFirst)
    state.run.warned(expiresFirst)
  }
  let id = state.resumedFrom?.deploymentId
  try {
    if (id === undefined) {
      await deps.messageFirst?.()
      const jobId = await ownJobId(deps.api, state)
      const created = await deps.api.createDeployment({
        ref: ctx.sha,
        environment: settings.environment,
        description: `${state.version} by Red Button (postponed)`,
        production_environment: gate?.facts.isProduction ?? false,
        payload: {
          ...deploymentPayload(state),
          red_button: postponedPayloadOf(state, until, jobId)
        }
      })
      id = created.id
    }
    await deps.api.createDeploymentStatus(id, {
      state: 'queued',
      description,
      // the instant, for the resume step: the payload keeps the first one (section 14)
      log_url: ctx.runUrl && withPostponedUntil(ctx.runUrl, until)
    })
    deps.core.info(`Deployment #${id} queued ${description}`)
  } catch (e) {
    const msg = `Could not record the postponement on GitHub: ${(e as Error).message}`
    deps.core.warning(msg)
    state.run.warned(msg)
  }
  state.run.postponed(until, id)
}
