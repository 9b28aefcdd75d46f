import { z } from 'zod'
import type { AlertSource } from '../alerts/client.js'
import { checkListSchema, type Check } from './checks.js'
import { DEFAULT_FREEZE, freezeListSchema, type FreezeWindow } from '../schedule/freeze.js'
import { DEPLOY_HOURS_EXAMPLE, parseDeployHours, type DeployHoursRange } from '../schedule/hours.js'
import { HOLIDAY_CODE } from '../schedule/holidays.js'
import { isHttpUrl } from '../http.js'
import { problem, SettingsError } from './errors.js'
import { INPUT_NAMES, type InputName, type Raw } from './inputs.js'
import { productionLookAlike } from './names.js'
import * as read from './readers.js'

export { SettingsError } from './errors.js'
export { INPUT_NAMES, SECRET_INPUTS, secretValues, type InputName } from './inputs.js'
export { mergeInputs, readPolicyFile } from './policy.js'

export type Urgency = 'P1' | 'P2' | 'P3' | 'P4'
export type Language = 'en' | 'fr'

/** Slack's Web API (`slack-api-url`'s default). */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/'

export interface SlackBot {
  /** `xoxb-…` (a secret) */
  token: string
  /** a conversation ID: C…, G… or D… */
  channel: string
  /** Web API base URL, ending with `/` or not */
  apiUrl: string
}

export interface Commands {
  deploy?: string
  rollback?: string
  backup?: string
  migrateCheck?: string
  migrate?: string
  migrateRollback?: string
}

export interface Settings {
  environment: string
  /** undefined: derived from the ref (tag name) or the short SHA */
  version?: string
  urgency: Urgency
  reason: string
  dryRun: boolean
  language: Language
  githubToken: string
  commands: Commands
  rollbackPlan?: string
  /** expand/contract migrations: a rollback redeploys the code and keeps the schema */
  forwardOnlyMigrations: boolean
  /** the deployed service's URL (GitHub's "View deployment" link) */
  environmentUrl?: string
  migrations: string[]
  commandTimeoutMs: number
  /** undefined: every check on the commit but this run's own */
  requiredChecks?: string[]
  checksTimeoutMs: number
  /** where a production release must have gone first, each of them (never empty) */
  stagingEnvironments: string[]
  /** how long the commit must have been live on each staging environment; 0: no bake */
  bakeTimeMs: number
  productionEnvironments: string[]
  monitoringUrls: string[]
  timeZone: string
  freeze: FreezeWindow[]
  /** ISO 3166 codes whose public holidays freeze production (upper case; checked by the library at start) */
  holidays: string[]
  /** iCalendar sources: paths in the repository or http(s) URLs */
  freezeCalendars: string[]
  /** when releases may run; undefined: any time outside the freeze windows */
  deployHours?: DeployHoursRange[]
  /** a release begins only when no freeze starts within this long */
  runwayMs: number
  smokeTests: Check[]
  monitorChecks: Check[]
  monitorDurationMs: number
  monitorIntervalMs: number
  monitorFailures: number
  notifyLeadTimeMs: number
  slackWebhook?: string
  /** bot-token mode: one message per release, updated in place (slack-token, slack-channel) */
  slackBot?: SlackBot
  teamsWebhook?: string
  webhook?: { url: string; secret?: string }
  prComment: boolean
  grafana?: { url: string; token: string }
  datadog?: { apiKey: string; site: string }
  /** approvals the release's pull request needs (production); 0: the review item is off */
  requiredApprovals: number
  /** globs of the repository's migration files; empty: the release's migrations are not read */
  migrationsPath: string[]
  /** what a data-losing statement in the release's migrations does */
  migrationLint: 'error' | 'warn' | 'off'
  /** Alertmanager to ask for firing alerts (the incidents item, and the watch) */
  alerts?: AlertSource
  /** resume mode: start again the postponed releases that are due, deploy nothing (section 14) */
  resumePostponed: boolean
  /** a postponed release not resumed within this time is dropped */
  postponeExpiryMs: number
  /** the policy file that was read, if any */
  configFile?: string
}
/** One input as a field of the schema: its trimmed text read by `reader`, problems naming it. */
function input<T>(name: InputName, reader: (text: string, bad: read.Bad) => T) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = (value ?? '').trim()
      const bad: read.Bad = (expected, got) =>
        ctx.addIssue({ code: 'custom', message: problem(name, expected, got) })
      // a runner expands `${{ ... }}`; a local run (local-action, node --env-file) does not
      if (/^\$\{\{[^]*\}\}$/.test(text)) {
        bad(
          `a value, not the expression ${text} as written (a runner expands it; in a local run set INPUT_${name.toUpperCase()} to the value itself)`
        )
        return reader('', () => undefined)
      }
      return reader(text, bad)
    })
}

const text = (name: InputName) => input(name, (t) => t)

/**
 * Every input, parsed and validated by one schema: a field per input (in the order of
 * action.yml), the rules that join inputs, then the typed settings. A policy file's values
 * go through the same schema, merged under the workflow's (see policy.ts).
 */
