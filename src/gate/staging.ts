import type { Language } from '../settings/schema.js'
import type { ChecklistItem, StagingRecord } from '../record/types.js'
import { phrases } from '../report/wording.js'
import { spanText } from '../duration.js'
import type { FreezeWindow } from '../schedule/freeze.js'
import { formatInZone, nextAllowed } from '../schedule/windows.js'
import { itemMaker } from './item.js'
import type { DeploymentFacts, StagingOfCommit, StagingView } from './deployments.js'

/**
 * Item `staging`: a production release went first to each staging environment, with this
 * very commit, and has been live there for `bake-time` (docs/design.md section 5).
 */

export interface StagingOptions {
  isProduction: boolean
  environment: string
  sha: string
  /** how long the commit must have been live on each staging environment */
  bakeTimeMs: number
  now: Date
  /** the zone of the time rules, for the instant the bake completes */
  timeZone: string
  /** P1 asked for (with a reason); `granted` when the actor's role allows it */
  p1?: { granted: boolean; actor: string; role?: string }
}

export interface StagingVerdict {
  item: ChecklistItem
  /** when the item fails for nothing but bake time: the instant the last bake completes */
  bakedAt?: Date
}

/** One staging environment: met, not met, or met but for the time it must still bake. */
type Judged =
  { outcome: 'met' | 'unmet'; text: string } | { outcome: 'baking'; text: string; bakedAt: Date }

const isReplaced = (d: StagingView): boolean => d.state === 'inactive' && d.replacedAt !== undefined

/**
 * How long it has been live since its success: up to now, or up to the moment it was replaced;
 * never negative (clock skew). Undefined when it never succeeded.
 */
function liveFor(d: StagingView, now: Date): number | undefined {
  if (!d.succeededAt) return undefined
  const until = isReplaced(d) && d.replacedAt ? d.replacedAt : now
  return Math.max(0, until.getTime() - d.succeededAt.getTime())
}

function judge(s: StagingOfCommit, o: StagingOptions, language: Language): Judged {
  const p = phrases(language)
  const d = s.deployment
  if (!d) return { outcome: 'unmet', text: p.stagingNone(s.environment, o.sha.slice(0, 7)) }
  if (d.failedAfter)
    return {
      outcome: 'unmet',
      text: p.stagingRolledBack(
        s.environment,
        d.version,
        d.id,
        d.failedAfter.state,
        formatInZone(d.failedAfter.at, o.timeZone)
      )
    }
  const replaced = isReplaced(d)
  if (!d.succeededAt || (d.state !== 'success' && !replaced))
    return {
      outcome: 'unmet',
      text: p.stagingNotOk(s.environment, d.id, d.state ?? 'without status')
    }
  const liveMs = liveFor(d, o.now) ?? 0
  const live = replaced
    ? p.stagingReplaced(s.environment, d.version, spanText(liveMs), d.id)
    : p.stagingLive(s.environment, d.version, spanText(liveMs), d.id)
  if (o.bakeTimeMs <= 0) return { outcome: 'met', text: live }
  const baked = `${live}${p.stagingAnd}${p.stagingBaked(s.environment, spanText(liveMs), spanText(o.bakeTimeMs))}`
  if (liveMs >= o.bakeTimeMs) return { outcome: 'met', text: baked }
  if (replaced) return { outcome: 'unmet', text: `${baked}${p.stagingSo}${p.stagingReplacedEarly}` }
  const bakedAt = new Date(d.succeededAt.getTime() + o.bakeTimeMs)
  return { outcome: 'baking', text: baked, bakedAt }
}

export function evaluateStaging(
  f: DeploymentFacts,
  o: StagingOptions,
  language: Language
): StagingVerdict {
  const p = phrases(language)
  const item = itemMaker('staging', language)
  if (!o.isProduction) return { item: item('na', p.notProduction(o.environment)) }
  if (f.error) return { item: item('fail', p.lockUnreadable(f.error)) }
  const judged = (f.staging ?? []).map((s) => judge(s, o, language))
  const baking = judged.flatMap((j) => (j.outcome === 'baking' ? [j.bakedAt] : []))
  const unmet = judged.some((j) => j.outcome === 'unmet')
  const texts = judged.map((j) => j.text).join(p.stagingAnd)
  if (baking.length === 0 || unmet) return { item: item(unmet ? 'fail' : 'pass', texts) }
  const bakedAt = new Date(Math.max(...baking.map((t) => t.getTime())))
  // bake time is a time rule: P1 lifts it (never the need for a successful deployment)
  if (o.p1?.granted)
    return {
      item: item(
        'pass',
        `${texts}${p.stagingSo}${p.stagingBakeLifted(o.p1.actor, o.p1.role ?? '')}`
      )
    }
  const refused = o.p1
    ? `${p.stagingAnd}${p.stagingBakeNotLifted(o.p1.actor, o.p1.role ?? 'none')}`
    : ''
  const waiting = `${texts}${p.stagingSo}${p.stagingBakedAt(formatInZone(bakedAt, o.timeZone))}${refused}`
  return { item: item('fail', waiting), bakedAt }
}

/** Whether a production release waits for nothing at staging but bake time (P1 aside). */
export function stillBaking(f: DeploymentFacts, o: StagingOptions): boolean {
  return (f.staging ?? []).some((s) => judge(s, o, 'en').outcome === 'baking')
}

/**
 * The first instant the time rules all allow, staging's bake included: the first instant at
 * or after the bake completes (and after `windowNext`) outside every freeze window; undefined
 * when the windows never end.
 */
export function afterBake(
  bakedAt: Date,
  windowNext: Date | undefined,
  windows: readonly FreezeWindow[],
  timeZone: string,
  runwayMs = 0
): Date | undefined {
  if (windowNext === undefined) return undefined
  const from = new Date(Math.max(bakedAt.getTime(), windowNext.getTime()))
  try {
    // the runway too: the watch of a release begun when the bake completes must end before a freeze
    return nextAllowed(windows, from, timeZone, runwayMs)
  } catch {
    return undefined
  }
}

/** The record's `staging`: each staging environment, its deployment and how long it has been live. */
export function stagingRecord(
  f: DeploymentFacts,
  o: Pick<StagingOptions, 'now' | 'bakeTimeMs' | 'timeZone'>
): StagingRecord[] | undefined {
  if (!f.staging || f.error) return undefined
  return f.staging.map(({ environment, deployment: d }) => {
    if (!d) return { environment }
    const live = liveFor(d, o.now)
    const entry: StagingRecord = {
      environment,
      deployment: d.id,
      version: d.version,
      state: d.state,
      succeeded_at: d.succeededAt && formatInZone(d.succeededAt, o.timeZone),
      replaced_at: d.replacedAt && formatInZone(d.replacedAt, o.timeZone),
      live: live === undefined || d.failedAfter ? undefined : spanText(live),
      needs: o.bakeTimeMs > 0 ? spanText(o.bakeTimeMs) : undefined
    }
    // YAML has no undefined: what is unknown is left out
    return Object.fromEntries(
      Object.entries(entry).filter(([, v]) => v !== undefined)
    ) as StagingRecord
  })
}
