import { formatDuration } from '../duration.js'
import type { Language } from '../settings.js'
import type { ChecklistItem } from '../report/types.js'
import { phrases } from '../report/wording.js'
import { itemMaker } from './item.js'
import {
  isActive,
  LOCK_MAX_AGE_MS,
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
  const young = (v: DeploymentView): boolean =>
    now.getTime() - v.createdAt.getTime() < LOCK_MAX_AGE_MS
  const holders = active
    .filter(young)
    .filter((v) => o.olderThanId === undefined || v.id < o.olderThanId)
    .sort((a, b) => a.id - b.id)
  return { holder: holders[0], stale: active.filter((v) => !young(v)) }
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
