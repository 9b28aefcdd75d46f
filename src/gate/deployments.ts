import { sameEnvironment } from '../settings/names.js'
import type { Deployment, DeploymentStatus, GitHubApi } from '../github/api.js'
import { namesRun } from '../github/context.js'
import { payloadOf, postponedPayload } from '../github/payload.js'

/**
 * Deployment history, read once per run: the `staging` and `lock` items and the
 * previous version are all derived from it.
 */

export const LOCK_MAX_AGE_MS = 3_600_000
export const TOOL_NAME = 'red-button'

export interface DeploymentView {
  id: number
  sha: string
  ref: string
  environment: string
  createdAt: Date
  creator: string
  version: string
  /** latest status state; undefined when it has no status or it was not read */
  state?: string
  /** whether `state` was read (statuses are read only where they matter) */
  read: boolean
  byRedButton: boolean
  /** the run behind the latest status, when it gave one */
  logUrl?: string
  /**
   * made by this very workflow run: GitHub creates one for a job that names an
   * `environment:`, and it is `in_progress` while we run; it never holds the lock against us
   */
  ownRun?: boolean
  /** a postponed release (`payload.red_button.postponed_until`): queued, it never holds the lock */
  postponed?: boolean
}

/** The newest deployment of the commit to a staging environment, and how long it has been live. */
export interface StagingView extends DeploymentView {
  /** when it succeeded: its newest `success` status */
  succeededAt?: Date
  /** when it stopped being live after that success: GitHub made it `inactive` (replaced) */
  replacedAt?: Date
  /** a `failure` or `error` status after that success: it was rolled back, or failed */
  failedAfter?: { state: string; at: Date }
}

export interface StagingOfCommit {
  /** the name of `staging-environment`, as written there */
  environment: string
  /** null when the commit never went there */
  deployment: StagingView | null
}

export interface DeploymentFacts {
  /** newest first */
  target: DeploymentView[]
  /** one per `staging-environment`, in its order; undefined when not asked (not production) */
  staging?: StagingOfCommit[]
  error?: string
}

export function viewOf(d: Deployment): DeploymentView {
  const payload = payloadOf(d)
  return {
    id: d.id,
    sha: d.sha,
    ref: d.ref,
    environment: d.environment,
    createdAt: new Date(d.created_at),
    creator: d.creator?.login ?? 'unknown',
    version: typeof payload.version === 'string' && payload.version ? payload.version : d.ref,
    read: false,
    byRedButton: payload.tool === TOOL_NAME,
    postponed: postponedPayload(d) !== undefined,
    // our own deployments name their run from the start, before any status
    logUrl: typeof payload.run_url === 'string' && payload.run_url ? payload.run_url : undefined
  }
}

/** Fills in what the latest status says about a deployment. */
export function applyStatus(
  v: DeploymentView,
  latest: DeploymentStatus | undefined,
  ownRunId?: number
): void {
  v.state = latest?.state
  v.logUrl = latest?.log_url || v.logUrl
  v.read = true
  if (ownRunId !== undefined && v.logUrl) {
    v.ownRun = namesRun(v.logUrl, ownRunId)
  }
}

/** The lock's age rule, in one place: younger than an hour holds, an hour or more is stale. */
export function isYoung(v: Pick<DeploymentView, 'createdAt'>, now: Date): boolean {
  return now.getTime() - v.createdAt.getTime() < LOCK_MAX_AGE_MS
}

export function isActive(v: DeploymentView): boolean {
  if (v.ownRun) return false
  // a postponed release waits for its window: it holds nothing meanwhile
  if (v.postponed && (v.state === 'queued' || v.state === undefined)) return false
  if (v.state === 'in_progress' || v.state === 'queued' || v.state === 'pending') return true
  // Our own deployments are created a moment before their first status: count them too.
  return v.read && v.state === undefined && v.byRedButton
}

export interface CollectDeploymentOptions {
  environment: string
  sha: string
  /** where a production release must have gone first (read only when given) */
  stagingEnvironments?: string[]
  now: Date
  /** this workflow run, whose own deployments never count as another one in progress */
  ownRunId?: number
  /** bound on the status look-ups, whatever the history */
  maxStatusReads?: number
  /** told the target's deployments (newest first) as soon as they are listed, before their statuses */
  onListed?: (target: DeploymentView[]) => void
}

