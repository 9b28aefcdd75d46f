import type { RunContext } from '../github/context.js'
import type { Settings } from '../settings/schema.js'
import type { RunRecord } from './owner.js'
import type {
  ChangesRecord,
  ChecklistItem,
  Decision,
  DeploymentRecord,
  MigrationFinding,
  StagingRecord
} from './types.js'

/** What the record keeps of the gate's result (the gate's own GateResult is one). */
export interface GateView {
  checklist: ChecklistItem[]
  decision: Decision
  /** first allowed instant: now when allowed, later when postponed */
  nextWindow?: Date
  /** what a rollback returns to */
  previous?: { version: string; sha: string }
  /** what goes out */
  changes?: ChangesRecord
  /** what a postponed release waits for, in words */
  waitingFor?: string[]
  /** the commit on each staging environment, and how long it has been live */
  staging?: StagingRecord[]
  /** worded warnings of the gate (a freeze starting within 24 h) */
  warnings?: string[]
  facts: {
    isProduction: boolean
    incidents?: { alerts: Array<{ fingerprint: string }> }
    /** this release's migration files and what the SQL lint found (with migrations-path) */
    migrationFiles?: { files: string[]; findings?: MigrationFinding[] }
  }
}

/** A re-run that continues a postponed release (docs/design.md section 14). */
export interface ResumedFrom {
  /** the queued deployment it continues */
  deploymentId: number
  /** the postponed run's actor: the one the record and every rule name */
  actor?: string
  /** when it was postponed (its deployment's creation) */
  postponedAt: Date
  /** the postponed run's URL */
  fromRun: string
  /** this run's attempt */
  attempt: number
  /** the Slack message of the postponed run, for the Slack code to edit */
  slack?: { channel: string; ts: string }
}

/** What a run is about: fixed once it starts (the gate's result once decided). */
export interface RunSubject {
  settings: Settings
  ctx: RunContext
  version: string
  startedAt: Date
  recordFile: string
  gate?: GateView
  /** set when this run is the re-run of a postponed release */
  resumedFrom?: ResumedFrom
}

/** A run: what it is about, and its record, changed only through `run` (its owner). */
export interface RunState extends RunSubject {
  readonly run: RunRecord
  /** the record so far (read only: change it through `run`) */
  readonly record: Readonly<DeploymentRecord>
}

export function runState(subject: RunSubject, run: RunRecord): RunState {
  return Object.defineProperty({ ...subject, run }, 'record', {
    get: () => run.record,
    enumerable: true
  }) as RunState
}
