/** The inputs of action.yml (docs/design.md section 3) and what is known of them before parsing. */

/** Every input of action.yml, in the order of docs/design.md section 3. */
export const INPUT_NAMES = [
  'environment',
  'version',
  'urgency',
  'reason',
  'dry-run',
  'config',
  'language',
  'github-token',
  'deploy-command',
  'rollback-command',
  'rollback-plan',
  'backup-command',
  'migrate-check-command',
  'migrate-command',
  'migrate-rollback-command',
  'forward-only-migrations',
  'environment-url',
  'migrations',
  'command-timeout',
  'required-checks',
  'checks-timeout',
  'staging-environment',
  'bake-time',
  'production-environments',
  'monitoring-url',
  'timezone',
  'freeze',
  'holidays',
  'freeze-calendar',
  'deploy-hours',
  'runway',
  'resume-postponed',
  'postpone-expiry',
  'smoke-tests',
  'monitor-checks',
  'monitor-duration',
  'monitor-interval',
  'monitor-failures',
  'notify-lead-time',
  'slack-webhook',
  'slack-token',
  'slack-channel',
  'slack-api-url',
  'teams-webhook',
  'webhook-url',
  'webhook-secret',
  'pr-comment',
  'grafana-url',
  'grafana-token',
  'datadog-api-key',
  'datadog-site',
  'required-approvals',
  'migrations-path',
  'migration-lint',
  'alertmanager-url',
  'alertmanager-token',
  'alert-filter'
] as const

export type InputName = (typeof INPUT_NAMES)[number]

/** Inputs whose values are secrets: registered with the log masker, never rendered. */
export const SECRET_INPUTS: readonly InputName[] = [
  'github-token',
  'slack-webhook',
  'slack-token',
  'slack-api-url',
  'teams-webhook',
  'webhook-url',
  'webhook-secret',
  'grafana-token',
  'datadog-api-key',
  'alertmanager-token'
]

/** Inputs as given: the workflow's `with:` (and the policy file), text by name. */
export type Raw = Partial<Record<InputName, string>>

/** The values to register with core.setSecret before anything is logged. */
export function secretValues(raw: Raw): string[] {
  // a calendar feed's URL often holds a private token: each URL of freeze-calendar is masked
  const feeds = (raw['freeze-calendar'] ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => /^https?:\/\//i.test(s))
  return [...SECRET_INPUTS.map((n) => (raw[n] ?? '').trim()), ...feeds].filter((v) => v.length > 0)
}
