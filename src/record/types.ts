/** Shapes shared by the gate, the process and the reports (docs/design.md sections 4, 5, 8). */

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

/** What a destructive rollback command destroys (the `rollback` item; worded in report/). */
export type Loss =
  | 'drops-database'
  | 'empties-database'
  | 'recreates-tables'
  | 'drops-objects'
  | 'deletes-rows'
  | 'drops-tables'
  | 'drops-schema'

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

/** What goes out: the commits between the running version and this one (docs/design.md section 8). */
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

/** A statement of this release's migrations that loses data or locks a table (docs/design.md section 5). */
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

/** Where a resumed release comes from (docs/design.md section 14). */
export interface ResumedRecord {
  /** URL of the postponed run */
  from_run: string
  /** when it was postponed, ISO 8601 with offset */
  postponed_at: string
  /** this run's GITHUB_RUN_ATTEMPT */
  attempt: number
}

/** A Slack message: its channel and timestamp (`chat.postMessage`'s `ts`). */
export interface SlackMessageRecord {
  channel: string
  ts: string
}

/** The newest deployment of the commit to one `staging-environment` (none: only the name). */
export interface StagingRecord {
  environment: string
  deployment?: number
  version?: string
  /** its latest status */
  state?: string
  succeeded_at?: string
  /** when GitHub made it inactive (replaced by a newer one) */
  replaced_at?: string
  /** how long it has been live (up to now, or up to its replacement): "42 min" */
  live?: string
  /** the bake time it needs (bake-time), when not 0 */
  needs?: string
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
  /** a postponed release: when it starts again by itself (section 14), ISO 8601 with offset */
  postponed_until?: string
  /** a resumed release: the run that postponed it, when, and this run's attempt */
  resumed?: ResumedRecord
  /** the Slack message of the release (slack-token), edited in place */
  slack?: SlackMessageRecord
  /** the IANA zone of the time rules (next_window in words, started_at read) */
  timezone?: string
  started_at: string
  finished_at: string
  steps: StepRecord[]
  /** what goes out, when a previous deployment is known */
  changes?: ChangesRecord
  /** what the SQL lint found in this release's migrations (with migrations-path) */
  migration_findings?: MigrationFinding[]
  /** production: the commit on each staging environment, and how long it has been live there */
  staging?: StagingRecord[]
  smoke_results?: CheckResultRecord[]
  monitor?: {
    rounds: number
    failed_rounds: number
    duration_ms: number
    results?: CheckResultRecord[]
  }
  notifications?: string[]
  warnings?: string[]
  error?: string
  /** the rollback redeployed the code only: forward-only migrations keep the schema */
  schema_kept?: boolean
  /** the deployed service's URL (environment-url) */
  environment_url?: string
}

export interface Record {
  deployment: DeploymentRecord
}
