/** Shapes shared by the gate, the process and the reports (DESIGN.md sections 4, 5, 8). */

export type ItemId =
  | 'ci'
  | 'staging'
  | 'migrations'
  | 'window'
  | 'monitoring'
  | 'rollback'
  | 'backup'
  | 'lock'
  | 'review'
  | 'incidents'
export type ItemStatus = 'pass' | 'fail' | 'na'

export interface ChecklistItem {
  id: ItemId
  /** wording in the chosen language */
  item: string
  status: ItemStatus
  detail: string
}

export type Decision = 'go' | 'abort' | 'postpone'

export type RunStatus =
  'deployed' | 'planned' | 'aborted' | 'postponed' | 'rolled-back' | 'rollback-failed' | 'cancelled'

export type StepName =
  'backup' | 'migrate' | 'deploy' | 'smoke' | 'monitor' | 'rollback' | 'migrate-rollback'

export interface StepRecord {
  name: StepName
  status: 'pass' | 'fail' | 'skipped'
  duration_ms: number
  started_at?: string
  /** milliseconds from the start of the run (the time line of the summary) */
  offset_ms?: number
  exit_code?: number
  reason?: string
}

export interface CheckResultRecord {
  name: string
  ok: boolean
  detail: string
  latency_ms?: number
}

/** A pull request that goes out, found in a commit message ("Title (#123)", "Merge pull request #123"). */
export interface PullRecord {
  number: number
  title: string
  author: string
}

/** What goes out: the commits between the running version and this one (DESIGN.md section 8). */
export interface ChangesRecord {
  /** the running version (previous_version) */
  base: string
  /** commits this release adds */
  commits: number
  url?: string
  pulls: PullRecord[]
  /** the compare's status when it is not plain `ahead`: `behind` (a rollback), `diverged`, `identical` */
  history?: string
  /** commits the running version has that this one lacks (behind, diverged) */
  behind_by?: number
  /** GitHub lists at most 250 commits and 300 files of a compare */
  truncated?: boolean
  /** the compare could not be read: the change list is unknown */
  error?: string
}

/** A statement of this release's migrations that loses data or locks a table (DESIGN.md section 5). */
export interface MigrationFinding {
  file: string
  line: number
  /** the rule, e.g. `drop-column`; `syntax-error` for a file that does not parse */
  rule: string
  severity: 'error' | 'warning'
  detail: string
  /** a safer way to the same end */
  safer?: string
  /** allowed in place by a `-- red-button: allow <rule>` comment on the line before */
  allowed?: boolean
}

/** A Slack message: its conversation ID and timestamp (`ts`, its ID within the conversation). */
export interface SlackMessageRef {
  channel: string
  ts: string
}

export interface DeploymentRecord {
  version: string
  environment: string
  checklist: ChecklistItem[]
  migrations: string[]
  rollback_plan: string
  notify: { before: string; after: string }
  smoke_tests: string[]
  /** `in-progress` only while the process runs (what the "before" messages carry) */
  status: RunStatus | 'in-progress'
  decision: Decision
  urgency: string
  reason?: string
  dry_run: boolean
  commit: string
  ref?: string
  actor: string
  repository?: string
  run_url?: string
  previous_version: string
  previous_sha?: string
  deployment_id?: number
  next_window?: string
  /** the IANA zone of the time rules (next_window in words, started_at read) */
  timezone?: string
  started_at: string
  finished_at: string
  steps: StepRecord[]
  /** what goes out, when a previous deployment is known */
  changes?: ChangesRecord
  /** what the SQL lint found in this release's migrations (with migrations-path) */
  migration_findings?: MigrationFinding[]
  smoke_results?: CheckResultRecord[]
  monitor?: {
    rounds: number
    failed_rounds: number
    duration_ms: number
    results?: CheckResultRecord[]
  }
  notifications?: string[]
  /** the release's one Slack message (bot-token mode): where it is, to edit it later */
  slack?: SlackMessageRef
  warnings?: string[]
  error?: string
}

export interface Record {
  deployment: DeploymentRecord
}