export const settingsSchema = z
  .object({
    environment: input('environment', read.singleLine),
    version: input('version', read.singleLine),
    urgency: input('urgency', read.oneOf(['P1', 'P2', 'P3', 'P4'] as const, 'P3')),
    reason: text('reason'),
    'dry-run': input('dry-run', read.bool(false)),
    config: text('config'),
    language: input('language', read.oneOf(['en', 'fr'] as const, 'en')),
    'github-token': input('github-token', read.token),
    'deploy-command': input('deploy-command', read.script),
    'rollback-command': input('rollback-command', read.script),
    'rollback-plan': input('rollback-plan', read.optional),
    'backup-command': input('backup-command', read.script),
    'migrate-check-command': input('migrate-check-command', read.script),
    'migrate-command': input('migrate-command', read.script),
    'migrate-rollback-command': input('migrate-rollback-command', read.script),
    'forward-only-migrations': input('forward-only-migrations', read.bool(false)),
    'environment-url': input('environment-url', read.url),
    migrations: input('migrations', read.listOf),
    'command-timeout': input('command-timeout', read.duration('15m')),
    'required-checks': input('required-checks', (t, bad) =>
      t ? read.yamlOrList(t, bad) : undefined
    ),
    'checks-timeout': input('checks-timeout', read.duration('10m')),
    'staging-environment': input('staging-environment', read.names('staging')),
    'bake-time': input('bake-time', read.duration('0', true)),
    'production-environments': input('production-environments', (t, bad) =>
      t ? read.yamlOrList(t, bad) : ['production']
    ),
    'monitoring-url': input('monitoring-url', read.urls),
    timezone: input('timezone', read.timeZone),
    freeze: input('freeze', read.structured(freezeListSchema, 'a list of freeze windows')),
    holidays: input('holidays', (t, bad) => {
      const codes = read.listOf(t).map((c) => c.toUpperCase())
      const wrong = codes.filter((c) => !HOLIDAY_CODE.test(c))
      if (wrong.length > 0)
        bad('ISO 3166 country or subdivision codes such as FR, DE-BY, US-CA', wrong.join(', '))
      return [...new Set(codes)]
    }),
    'freeze-calendar': input('freeze-calendar', (t, bad) => {
      const sources = read.listOf(t)
      const wrong = sources.filter((s) => /^[a-z][a-z0-9+.-]*:/i.test(s) && !isHttpUrl(s))
      if (wrong.length > 0)
        bad(
          'iCalendar sources: paths in the repository or http(s) URLs',
          `${wrong.length} source${wrong.length > 1 ? 's' : ''} of another kind`
        )
      return sources
    }),
    'deploy-hours': input('deploy-hours', (t, bad) => {
      if (t === '') return undefined
      const hours = parseDeployHours(t)
      if (hours.ok) return hours.value
      bad(`days and hours such as "${DEPLOY_HOURS_EXAMPLE}" (${hours.error})`, t)
      return undefined
    }),
    runway: input('runway', (t, bad) => (t === '' ? undefined : read.duration('0', true)(t, bad))),
    'resume-postponed': input('resume-postponed', read.bool(false)),
    'postpone-expiry': input('postpone-expiry', read.duration('7d')),
    'smoke-tests': input('smoke-tests', read.structured(checkListSchema, 'a list of checks')),
    'monitor-checks': input('monitor-checks', read.structured(checkListSchema, 'a list of checks')),
    'monitor-duration': input('monitor-duration', read.duration('30m', true)),
    'monitor-interval': input('monitor-interval', read.duration('30s')),
    'monitor-failures': input('monitor-failures', read.positiveInt(1)),
    'notify-lead-time': input('notify-lead-time', read.duration('0s', true)),
    'slack-webhook': input('slack-webhook', read.url),
    'slack-token': input('slack-token', read.token),
    'slack-channel': input('slack-channel', read.slackChannel),
    'slack-api-url': input('slack-api-url', read.url),
    'teams-webhook': input('teams-webhook', read.url),
    'webhook-url': input('webhook-url', read.url),
    'webhook-secret': input('webhook-secret', read.optional),
    'pr-comment': input('pr-comment', read.bool(true)),
    'grafana-url': input('grafana-url', read.url),
    'grafana-token': input('grafana-token', read.token),
    'datadog-api-key': input('datadog-api-key', read.token),
    'datadog-site': input('datadog-site', read.datadogSite),
    'required-approvals': input('required-approvals', read.wholeNumber(1)),
    'migrations-path': input('migrations-path', read.globs),
    'migration-lint': input(
      'migration-lint',
      read.oneOf(['error', 'warn', 'off'] as const, 'error')
    ),
    'alertmanager-url': input('alertmanager-url', read.url),
    'alertmanager-token': input('alertmanager-token', read.token),
    'alert-filter': input('alert-filter', read.alertFilter)
  } satisfies Record<InputName, z.ZodType>)
  // the rules that join inputs; run even when a field failed, so that every problem is named
  .superRefine(
    (v, ctx) => {
      const bad = (name: InputName, expected: string) =>
        ctx.addIssue({ code: 'custom', message: problem(name, expected) })
      if (!v.environment && !v['resume-postponed'])
        bad('environment', 'a non-empty name (required unless resume-postponed is true)')
      const lookAlike = v.environment
        ? productionLookAlike(v.environment, v['production-environments'])
        : undefined
      if (lookAlike)
        ctx.addIssue({
          code: 'custom',
          message: problem(
            'environment',
            `a production name written as it is (${lookAlike}), or a name that is clearly not production: "${v.environment}" is within two edits of "${lookAlike}", and as written the production rules (freeze windows, staging, review, backup) would not apply; write ${lookAlike}, or add "${v.environment}" to production-environments if it is production`
          )
        })
      if (!v['dry-run'] && !v['deploy-command'] && !v['resume-postponed'])
        bad('deploy-command', 'a command (required unless dry-run is true)')
      if (v.urgency === 'P1' && v.reason === '')
        bad('reason', 'the reason for a P1 deployment (required with urgency P1)')
      if (v['webhook-secret'] && !v['webhook-url'])
        bad('webhook-url', 'a URL, since webhook-secret is set')
      if (v['slack-token'] && !v['slack-channel'])
        bad('slack-channel', 'a channel ID like C0123456789, since slack-token is set')
      if (v['slack-channel'] && !v['slack-token'])
        bad('slack-token', 'a bot token (xoxb-…), since slack-channel is set')
      if (v['grafana-url'] && !v['grafana-token'])
        bad('grafana-token', 'a token, since grafana-url is set')
      if (!v['alertmanager-url'] && (v['alertmanager-token'] || v['alert-filter'].length > 0))
        bad('alertmanager-url', 'a URL, since alertmanager-token or alert-filter is set')
    },
    { when: () => true }
  )
  .transform((v): Settings => ({
    environment: v.environment ?? '',
    version: v.version,
    urgency: v.urgency,
    reason: v.reason,
    dryRun: v['dry-run'],
    language: v.language,
    githubToken: v['github-token'] ?? '',
    commands: {
      deploy: v['deploy-command'],
      rollback: v['rollback-command'],
      backup: v['backup-command'],
      migrateCheck: v['migrate-check-command'],
      migrate: v['migrate-command'],
      migrateRollback: v['migrate-rollback-command']
    },
    rollbackPlan: v['rollback-plan'],
    forwardOnlyMigrations: v['forward-only-migrations'],
    environmentUrl: v['environment-url'],
    migrations: v.migrations,
    commandTimeoutMs: v['command-timeout'],
    requiredChecks: v['required-checks'],
    checksTimeoutMs: v['checks-timeout'],
    stagingEnvironments: v['staging-environment'],
    bakeTimeMs: v['bake-time'],
    productionEnvironments: v['production-environments'],
    monitoringUrls: v['monitoring-url'],
    timeZone: v.timezone,
    freeze: v.freeze ?? DEFAULT_FREEZE,
    holidays: v.holidays,
    freezeCalendars: v['freeze-calendar'],
    deployHours: v['deploy-hours'],
    runwayMs: v.runway ?? v['monitor-duration'] + 15 * 60_000,
    smokeTests: v['smoke-tests'] ?? [],
    monitorChecks: v['monitor-checks'] ?? (v['smoke-tests'] ?? []).filter((c) => c.kind === 'http'),
    monitorDurationMs: v['monitor-duration'],
    monitorIntervalMs: v['monitor-interval'],
    monitorFailures: v['monitor-failures'],
    notifyLeadTimeMs: v['notify-lead-time'],
    slackWebhook: v['slack-webhook'],
    slackBot:
      v['slack-token'] && v['slack-channel']
        ? {
            token: v['slack-token'],
            channel: v['slack-channel'],
            apiUrl: v['slack-api-url'] ?? DEFAULT_SLACK_API_URL
          }
        : undefined,
    teamsWebhook: v['teams-webhook'],
    webhook: v['webhook-url'] ? { url: v['webhook-url'], secret: v['webhook-secret'] } : undefined,
    prComment: v['pr-comment'],
    grafana:
      v['grafana-url'] && v['grafana-token']
        ? { url: v['grafana-url'], token: v['grafana-token'] }
        : undefined,
    datadog: v['datadog-api-key']
      ? { apiKey: v['datadog-api-key'], site: v['datadog-site'] }
      : undefined,
    requiredApprovals: v['required-approvals'],
    migrationsPath: v['migrations-path'],
    migrationLint: v['migration-lint'],
    resumePostponed: v['resume-postponed'],
    postponeExpiryMs: v['postpone-expiry'],
    alerts: v['alertmanager-url']
      ? { url: v['alertmanager-url'], token: v['alertmanager-token'], matchers: v['alert-filter'] }
      : undefined
  }))

/** Validates merged inputs into one typed settings object, or throws one SettingsError. */
export function parseSettings(raw: Raw): Settings {
  const given = Object.fromEntries(INPUT_NAMES.map((n) => [n, raw[n] ?? '']))
  const result = settingsSchema.safeParse(given)
  if (!result.success) throw new SettingsError(result.error.issues.map((i) => i.message))
  return result.data
}
