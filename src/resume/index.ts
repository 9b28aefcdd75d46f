import type { Core } from '../core.js'
import { formatDuration } from '../duration.js'
import type { MainDeps } from '../finish.js'
import { GitHubApi } from '../github/api.js'
import { GitHubError } from '../github/client.js'
import { runUrlOf, type RunContext } from '../github/context.js'
import { withPostponedUntil } from '../github/payload.js'
import { shortWhen } from '../report/when.js'
import { phrases } from '../report/wording.js'
import type { Settings } from '../settings/schema.js'
import {
  decide,
  newerToRead,
  refusalOf,
  rerunOf,
  type QueuedRelease,
  type Verdict
} from './decide.js'
import { readQueue, readStatuses, type Queue } from './queue.js'
import { renderQueueSummary, type QueueRow } from './summary.js'

export type ResumeStatus = 'resumed' | 'idle'

/** A release this step started again (the output `resumed`). */
export interface ResumedRelease {
  environment: string
  version: string
  deployment_id: number
  run_url: string
}

interface Outcome {
  done: string
  resumed?: ResumedRelease
  failure?: string
}

/**
 * Resume mode (docs/design.md section 14): read the queue of postponed releases, decide for each
 * (superseded, expired, due, waiting), and act: a deployment status for each decision, a
 * re-run for each due release. It deploys nothing itself.
 */
export async function runResume(
  settings: Settings,
  ctx: RunContext,
  deps: MainDeps
): Promise<ResumeStatus> {
  const { core, clock } = deps
  const api = GitHubApi.forRun(ctx, settings.githubToken, core)
  const now = clock.now()
  const scope = settings.environment ? ` (${settings.environment})` : ''
  core.info(`Red Button: resuming the postponed releases that are due${scope}`)
  const rows: QueueRow[] = []
  const resumed: ResumedRelease[] = []
  const failures: string[] = []
  let q: Queue | undefined
  try {
    q = await readQueue(api, {
      environment: settings.environment || undefined,
      now,
      expiryMs: settings.postponeExpiryMs
    })
  } catch (e) {
    failures.push(`could not read the queue: ${(e as Error).message}`)
  }
  for (const r of q?.queue ?? []) {
    const outcome = await settle(r, q as Queue, { api, settings, ctx, now, core })
    core.info(`#${r.id} ${r.payload.version} → ${r.environment}: ${outcome.done}`)
    rows.push({
      environment: r.environment,
      version: r.payload.version,
      deploymentId: r.id,
      postponedUntil: shortWhen(r.postponedUntil, settings.language, settings.timeZone),
      done: outcome.done
    })
    if (outcome.resumed) resumed.push(outcome.resumed)
    if (outcome.failure) failures.push(`#${r.id} ${r.payload.version}: ${outcome.failure}`)
  }
  const status: ResumeStatus = resumed.length > 0 ? 'resumed' : 'idle'
  core.setOutput('status', status)
  core.setOutput('resumed', JSON.stringify(resumed))
  try {
    await deps.writeSummary(
      renderQueueSummary(rows, { resumed: resumed.length, failures, language: settings.language })
    )
  } catch (e) {
    core.warning(`Could not write the job summary: ${(e as Error).message}`)
  }
  if (rows.length === 0 && failures.length === 0) core.info('No postponed release is waiting')
  if (failures.length > 0) core.setFailed(`Red Button: resume failed — ${failures.join('; ')}`)
  return status
}

interface SettleDeps {
  api: GitHubApi
  settings: Settings
  ctx: RunContext
  now: Date
  core: Pick<Core, 'warning'>
}

/** Decides for one release (reading the newer deployments first when it is due), then acts. */
async function settle(r: QueuedRelease, q: Queue, d: SettleDeps): Promise<Outcome> {
  const judge = (): Verdict =>
    decide(r, { ...q, now: d.now, expiryMs: d.settings.postponeExpiryMs })
  let verdict = judge()
  if (verdict.kind === 'due') {
    const toRead = newerToRead(r, q.others)
    if (toRead.length > 0) {
      try {
        await readStatuses(d.api, toRead)
      } catch (e) {
        // what went out since is unknown: resuming could roll a hotfix back, so wait
        return { done: `not resumed: ${(e as Error).message}`, failure: (e as Error).message }
      }
      verdict = judge()
    }
  }
  return act(r, verdict, d)
}

async function act(r: QueuedRelease, v: Verdict, d: SettleDeps): Promise<Outcome> {
  const p = phrases(d.settings.language)
  const setStatus = async (state: 'inactive' | 'queued' | 'error', description: string) => {
    // a queued status keeps saying until when the release was postponed (the queue's summary
    // reads it from the latest status, whoever wrote it)
    const logUrl =
      state === 'queued' && d.ctx.runUrl
        ? withPostponedUntil(d.ctx.runUrl, r.postponedUntil)
        : d.ctx.runUrl
    try {
      await d.api.createDeploymentStatus(r.id, { state, description, log_url: logUrl })
    } catch (e) {
      d.core.warning(`Could not set deployment #${r.id} to ${state}: ${(e as Error).message}`)
    }
  }
  switch (v.kind) {
    case 'waiting':
      return {
        done: p.waiting(shortWhen(r.postponedUntil, d.settings.language, d.settings.timeZone))
      }
    case 'superseded': {
      const done = v.postponed
        ? p.supersededByPostponed(v.by.version, v.by.id)
        : p.supersededByDeployed(v.by.version, v.by.id)
      await setStatus('inactive', done)
      return { done }
    }
    case 'expired': {
      const done = p.expired(formatDuration(v.ageMs), formatDuration(d.settings.postponeExpiryMs))
      await setStatus('inactive', done)
      return { done }
    }
    case 'due':
      return resume(r, d, setStatus)
  }
}

/** Re-runs a due release's job (or its run's failed jobs), once. */
async function resume(
  r: QueuedRelease,
  d: SettleDeps,
  setStatus: (state: 'queued' | 'error', description: string) => Promise<void>
): Promise<Outcome> {
  const p = phrases(d.settings.language)
  const refused = async (answer: string): Promise<Outcome> => {
    const done = p.resumeRefused(answer)
    await setStatus('error', done)
    return { done, failure: answer }
  }
  const target = rerunOf(r)
  if (!target) return refused('its deployment names no workflow run (payload.red_button.run_id)')
  const runUrl = runUrlOf(d.ctx, target.run)
  try {
    const run = await d.api.getRun(target.run)
    // a re-run is already on its way (another resume step, or a person): leave it alone
    if (run.status !== 'completed') return { done: p.resumeUnderWay }
    if (r.resumeRequested) {
      const done = p.resumeNotTaken(run.html_url ?? runUrl)
      await setStatus('error', done)
      return { done, failure: done }
    }
    if ('job' in target) await d.api.rerunJob(target.job)
    else await d.api.rerunFailedJobs(target.run)
  } catch (e) {
    const err = e as Error
    const status = err instanceof GitHubError ? err.status : 0
    const answer = refusalOf(status, err.message)
    if (answer === undefined) return { done: p.resumeUnderWay }
    return refused(answer)
  }
  const what = 'job' in target ? p.theJob(r.payload.job ?? String(target.job)) : p.failedJobs
  const done = p.resumeRequested(what)
  await setStatus('queued', done)
  return {
    done,
    resumed: {
      environment: r.environment,
      version: r.payload.version,
      deployment_id: r.id,
      run_url: runUrl
    }
  }
}
