import { formatDuration } from '../duration.js'
import type { Language } from '../settings/schema.js'
import type { ChecklistItem } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'
import type { GitHubApi } from '../github/api.js'
import {
  applyStatus,
  isActive,
  isYoung,
  viewOf,
  type DeploymentFacts,
  type DeploymentView
} from './deployments.js'

/** The deployment that holds the environment, if any (the oldest active one wins). */
export function lockHolder(
  target: DeploymentView[],
  now: Date,
  o: { excludeId?: number; olderThanId?: number } = {}
): { holder?: DeploymentView; stale: DeploymentView[] } {
  const active = target.filter((v) => v.id !== o.excludeId && isActive(v))
  const young = (v: DeploymentView): boolean => isYoung(v, now)
  const holders = active
    .filter(young)
    .filter((v) => o.olderThanId === undefined || v.id < o.olderThanId)
    .sort((a, b) => a.id - b.id)
  return { holder: holders[0], stale: active.filter((v) => !young(v)) }
}

/**
 * The lock judged again once our deployment exists: two runs that passed the gate together
 * both see each other now, and the younger one yields to the older. Statuses the gate already
 * read as final are not read again; the same rules (`isYoung`, `isActive`, `lockHolder`) decide.
 */
export async function recheckLock(
  api: GitHubApi,
  o: { environment: string; ourId: number; known: DeploymentView[]; now: Date; ownRunId?: number }
): Promise<DeploymentView | undefined> {
  const known = new Map(o.known.map((v) => [v.id, v]))
  const views = (await api.listDeployments({ environment: o.environment })).map(viewOf)
  await Promise.all(
    views.map(async (v) => {
      if (v.id >= o.ourId || !isYoung(v, o.now)) return
      const before = known.get(v.id)
      if (before?.read && before.state !== undefined && !isActive(before)) {
        Object.assign(v, {
          state: before.state,
          logUrl: before.logUrl,
          ownRun: before.ownRun,
          read: true
        })
      } else {
        applyStatus(v, await api.latestStatus(v.id), o.ownRunId)
      }
    })
  )
  return lockHolder(views, o.now, { excludeId: o.ourId, olderThanId: o.ourId }).holder
}

/** Item `lock`: one deployment at a time per environment. */
export function evaluateLock(
  f: DeploymentFacts,
  now: Date,
  language: Language,
  excludeId?: number
): ChecklistItem {
  const p = phrases(language)
  const item = itemMaker('lock', language)
  if (f.error) return item('fail', p.lockUnreadable(f.error))
  const { holder, stale } = lockHolder(f.target, now, { excludeId })
  const staleNote = stale.length > 0 ? `; ${p.stale(stale.map((v) => `#${v.id}`).join(', '))}` : ''
  if (holder) {
    const age = formatDuration(Math.max(0, now.getTime() - holder.createdAt.getTime()))
    return item(
      'fail',
      p.lockHeld(holder.id, holder.creator, age, holder.state ?? 'starting') +
        (holder.logUrl ? ` — ${holder.logUrl}` : '') +
        staleNote
    )
  }
  return item('pass', p.lockFree + staleNote)
}
