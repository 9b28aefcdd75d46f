import type { PostponedPayload } from '../github/payload.js'
import { sameEnvironment } from '../settings/names.js'

/**
 * Resume mode's decisions (docs/design.md section 14): pure functions of the queue as read from
 * GitHub and the clock. Nothing here reads or writes.
 */

/** A postponed release whose latest status is `queued`. */
export interface QueuedRelease {
  id: number
  environment: string
  createdAt: Date
  payload: PostponedPayload
  /**
   * when it may start again: the instant in the fragment of the `log_url` of the latest status
   * its run wrote (a re-run postponed it again), else `payload.postponed_until`
   */
  postponedUntil: string
  /** the latest status was written by a resume step (not by the postponed run): a re-run was asked for */
  resumeRequested: boolean
}

/** Any other deployment of the repository, as far as it was read. */
export interface OtherDeployment {
  id: number
  environment: string
  version: string
  createdAt: Date
  /** its latest status, once read */
  state?: string
}

export type Verdict =
  | { kind: 'superseded'; by: { id: number; version: string }; postponed: boolean }
  | { kind: 'expired'; ageMs: number }
  | { kind: 'due' }
  | { kind: 'waiting' }

/** The deployments created after `r` in its environment that need reading before resuming it. */
export function newerToRead(r: QueuedRelease, others: OtherDeployment[]): OtherDeployment[] {
  return others.filter(
    (o) => o.id > r.id && sameEnvironment(o.environment, r.environment) && !o.state
  )
}

/** A deployment that reached success (or was made inactive after it, by a newer success). */
const wentOut = (o: OtherDeployment): boolean => o.state === 'success' || o.state === 'inactive'

/** What becomes of one queued release, in the order section 14 gives. */
export function decide(
  r: QueuedRelease,
  o: { queue: QueuedRelease[]; others: OtherDeployment[]; now: Date; expiryMs: number }
): Verdict {
  const newerPostponed = o.queue
    .filter((q) => q.id > r.id && sameEnvironment(q.environment, r.environment))
    .sort((a, b) => b.id - a.id)[0]
  if (newerPostponed)
    return {
      kind: 'superseded',
      by: { id: newerPostponed.id, version: newerPostponed.payload.version },
      postponed: true
    }
  const hotfix = o.others
    .filter((d) => d.id > r.id && sameEnvironment(d.environment, r.environment) && wentOut(d))
    .sort((a, b) => b.id - a.id)[0]
  if (hotfix)
    return { kind: 'superseded', by: { id: hotfix.id, version: hotfix.version }, postponed: false }
  const ageMs = o.now.getTime() - r.createdAt.getTime()
  if (ageMs > o.expiryMs) return { kind: 'expired', ageMs }
  if (o.now.getTime() >= Date.parse(r.postponedUntil)) return { kind: 'due' }
  return { kind: 'waiting' }
}

/** What to ask GitHub for a due release: its job when known, else the run's failed jobs. */
export function rerunOf(
  r: QueuedRelease
): { job: number; run: number } | { run: number } | undefined {
  const run = r.payload.run_id
  if (run === undefined) return undefined
  return r.payload.job_id !== undefined ? { job: r.payload.job_id, run } : { run }
}

/**
 * GitHub's refusal of a re-run in words a person acts on: the permission or the limit it
 * names. `undefined`: not a refusal, the run is already running again.
 */
export function refusalOf(status: number, message: string): string | undefined {
  if (/already running|is running|in progress/i.test(message)) return undefined
  if (status === 403 && /not accessible by integration|must have admin|permission/i.test(message))
    return `${message} — the resume workflow needs permissions actions: write and deployments: write`
  if (status === 403 && /month|30 days|too old|over/i.test(message))
    return `${message} — GitHub re-runs only workflow runs of the last 30 days`
  if (status === 404)
    return `${message} — the run was deleted, or the token cannot read it (actions: write)`
  return message
}
