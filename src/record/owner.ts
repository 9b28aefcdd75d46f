import * as t from './transitions.js'
import type { Outcome } from './transitions.js'
import type { CheckResultRecord, Decision, DeploymentRecord, StepRecord } from './types.js'

/**
 * The record of one run, and its one owner: the named transitions below are the only way it
 * changes, and its status is derived from what happened (`statusOf`). Everything else —
 * notifications, the summary, the PR comment, the outputs, the post step — reads `record`.
 */
export class RunRecord {
  private current: DeploymentRecord
  private outcome: Outcome

  constructor(initial: DeploymentRecord, outcome: Partial<Outcome> = {}) {
    this.outcome = { dryRun: initial.dry_run, ...outcome }
    this.current = t.withStatus(initial, this.outcome)
  }

  /**
   * The record a killed main step saved (the post step finishes it): the process had begun
   * when the record says `in-progress`.
   */
  static restore(saved: DeploymentRecord, deploymentId: number): RunRecord {
    return new RunRecord(t.restored(saved, deploymentId), {
      decision: saved.decision,
      inProgress: saved.status === 'in-progress'
    })
  }

  get record(): Readonly<DeploymentRecord> {
    return this.current
  }

  private apply(change: (d: DeploymentRecord) => DeploymentRecord, happened?: Partial<Outcome>) {
    if (happened) this.outcome = { ...this.outcome, ...happened }
    this.current = t.withStatus(change(this.current), this.outcome)
  }

  /** The gate has decided: the record is made anew from its checklist and facts. */
  gateDecided(made: DeploymentRecord, decision: Decision): void {
    this.apply(() => made, { decision })
  }

  /** An input was refused before anything ran: the message says what to fix. */
  inputRefused(message: string): void {
    this.apply((d) => t.failed(d, message), { decision: undefined })
  }

  cancelledBeforeStart(): void {
    this.apply((d) => t.failed(d, 'cancelled by the runner before anything ran'), {
      cancelledBeforeStart: true
    })
  }

  deploymentCreated(id: number): void {
    this.apply((d) => t.deploymentCreated(d, id))
  }

  /**
   * Postponed until `until`: the queued GitHub deployment `id` holds it (undefined when it
   * could not be created or continued).
   */
  postponed(until: string, id: number | undefined): void {
    this.apply((d) => t.postponed(d, until, id))
  }

  lockLost(detail: string, error: string): void {
    this.apply((d) => t.lockLost(d, detail, error), { notStarted: true })
  }

  notStarted(error: string): void {
    this.apply((d) => t.failed(d, error), { notStarted: true })
  }

  processStarted(): void {
    this.apply((d) => d, { inProgress: true })
  }

  stepEnded(step: StepRecord): void {
    this.apply((d) => t.stepEnded(d, step))
  }

  smokeChecked(results: CheckResultRecord[]): void {
    this.apply((d) => t.smokeChecked(d, results))
  }

  watched(monitor: NonNullable<DeploymentRecord['monitor']>): void {
    this.apply((d) => t.watched(d, monitor))
  }

  deployed(): void {
    this.apply((d) => d, { deployed: true })
  }

  rollbackStarted(failure: string): void {
    this.apply((d) => t.failed(d, failure))
  }

  rollbackEnded(r: { ok: boolean; untouched: boolean; cancelled: boolean }): void {
    const error = !r.ok
      ? undefined
      : r.cancelled
        ? r.untouched
          ? 'cancelled by the runner before anything changed'
          : 'cancelled by the runner; rolled back'
        : undefined
    this.apply((d) => (error ? t.failed(d, error) : d), { rollback: r })
  }

  /** A rollback of forward-only migrations redeploys the code and keeps the schema. */
  schemaKept(): void {
    this.apply((d) => ({ ...d, schema_kept: true }))
  }

  failedUnexpectedly(message: string): void {
    this.apply((d) => t.failed(d, `unexpected error: ${message}`), { unexpected: true })
  }

  announced(when: 'before' | 'after', summary: string): void {
    this.apply((d) => t.announced(d, when, summary))
  }

  /** The release's Slack message was posted (or an earlier run's was taken over). */
  slackMessage(ref: { channel: string; ts: string }): void {
    this.apply((d) => t.slackMessage(d, ref))
  }

  warned(...lines: string[]): void {
    this.apply((d) => t.warned(d, lines))
  }

  noted(line: string): void {
    this.apply((d) => t.noted(d, line))
  }

  finishedAt(at: string): void {
    this.apply((d) => t.finishedAt(d, at))
  }

  /** The run is over: nothing can change what it ends with any more. */
  ended(at: string): void {
    this.apply((d) => t.finishedAt(d, at), { ended: true })
  }
}