/**
 * Reads the target environment's deployments (newest first) and the latest status of
 * those that matter: every one young enough to hold the lock, then older ones until the
 * newest successful one (the previous version) is found.
 */
export async function collectDeploymentFacts(
  api: GitHubApi,
  o: CollectDeploymentOptions
): Promise<DeploymentFacts> {
  try {
    const [targetList, ofCommit] = await Promise.all([
      api.listDeployments({ environment: o.environment }),
      // every deployment of the commit at once: one request whatever the number of staging
      // environments, and names matched ignoring case
      o.stagingEnvironments?.length ? api.listDeployments({ sha: o.sha }) : undefined
    ])
    const target = targetList.map(viewOf).sort(newestFirst)
    o.onListed?.(target)
    const readStaging = async (environment: string): Promise<StagingOfCommit> => {
      const newest = (ofCommit ?? [])
        .filter((d) => d.sha === o.sha && sameEnvironment(d.environment, environment))
        .map(viewOf)
        .sort(newestFirst)[0]
      if (!newest) return { environment, deployment: null }
      return { environment, deployment: stagingView(newest, await api.listStatuses(newest.id)) }
    }
    const [, staging] = await Promise.all([
      readStatuses(api, target, o.now, o.maxStatusReads ?? 20, o.ownRunId),
      o.stagingEnvironments && Promise.all(o.stagingEnvironments.map(readStaging))
    ])
    return { target, staging }
  } catch (e) {
    return { target: [], error: (e as Error).message }
  }
}

/**
 * What a staging deployment's statuses (newest first) say: its newest success, and whether it
 * was replaced (`inactive`) or failed (`failure`, `error`) after it.
 */
export function stagingView(v: DeploymentView, history: DeploymentStatus[]): StagingView {
  applyStatus(v, history[0])
  const s: StagingView = v
  const success = history.findIndex((st) => st.state === 'success')
  const succeeded = history[success]
  if (!succeeded) return s
  s.succeededAt = new Date(succeeded.created_at)
  const since = history.slice(0, success).reverse() // oldest first
  const failed = since.find((st) => st.state === 'failure' || st.state === 'error')
  if (failed) s.failedAfter = { state: failed.state, at: new Date(failed.created_at) }
  const inactive = since.find((st) => st.state === 'inactive')
  if (inactive) s.replacedAt = new Date(inactive.created_at)
  return s
}

const newestFirst = (a: DeploymentView, b: DeploymentView): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id

/**
 * Fills in `state` where it matters; deployments already read are not read again. Every
 * deployment young enough to hold the lock, and the first older one, are read at once; older
 * ones follow one at a time until the newest successful one (the previous version) is found.
 */
export async function readStatuses(
  api: GitHubApi,
  target: DeploymentView[],
  now: Date,
  maxReads: number,
  ownRunId?: number
): Promise<void> {
  let reads = 0
  const read = (batch: DeploymentView[]): Promise<unknown> =>
    Promise.all(batch.map(async (v) => applyStatus(v, await api.latestStatus(v.id), ownRunId)))
  const young = (v: DeploymentView): boolean =>
    now.getTime() - v.createdAt.getTime() < LOCK_MAX_AGE_MS
  const found = (): boolean => target.some((v) => v.read && v.state === 'success')
  let rest = target.filter((v) => !v.read)
  let batchSize = rest.filter(young).length + 1
  while (rest.length > 0 && reads < maxReads && (!found() || rest.some(young))) {
    // young ones always; older ones only while the previous version is unknown
    const batch = (found() ? rest.filter(young) : rest).slice(
      0,
      Math.min(batchSize, maxReads - reads)
    )
    if (batch.length === 0) break
    await read(batch)
    reads += batch.length
    rest = rest.filter((v) => !v.read)
    batchSize = 1
  }
}

/** What a rollback returns to: the newest deployment whose latest status is success. */
export function previousDeployment(
  target: DeploymentView[],
  excludeId?: number
): DeploymentView | undefined {
  return target.find((v) => v.id !== excludeId && v.state === 'success')
}
