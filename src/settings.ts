import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import yaml from 'js-yaml'
import { z } from 'zod'
import { MAX_DURATION_MS, parseDuration } from './duration.js'
import { isHttpUrl } from './http.js'
import { checkListSchema, type Check } from './run/checks.js'
import { DEFAULT_FREEZE, freezeListSchema, type FreezeWindow } from './schedule/freeze.js'
import { isValidTimeZone } from './schedule/windows.js'

/** Every input of action.yml, in the order of DESIGN.md section 3. */
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
  'migrations',
  'command-timeout',
  'required-checks',
  'checks-timeout',
  'staging-environment',
  'production-environments',
  'monitoring-url',
  'timezone',
  'freeze',
  'smoke-tests',
  'monitor-checks',
  'monitor-duration',
  'monitor-interval',
  'monitor-failures',
  'notify-lead-time',
  'slack-webhook',
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

/**
 * Inputs of the contract (DESIGN.md section 3) whose checks this version does not make yet:
 * refused when they ask for a check, so that nobody believes a release was held to a rule
 * that was never looked at. The value each accepts is the one that asks for nothing.
 */
const NOT_YET: Partial<Record<InputName, { accepts: string[]; what: string }>> = {
  'required-approvals': { accepts: ['0'], what: 'the review item' },
  'migrations-path': { accepts: [], what: 'reading migrations from the repository' },
  'migration-lint': { accepts: ['off'], what: 'the SQL migration lint' },
  'alertmanager-url': { accepts: [], what: 'the incidents item' },
  'alertmanager-token': { accepts: [], what: 'the incidents item' },
  'alert-filter': { accepts: [], what: 'the incidents item' }
}

export type InputName = (typeof INPUT_NAMES)[number]

/** Inputs whose values are secrets: registered with the log masker, never rendered. */
export const SECRET_INPUTS: readonly InputName[] = [
  'github-token',
  'slack-webhook',
  'teams-webhook',
  'webhook-url',
  'webhook-secret',
  'grafana-token',
  'datadog-api-key',
  'alertmanager-token'
]

export type Urgency = 'P1' | 'P2' | 'P3' | 'P4'
export type Language = 'en' | 'fr'

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
  migrations: string[]
  commandTimeoutMs: number
  /** undefined: every check on the commit but this run's own */
  requiredChecks?: string[]
  checksTimeoutMs: number
  stagingEnvironment: string
  productionEnvironments: string[]
  monitoringUrls: string[]
  timeZone: string
  freeze: FreezeWindow[]
  smokeTests: Check[]
  monitorChecks: Check[]
  monitorDurationMs: number
  monitorIntervalMs: number
  monitorFailures: number
  notifyLeadTimeMs: number
  slackWebhook?: string
  teamsWebhook?: string
  webhook?: { url: string; secret?: string }
  prComment: boolean
  grafana?: { url: string; token: string }
  datadog?: { apiKey: string; site: string }
  /** the policy file that was read, if any */
  configFile?: string
}

/** One bad input; `message` already names the input and what was expected. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
    this.name = 'SettingsError'
  }
}

type Raw = Partial<Record<InputName, string>>

/** A value as a policy file may give it: YAML scalars and lists become input text. */
function toInputText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return yaml.dump(value, { flowLevel: -1, lineWidth: -1 })
}

const show = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)

// Control characters in names would end up in headers, logs and Markdown; refuse them early.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

function listOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** Collects problems per input so that the step fails once, naming every bad input. */
class Reader {
  readonly problems: string[] = []
  constructor(private readonly raw: Raw) {}

  text(name: InputName): string {
    return (this.raw[name] ?? '').trim()
  }

  optional(name: InputName): string | undefined {
    const t = this.text(name)
    return t === '' ? undefined : t
  }

  bad(name: InputName, expected: string, got?: string): undefined {
    this.problems.push(
      `input "${name}": expected ${expected}${got === undefined ? '' : `, got ${show(got)}`}`
    )
    return undefined
  }

