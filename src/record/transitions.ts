import type {
  ChecklistItem,
  CheckResultRecord,
  Decision,
  DeploymentRecord,
  RunStatus,
  StepRecord
} from './types.js'

/**
 * The named transitions of a run's record: each a small pure function from the record (and
 * what happened) to the next record. Only `RunRecord` (owner.ts) applies them; every other
 * module reads the record.
 */

/** What happened so far, from which the status is derived (`statusOf`), never patched. */
export interface Outcome {
  dryRun: boolean
  /** the gate's verdict, once decided */
  decision?: Decision
  /** cancelled while the gate waited: nothing ran */
  cancelledBeforeStart?: boolean
  /** the deployment could not start: GitHub refused it, or another run holds the lock */
  notStarted?: boolean
  /** the process of section 2 has begun (the "before" message carries `in-progress`) */
  inProgress?: boolean
  /** every forward step, the smoke tests and the watch passed */
  deployed?: boolean
  /** how the rollback ended, once it has */
  rollback?: { ok: boolean; untouched: boolean; cancelled: boolean }
  /** a bug of ours ended the run */
  unexpected?: boolean
  /** the run is over: a process still "in progress" then never reached a final state */
  ended?: boolean
}

/** The one place the status a run ends with is decided, from what happened. */
export function statusOf(o: Outcome, hasDeployment: boolean): RunStatus | 'in-progress' {
  if (o.unexpected) return hasDeployment ? 'rollback-failed' : 'aborted'
  if (o.cancelledBeforeStart) return 'cancelled'
  if (o.decision === undefined) return 'aborted'
  if (o.dryRun) return 'planned'
  if (o.decision !== 'go') return o.decision === 'postpone' ? 'postponed' : 'aborted'
  if (o.notStarted) return 'aborted'
  if (o.rollback) {
    if (!o.rollback.ok) return 'rollback-failed'
    if (o.rollback.cancelled) return 'cancelled'
    return o.rollback.untouched ? 'aborted' : 'rolled-back'
  }
  if (o.deployed) return 'deployed'
  if (o.inProgress) return o.ended ? 'rollback-failed' : 'in-progress'
  return 'aborted'
}

export function withStatus(d: DeploymentRecord, o: Outcome): DeploymentRecord {
  return { ...d, status: statusOf(o, d.deployment_id !== undefined) }
}

/** The record a killed main step saved, as the post step finds it: its deployment, its steps. */
export const restored = (saved: DeploymentRecord, deploymentId: number): DeploymentRecord => ({
  ...saved,
  deployment_id: saved.deployment_id ?? deploymentId,
  steps: saved.steps ?? []
})

export const deploymentCreated = (d: DeploymentRecord, id: number): DeploymentRecord => ({
  ...d,
  deployment_id: id
})

/** Postponed, and recorded on GitHub as a queued deployment (new, or the one it continues). */
export const postponed = (
  d: DeploymentRecord,
  until: string,
  id: number | undefined
): DeploymentRecord => ({ ...d, postponed_until: until, deployment_id: id ?? d.deployment_id })

/** Another run held the lock after all: the lock item fails and the verdict becomes abort. */
export function lockLost(d: DeploymentRecord, detail: string, error: string): DeploymentRecord {
  return {
    ...d,
    checklist: d.checklist.map((i): ChecklistItem =>
      i.id === 'lock' ? { ...i, status: 'fail', detail } : i
    ),
    decision: 'abort',
    error
  }
}

export const failed = (d: DeploymentRecord, error: string): DeploymentRecord => ({ ...d, error })

export const stepEnded = (d: DeploymentRecord, step: StepRecord): DeploymentRecord => ({
  ...d,
  steps: [...d.steps, step]
})

export const smokeChecked = (
  d: DeploymentRecord,
  results: CheckResultRecord[]
): DeploymentRecord => ({ ...d, smoke_results: results })

export const watched = (
  d: DeploymentRecord,
  monitor: NonNullable<DeploymentRecord['monitor']>
): DeploymentRecord => ({ ...d, monitor })

export const announced = (
  d: DeploymentRecord,
  when: 'before' | 'after',
  summary: string
): DeploymentRecord => ({ ...d, notify: { ...d.notify, [when]: summary } })

export const slackMessage = (
  d: DeploymentRecord,
  ref: { channel: string; ts: string }
): DeploymentRecord => ({ ...d, slack: { channel: ref.channel, ts: ref.ts } })

export const warned = (d: DeploymentRecord, lines: string[]): DeploymentRecord =>
  lines.length === 0 ? d : { ...d, warnings: [...(d.warnings ?? []), ...lines] }

export const noted = (d: DeploymentRecord, line: string): DeploymentRecord => ({
  ...d,
  notifications: [...(d.notifications ?? []), line]
})

export const finishedAt = (d: DeploymentRecord, at: string): DeploymentRecord => ({
  ...d,
  finished_at: at
})
