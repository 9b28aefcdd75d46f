import type { DeploymentStatus, GitHubApi } from '../github/api.js'
import { namesRun } from '../github/context.js'
import {
  payloadOf,
  postponedPayload,
  postponedUntilIn,
  type PostponedPayload
} from '../github/payload.js'
import type { OtherDeployment, QueuedRelease } from './decide.js'

/** A day past `postpone-expiry`: long enough for a schedule to mark an expired release. */
const EXPIRY_GRACE_MS = 86_400_000

export interface Queue {
  queue: QueuedRelease[]
  others: OtherDeployment[]
}

/**
 * Reads the queue: one list of deployments (of `environment`, or of the repository), then
 * the latest status of each postponed release young enough to matter. The other deployments'
 * statuses are read later, and only for a release that is due (`readStatuses`).
 */
export async function readQueue(
  api: GitHubApi,
  o: { environment?: string; now: Date; expiryMs: number }
): Promise<Queue> {
  const list = await api.listDeployments(o.environment ? { environment: o.environment } : {})
  const others: OtherDeployment[] = []
  const candidates: Array<{ id: number; environment: string; createdAt: Date }> = []
  const payloads = new Map<number, PostponedPayload>()
  for (const d of list) {
    const createdAt = new Date(d.created_at)
    const payload = postponedPayload(d)
    if (!payload) {
      const version = payloadOf(d).version
      others.push({
        id: d.id,
        environment: d.environment,
        version: typeof version === 'string' && version ? version : d.ref,
        createdAt
      })
      continue
    }
    if (o.now.getTime() - createdAt.getTime() > o.expiryMs + EXPIRY_GRACE_MS) continue
    payloads.set(d.id, payload)
    candidates.push({ id: d.id, environment: d.environment, createdAt })
  }
  const read = await Promise.all(
    candidates.map(async (c) => ({ c, latest: await api.latestStatus(c.id) }))
  )
  const queue: QueuedRelease[] = []
  for (const { c, latest } of read) {
    if (latest?.state !== 'queued') continue
    const payload = payloads.get(c.id)
    if (!payload) continue
    queue.push({
      id: c.id,
      environment: c.environment,
      createdAt: c.createdAt,
      payload,
      ...postponementOf(payload, latest)
    })
  }
  return { queue: queue.sort((a, b) => a.id - b.id), others }
}

/**
 * What a queued release's latest status says (pure): written by the postponed run (its
 * `log_url` names the payload's run) or by a resume step (a re-run was requested), its
 * fragment gives the instant it was postponed until; the payload's when it has none or a
 * malformed one (a release queued before the fragment).
 */
export function postponementOf(
  payload: PostponedPayload,
  latest: Pick<DeploymentStatus, 'log_url'>
): { postponedUntil: string; resumeRequested: boolean } {
  const logUrl = latest.log_url ?? ''
  const byRun = payload.run_id === undefined || namesRun(logUrl, payload.run_id)
  return {
    postponedUntil: postponedUntilIn(logUrl) ?? payload.postponed_until,
    resumeRequested: !byRun
  }
}

/** Fills in the latest status of the given deployments. */
export async function readStatuses(api: GitHubApi, list: OtherDeployment[]): Promise<void> {
  await Promise.all(
    list.map(async (d) => {
      d.state = (await api.latestStatus(d.id))?.state ?? 'none'
    })
  )
}