  name(name: InputName, fallback?: string): string {
    const t = this.text(name) || fallback || ''
    if (t === '') return this.bad(name, 'a non-empty name') ?? ''
    if (CONTROL.test(t) || t.length > 255) {
      return this.bad(name, 'a single line of at most 255 characters', t) ?? t
    }
    return t
  }

  oneOf<T extends string>(name: InputName, values: readonly T[], fallback: T): T {
    const t = this.text(name)
    if (t === '') return fallback
    const hit = values.find((v) => v.toLowerCase() === t.toLowerCase())
    if (hit) return hit
    return this.bad(name, `one of ${values.join(', ')}`, t) ?? fallback
  }

  bool(name: InputName, fallback: boolean): boolean {
    const t = this.text(name)
    if (t === '') return fallback
    if (['true', 'True', 'TRUE'].includes(t)) return true
    if (['false', 'False', 'FALSE'].includes(t)) return false
    return this.bad(name, 'true or false', t) ?? fallback
  }

  duration(name: InputName, fallback: string, allowZero = false): number {
    const t = this.text(name) || fallback
    const ms = parseDuration(t)
    const what = allowZero
      ? 'a duration such as 90s, 15m, 1h or 1h30m (at most 24d), or 0'
      : 'a positive duration such as 90s, 15m, 1h or 1h30m (at most 24d)'
    if (ms === undefined || (!allowZero && ms <= 0) || ms > MAX_DURATION_MS)
      return this.bad(name, what, t) ?? 0
    return ms
  }

  positiveInt(name: InputName, fallback: number): number {
    const t = this.text(name)
    if (t === '') return fallback
    if (!/^\d+$/.test(t) || Number(t) < 1)
      return this.bad(name, 'a whole number of at least 1', t) ?? fallback
    return Number(t)
  }

  url(name: InputName): string | undefined {
    const t = this.optional(name)
    if (t === undefined) return undefined
    // URLs may be secrets (webhooks): never echo them back in the error.
    if (!isHttpUrl(t)) return this.bad(name, 'an http or https URL')
    return t
  }

  urls(name: InputName): string[] {
    const items = this.yamlOrList(name)
    const bad = items.findIndex((u) => !isHttpUrl(u))
    // A monitoring URL may carry a key (query, user info) and is not masked: say which entry.
    if (bad >= 0) this.bad(name, `http or https URLs (entry ${bad + 1} of ${items.length} is not)`)
    return items.filter(isHttpUrl)
  }

  /** A list given as YAML (`[a, b]` or `- a`) or as comma/newline separated text. */
  yamlOrList(name: InputName): string[] {
    const t = this.text(name)
    if (t === '') return []
    if (/^\s*(\[|- )/.test(t)) {
      try {
        const parsed = yaml.load(t)
        if (Array.isArray(parsed)) {
          // a mapping or a nested list is no name: String() would make it "[object Object]"
          if (parsed.some((x) => x !== null && typeof x === 'object'))
            return this.bad(name, 'a list of names, one text per entry') ?? []
          return parsed.map((x) => String(x ?? '').trim()).filter(Boolean)
        }
      } catch {
        this.bad(name, 'a YAML list or comma separated values')
        return []
      }
    }
    return listOf(t)
  }

  structured<T>(name: InputName, schema: z.ZodType<T>, what: string): T | undefined {
    const t = this.text(name)
    if (t === '') return undefined
    let parsed: unknown
    try {
      parsed = yaml.load(t)
    } catch (e) {
      const reason = e instanceof yaml.YAMLException ? e.reason : 'not YAML'
      return this.bad(name, `${what} (YAML): ${reason}`)
    }
    const result = schema.safeParse(parsed)
    if (result.success) return result.data
    const issue = result.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    return this.bad(name, `${what}${where}: ${issue?.message ?? 'invalid'}`)
  }

  /** A bash script: any text but NUL, which bash cannot be given (never echoed: it may hold secrets). */
  script(name: InputName): string | undefined {
    const t = this.optional(name)
    if (t?.includes('\u0000')) return this.bad(name, 'a bash script without NUL characters')
    return t
  }

  /** A token sent in an HTTP header: never echoed, and refused when a header cannot carry it. */
  token(name: InputName): string | undefined {
    const t = this.optional(name)
    // fetch would refuse the header and put the value in its error, and so in the record
    if (t !== undefined && !/^[\x21-\x7e]+$/.test(t))
      return this.bad(name, 'a token of visible ASCII characters, without spaces or line breaks')
    return t
  }

  timeZone(name: InputName): string {
    const t = this.text(name) || 'UTC'
    if (!isValidTimeZone(t))
      return this.bad(name, 'an IANA time zone such as Europe/Paris', t) ?? 'UTC'
    return t
  }
}

/** Reads the optional policy file; its keys are the input names. */
export function readPolicyFile(path: string): Raw {
  let parsed: unknown
  try {
    parsed = yaml.load(readFileSync(path, 'utf8'))
  } catch (e) {
    const reason = e instanceof yaml.YAMLException ? e.reason : (e as Error).message
    throw new SettingsError([`input "config": expected a readable YAML policy file: ${reason}`])
  }
  if (parsed === undefined || parsed === null) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SettingsError(['input "config": expected a YAML mapping of input names to values'])
  }
  const raw: Raw = {}
  const unknown: string[] = []
  for (const [key, value] of Object.entries(parsed)) {
    if ((INPUT_NAMES as readonly string[]).includes(key) && key !== 'config') {
      raw[key as InputName] = toInputText(value)
    } else {
      unknown.push(key)
    }
  }
  if (unknown.length > 0) {
    throw new SettingsError([
      `input "config": unknown key ${show(unknown[0] as string)} in the policy file; expected input names such as environment, freeze, smoke-tests`
    ])
  }
  return raw
}

/**
 * Merges the policy file under the workflow inputs. Only non-empty workflow inputs win,
 * since a runner passes an unset input as an empty string.
 */
export function mergeInputs(
  getInput: (name: InputName) => string,
  workspace: string
): { raw: Raw; configFile?: string } {
  const fromWorkflow: Raw = {}
  for (const name of INPUT_NAMES) {
    const value = getInput(name)
    if (value.trim() !== '') fromWorkflow[name] = value
  }
  const configInput = fromWorkflow.config?.trim()
  const configPath = configInput || '.github/red-button.yml'
  const full = isAbsolute(configPath) ? configPath : resolve(workspace, configPath)
  if (!existsSync(full)) {
    if (configInput) {
      throw new SettingsError([
        `input "config": expected an existing policy file, got ${show(configInput)}`
      ])
    }
    return { raw: fromWorkflow }
  }
  return { raw: { ...readPolicyFile(full), ...fromWorkflow }, configFile: configPath }
}

/** Validates merged inputs into one typed settings object, or throws one SettingsError. */
export function parseSettings(raw: Raw): Settings {
  const r = new Reader(raw)
  const dryRun = r.bool('dry-run', false)
  const commands: Commands = {
    deploy: r.script('deploy-command'),
    rollback: r.script('rollback-command'),
    backup: r.script('backup-command'),
    migrateCheck: r.script('migrate-check-command'),
    migrate: r.script('migrate-command'),
    migrateRollback: r.script('migrate-rollback-command')
  }
  if (!dryRun && !commands.deploy)
    r.bad('deploy-command', 'a command (required unless dry-run is true)')

  for (const [name, rule] of Object.entries(NOT_YET) as Array<
    [InputName, { accepts: string[]; what: string }]
  >) {
    const given = r.text(name)
    if (given !== '' && !rule.accepts.includes(given.toLowerCase()))
      r.bad(
        name,
        `${rule.accepts.length ? `${rule.accepts.map((a) => `"${a}"`).join(' or ')} or ` : ''}no value: ${rule.what} is not in this version of Red Button yet`,
        SECRET_INPUTS.includes(name) ? undefined : given
      )
  }

  const urgency = r.oneOf('urgency', ['P1', 'P2', 'P3', 'P4'] as const, 'P3')
  const reason = r.text('reason')
  if (urgency === 'P1' && reason === '')
    r.bad('reason', 'the reason for a P1 deployment (required with urgency P1)')

  const smokeTests = r.structured('smoke-tests', checkListSchema, 'a list of checks') ?? []
  const monitorChecks =
    r.structured('monitor-checks', checkListSchema, 'a list of checks') ??
    smokeTests.filter((c) => c.kind === 'http')

  const webhookUrl = r.url('webhook-url')
  const webhookSecret = r.optional('webhook-secret')
  if (webhookSecret && !webhookUrl) r.bad('webhook-url', 'a URL, since webhook-secret is set')
  const grafanaUrl = r.url('grafana-url')
  const grafanaToken = r.token('grafana-token')
  if (grafanaUrl && !grafanaToken) r.bad('grafana-token', 'a token, since grafana-url is set')
  const datadogKey = r.token('datadog-api-key')
  const datadogSite = r.text('datadog-site') || 'datadoghq.com'
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(datadogSite))
    r.bad('datadog-site', 'a host name such as datadoghq.eu', datadogSite)

  const monitorIntervalMs = r.duration('monitor-interval', '30s')
  const settings: Settings = {
    environment: r.name('environment'),
    version: r.optional('version'),
    urgency,
    reason,
    dryRun,
    language: r.oneOf('language', ['en', 'fr'] as const, 'en'),
    githubToken: r.token('github-token') ?? '',
    commands,
    rollbackPlan: r.optional('rollback-plan'),
    migrations: listOf(r.text('migrations')),
    commandTimeoutMs: r.duration('command-timeout', '15m'),
    requiredChecks: r.optional('required-checks') ? r.yamlOrList('required-checks') : undefined,
    checksTimeoutMs: r.duration('checks-timeout', '10m'),
    stagingEnvironment: r.name('staging-environment', 'staging'),
    productionEnvironments: r.text('production-environments')
      ? r.yamlOrList('production-environments')
      : ['production'],
    monitoringUrls: r.urls('monitoring-url'),
    timeZone: r.timeZone('timezone'),
    freeze: r.structured('freeze', freezeListSchema, 'a list of freeze windows') ?? DEFAULT_FREEZE,
    smokeTests,
    monitorChecks,
    monitorDurationMs: r.duration('monitor-duration', '30m', true),
    monitorIntervalMs,
    monitorFailures: r.positiveInt('monitor-failures', 1),
    notifyLeadTimeMs: r.duration('notify-lead-time', '0s', true),
    slackWebhook: r.url('slack-webhook'),
    teamsWebhook: r.url('teams-webhook'),
    webhook: webhookUrl ? { url: webhookUrl, secret: webhookSecret } : undefined,
    prComment: r.bool('pr-comment', true),
    grafana: grafanaUrl && grafanaToken ? { url: grafanaUrl, token: grafanaToken } : undefined,
    datadog: datadogKey ? { apiKey: datadogKey, site: datadogSite } : undefined
  }
  if (
    settings.version !== undefined &&
    (CONTROL.test(settings.version) || settings.version.length > 255)
  ) {
    r.bad('version', 'a single line of at most 255 characters', settings.version)
  }
  if (r.problems.length > 0) throw new SettingsError(r.problems)
  return settings
}

/** The values to register with core.setSecret before anything is logged. */
export function secretValues(raw: Raw): string[] {
  return SECRET_INPUTS.map((n) => (raw[n] ?? '').trim()).filter((v) => v.length > 0)
}
