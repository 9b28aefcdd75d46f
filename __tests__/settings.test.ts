import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  INPUT_NAMES,
  mergeInputs,
  parseSettings,
  secretValues,
  SettingsError,
  type InputName
} from '../src/settings/schema.js'
import { DEFAULT_FREEZE } from '../src/schedule/freeze.js'
import { refuseUnknownHolidays } from '../src/settings/load.js'

type Raw = Partial<Record<InputName, string>>

/** The smallest valid set of inputs for a real (not dry) run. */
const BASE: Raw = { environment: 'production', 'deploy-command': './deploy.sh' }

function problemOf(raw: Raw): SettingsError {
  try {
    parseSettings(raw)
  } catch (e) {
    if (e instanceof SettingsError) return e
    throw e
  }
  throw new Error(`expected a SettingsError for ${JSON.stringify(raw)}`)
}

const SMOKE = `
- name: Homepage
  url: https://shop.example.com/
- name: Migrations applied
  run: ./bin/check-schema
- name: Health
  url: https://shop.example.com/health
  status: 200
`

describe('parseSettings defaults', () => {
  const s = parseSettings(BASE)

  it('applies the defaults of docs/design.md section 3 in code', () => {
    expect(s.environment).toBe('production')
    expect(s.version).toBeUndefined()
    expect(s.urgency).toBe('P3')
    expect(s.reason).toBe('')
    expect(s.dryRun).toBe(false)
    expect(s.language).toBe('en')
    expect(s.commandTimeoutMs).toBe(15 * 60_000)
    expect(s.checksTimeoutMs).toBe(10 * 60_000)
    expect(s.requiredChecks).toBeUndefined()
    expect(s.stagingEnvironments).toEqual(['staging'])
    expect(s.bakeTimeMs).toBe(0)
    expect(s.productionEnvironments).toEqual(['production'])
    expect(s.timeZone).toBe('UTC')
    expect(s.freeze).toEqual(DEFAULT_FREEZE)
    expect(s.smokeTests).toEqual([])
    expect(s.monitorChecks).toEqual([])
    expect(s.monitorDurationMs).toBe(30 * 60_000)
    expect(s.monitorIntervalMs).toBe(30_000)
    expect(s.monitorFailures).toBe(1)
    expect(s.notifyLeadTimeMs).toBe(0)
    expect(s.prComment).toBe(true)
    expect(s.monitoringUrls).toEqual([])
    expect(s.migrations).toEqual([])
    expect(s.slackWebhook).toBeUndefined()
    expect(s.webhook).toBeUndefined()
    expect(s.grafana).toBeUndefined()
    expect(s.datadog).toBeUndefined()
    expect(s.commands).toEqual({
      deploy: './deploy.sh',
      rollback: undefined,
      backup: undefined,
      migrateCheck: undefined,
      migrate: undefined,
      migrateRollback: undefined
    })
  })

  it('defaults datadog-site to datadoghq.com when only the key is given', () => {
    expect(parseSettings({ ...BASE, 'datadog-api-key': 'k' }).datadog).toEqual({
      apiKey: 'k',
      site: 'datadoghq.com'
    })
  })

  it('defaults monitor-checks to the HTTP entries of smoke-tests', () => {
    const t = parseSettings({ ...BASE, 'smoke-tests': SMOKE })
    expect(t.smokeTests.map((c) => c.name)).toEqual(['Homepage', 'Migrations applied', 'Health'])
    expect(t.monitorChecks.map((c) => c.name)).toEqual(['Homepage', 'Health'])
    expect(t.monitorChecks.every((c) => c.kind === 'http')).toBe(true)
  })

  it('keeps an explicit monitor-checks, even an empty one', () => {
    const own = parseSettings({
      ...BASE,
      'smoke-tests': SMOKE,
      'monitor-checks': '- name: Api\n  url: https://api.example.com/health'
    })
    expect(own.monitorChecks.map((c) => c.name)).toEqual(['Api'])
    expect(
      parseSettings({ ...BASE, 'smoke-tests': SMOKE, 'monitor-checks': '[]' }).monitorChecks
    ).toEqual([])
  })

  it('reads the values it is given', () => {
    const t = parseSettings({
      ...BASE,
      urgency: 'p1',
      reason: 'payment outage',
      language: 'FR',
      'command-timeout': '1h30m',
      'checks-timeout': '90s',
      'production-environments': 'production, prod-eu',
      'required-checks': '[build, test]',
      'monitoring-url': 'https://grafana.example.com/api/health\nhttps://status.example.com',
      timezone: 'Europe/Paris',
      freeze: '- {name: Christmas, from: "2026-12-24 00:00", to: "2026-12-27 00:00"}',
      'monitor-duration': '0',
      'monitor-failures': '3',
      'pr-comment': 'false',
      migrations: '0042_add_index, 0043_drop_col\n0044_backfill',
      'webhook-url': 'https://hooks.example.com/rb',
      'webhook-secret': 's3cret'
    })
    expect(t.urgency).toBe('P1')
    expect(t.language).toBe('fr')
    expect(t.commandTimeoutMs).toBe(90 * 60_000)
    expect(t.checksTimeoutMs).toBe(90_000)
    expect(t.productionEnvironments).toEqual(['production', 'prod-eu'])
    expect(t.requiredChecks).toEqual(['build', 'test'])
    expect(t.monitoringUrls).toEqual([
      'https://grafana.example.com/api/health',
      'https://status.example.com'
    ])
    expect(t.timeZone).toBe('Europe/Paris')
    expect(t.freeze).toEqual([
      {
        kind: 'dated',
        name: 'Christmas',
        from: { year: 2026, month: 12, day: 24, hour: 0, minute: 0 },
        to: { year: 2026, month: 12, day: 27, hour: 0, minute: 0 }
      }
    ])
    expect(t.monitorDurationMs).toBe(0)
    expect(t.monitorFailures).toBe(3)
    expect(t.prComment).toBe(false)
    expect(t.migrations).toEqual(['0042_add_index', '0043_drop_col', '0044_backfill'])
    expect(t.webhook).toEqual({ url: 'https://hooks.example.com/rb', secret: 's3cret' })
  })

  it('reads migrations-path one glob a line or as a YAML list, never split on the commas of braces', () => {
    expect(parseSettings({ ...BASE }).migrationsPath).toEqual([])
    expect(parseSettings({ ...BASE }).migrationLint).toBe('error')
    expect(
      parseSettings({ ...BASE, 'migrations-path': 'db/{up,down}/*.sql' }).migrationsPath
    ).toEqual(['db/{up,down}/*.sql'])
    expect(
      parseSettings({ ...BASE, 'migrations-path': 'db/a/*.sql\ndb/b/*.sql' }).migrationsPath
    ).toEqual(['db/a/*.sql', 'db/b/*.sql'])
    expect(
      parseSettings({ ...BASE, 'migrations-path': '[db/a/*.sql, "db/{x,y}.sql"]' }).migrationsPath
    ).toEqual(['db/a/*.sql', 'db/{x,y}.sql'])
  })

  it('lists the secrets to mask', () => {
    expect(
      secretValues({ 'github-token': 'ghs_x', 'slack-webhook': ' https://hooks/x ', reason: 'r' })
    ).toEqual(['ghs_x', 'https://hooks/x'])
  })
})

describe('parseSettings refuses bad values', () => {
  const cases: [string, Raw, RegExp][] = [
    ['urgency P9', { urgency: 'P9' }, /input "urgency": expected one of P1, P2, P3, P4, got "P9"/],
    [
      'a duration in words',
      { 'monitor-duration': 'thirty minutes' },
      /input "monitor-duration": expected a duration such as 90s, 15m, 1h or 1h30m.*, or 0, got "thirty minutes"/
    ],
    [
      'a negative interval',
      { 'monitor-interval': '-5s' },
      /input "monitor-interval": expected a positive duration .*got "-5s"/
    ],
    [
      'a zero command-timeout',
      { 'command-timeout': '0' },
      /input "command-timeout": expected a positive duration such as 90s, 15m, 1h or 1h30m.*, got "0"/
    ],
    [
      'malformed YAML in smoke-tests',
      { 'smoke-tests': '- name: Home\n  url: [unclosed' },
      /input "smoke-tests": expected a list of checks \(YAML\): /
    ],
    [
      'malformed YAML in freeze',
      { freeze: '- from: "Fri 14:00\n  to: Mon' },
      /input "freeze": expected a list of freeze windows \(YAML\): /
    ],
    [
      'an unknown day in freeze',
      { freeze: '- {from: "Fry 14:00", to: "Mon 00:00"}' },
      /input "freeze": expected a list of freeze windows at 0\.from: .*unknown day "Fry": expected Mon, Tue, Wed, Thu, Fri, Sat or Sun/
    ],
    [
      'an ftp monitoring-url',
      { 'monitoring-url': 'ftp://x' },
      /input "monitoring-url": expected http or https URLs \(entry 1 of 1 is not\)/
    ],
    [
      'a javascript: monitoring-url',
      { 'monitoring-url': 'javascript:alert(1)' },
      /input "monitoring-url": expected http or https URLs/
    ],
    ['unknown language', { language: 'de' }, /input "language": expected one of en, fr, got "de"/],
    [
      'an empty environment',
      { environment: '  ' },
      /input "environment": expected a non-empty name/
    ],
    ['dry-run yes', { 'dry-run': 'yes' }, /input "dry-run": expected true or false, got "yes"/],
    [
      'an unknown time zone',
      { timezone: 'Mars/Olympus' },
      /input "timezone": expected an IANA time zone such as Europe\/Paris, got "Mars\/Olympus"/
    ],
    [
      'zero monitor-failures',
      { 'monitor-failures': '0' },
      /input "monitor-failures": expected a whole number of at least 1, got "0"/
    ],
    [
      'fractional monitor-failures',
      { 'monitor-failures': '1.5' },
      /input "monitor-failures": expected a whole number of at least 1, got "1.5"/
    ],
    [
      'P1 without a reason',
      { urgency: 'P1' },
      /input "reason": expected the reason for a P1 deployment/
    ],
    [
      'no deploy-command outside a dry run',
      { 'deploy-command': '' },
      /input "deploy-command": expected a command \(required unless dry-run is true\)/
    ]
  ]

  it.each(cases)('%s', (_what, bad, message) => {
    const e = problemOf({ ...BASE, ...bad })
    expect(e.name).toBe('SettingsError')
    expect(e.message).toMatch(message)
    // only the bad input is reported
    expect(e.problems).toHaveLength(1)
  })

  const secretUrls = ['ftp://hooks.slack.example/T000/B000/XXXX', 'javascript:alert(1)']
  it.each(
    (['slack-webhook', 'teams-webhook', 'webhook-url', 'grafana-url'] as const).flatMap((input) =>
      secretUrls.map((url) => [input, url] as const)
    )
  )('refuses %s %s without echoing it', (input, url) => {
    const e = problemOf({ ...BASE, [input]: url, 'grafana-token': 't' })
    expect(e.message).toBe(`input "${input}": expected an http or https URL`)
    expect(e.message).not.toContain(url)
    expect(e.message).not.toContain('hooks.slack')
  })

  it('does not echo a bad monitoring-url, which may carry a key, but says which entry', () => {
    const e = problemOf({
      ...BASE,
      'monitoring-url': 'https://status.example.com/ok\ngrafana.example.com/api/health?api_key=K3Y'
    })
    expect(e.message).toBe(
      'input "monitoring-url": expected http or https URLs (entry 2 of 2 is not)'
    )
    expect(e.message).not.toContain('K3Y')
  })

  it('accepts a missing deploy-command in a dry run', () => {
    const s = parseSettings({ environment: 'production', 'dry-run': 'true' })
    expect(s.dryRun).toBe(true)
    expect(s.commands.deploy).toBeUndefined()
  })

  it('an unexpanded ${{ ... }} (a local run passing action.yml default as written) says what to set', () => {
    const e = problemOf({
      environment: 'production',
      'dry-run': 'true',
      'github-token': '${{ github.token }}'
    })
    expect(e.problems).toEqual([
      'input "github-token": expected a value, not the expression ${{ github.token }} as written (a runner expands it; in a local run set INPUT_GITHUB-TOKEN to the value itself)'
    ])
    // an expression inside other text is the user's own business (a script may hold one)
    expect(() =>
      parseSettings({ environment: 'qa', 'deploy-command': 'echo "${{ not expanded }}" done' })
    ).not.toThrow()
  })

  it('names every bad input in one message', () => {
    const e = problemOf({
      environment: '',
      urgency: 'P9',
      'checks-timeout': 'soon',
      language: 'de',
      'slack-webhook': 'ftp://secret.example/hook',
      'monitor-failures': '0'
    })
    for (const name of [
      'environment',
      'urgency',
      'checks-timeout',
      'language',
      'slack-webhook',
      'monitor-failures',
      'deploy-command'
    ]) {
      expect(e.message).toContain(`input "${name}"`)
    }
    expect(e.problems).toHaveLength(7)
    expect(e.message).toBe(e.problems.join('; '))
    expect(e.message).not.toContain('secret.example')
  })
})

describe('staging-environment and bake-time', () => {
  it('reads several staging environments, comma separated or a YAML list, each once', () => {
    const of = (text: string) =>
      parseSettings({ ...BASE, 'staging-environment': text }).stagingEnvironments
    expect(of('staging, production-canary')).toEqual(['staging', 'production-canary'])
    expect(of('[staging, production-canary]')).toEqual(['staging', 'production-canary'])
    expect(of('- staging\n- production-canary')).toEqual(['staging', 'production-canary'])
    expect(of('preprod')).toEqual(['preprod'])
    // names are compared ignoring case, as GitHub does
    expect(of('staging, Staging')).toEqual(['staging'])
    // an empty value means the default
    expect(of('')).toEqual(['staging'])
  })

  it('refuses a list with no name, and a name with control characters', () => {
    expect(problemOf({ ...BASE, 'staging-environment': ',' }).message).toContain(
      'input "staging-environment": expected at least one name (comma separated or a YAML list), got ","'
    )
    expect(problemOf({ ...BASE, 'staging-environment': '[]' }).message).toContain(
      'input "staging-environment": expected at least one name'
    )
    expect(problemOf({ ...BASE, 'staging-environment': 'stag\ting' }).message).toContain(
      'input "staging-environment": expected a single line of at most 255 characters'
    )
  })

  it('reads bake-time as a duration that may be 0, and refuses anything else', () => {
    const of = (text: string) => parseSettings({ ...BASE, 'bake-time': text }).bakeTimeMs
    expect(of('30m')).toBe(30 * 60_000)
    expect(of('1h30m')).toBe(90 * 60_000)
    expect(of('0')).toBe(0)
    expect(of('')).toBe(0)
    expect(problemOf({ ...BASE, 'bake-time': 'half an hour' }).message).toContain(
      'input "bake-time": expected a duration such as 90s, 15m, 1h or 1h30m (at most 24d), or 0, got "half an hour"'
    )
    expect(problemOf({ ...BASE, 'bake-time': '-5m' }).message).toContain('input "bake-time"')
  })
})

describe('mergeInputs with a policy file', () => {
  let workspace: string

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'red-button-settings-'))
  })
  afterEach(() => {
    rmSync(workspace, { recursive: true, force: true })
  })

  const writePolicy = (text: string, path = '.github/red-button.yml'): void => {
    mkdirSync(join(workspace, path, '..'), { recursive: true })
    writeFileSync(join(workspace, path), text)
  }

  /** getInput as the runner gives it: unset inputs read as empty strings */
  const inputs =
    (given: Raw) =>
    (name: InputName): string =>
      given[name] ?? ''

  const POLICY = `
environment: staging
dry-run: true
monitor-failures: 2
production-environments:
  - production
  - prod-eu
timezone: Europe/Paris
freeze:
  - name: Release freeze
    from: Thu 18:00
    to: Fri 09:00
  - from: "2026-12-24 00:00"
    to: "2026-12-27 00:00"
smoke-tests:
  - name: Homepage
    url: https://shop.example.com/
  - name: Schema
    run: ./bin/check-schema
`

  it('reads the policy file keys, typed YAML values included', () => {
    writePolicy(POLICY)
    const { raw, configFile } = mergeInputs(inputs({}), workspace)
    expect(configFile).toBe('.github/red-button.yml')
    const s = parseSettings(raw)
    expect(s.environment).toBe('staging')
    expect(s.dryRun).toBe(true)
    expect(s.monitorFailures).toBe(2)
    expect(s.productionEnvironments).toEqual(['production', 'prod-eu'])
    expect(s.timeZone).toBe('Europe/Paris')
    expect(s.freeze).toEqual([
      {
        kind: 'weekly',
        name: 'Release freeze',
        from: { day: 4, hour: 18, minute: 0 },
        to: { day: 5, hour: 9, minute: 0 }
      },
      {
        kind: 'dated',
        from: { year: 2026, month: 12, day: 24, hour: 0, minute: 0 },
        to: { year: 2026, month: 12, day: 27, hour: 0, minute: 0 }
      }
    ])
    expect(s.smokeTests.map((c) => [c.name, c.kind])).toEqual([
      ['Homepage', 'http'],
      ['Schema', 'command']
    ])
    expect(s.monitorChecks.map((c) => c.name)).toEqual(['Homepage'])
  })

  it('reads unquoted YAML dates in a freeze window of the file as local date-times', () => {
    writePolicy('freeze:\n  - from: 2026-12-24\n    to: 2026-12-27 06:30:00\n')
    const { raw } = mergeInputs(inputs({ environment: 'production', 'dry-run': 'true' }), workspace)
    expect(parseSettings(raw).freeze).toEqual([
      {
        kind: 'dated',
        from: { year: 2026, month: 12, day: 24, hour: 0, minute: 0 },
        to: { year: 2026, month: 12, day: 27, hour: 6, minute: 30 }
      }
    ])
  })

  it('lets non-empty workflow inputs win over the file', () => {
    writePolicy(POLICY)
    const { raw } = mergeInputs(
      inputs({
        environment: 'production',
        'dry-run': 'false',
        'deploy-command': './deploy.sh',
        'monitor-failures': '4',
        freeze: '[]',
        timezone: '' // unset: the file's value stays
      }),
      workspace
    )
    const s = parseSettings(raw)
    expect(s.environment).toBe('production')
    expect(s.dryRun).toBe(false)
    expect(s.monitorFailures).toBe(4)
    expect(s.freeze).toEqual([])
    expect(s.timeZone).toBe('Europe/Paris')
    expect(s.productionEnvironments).toEqual(['production', 'prod-eu'])
  })

  it('reads a policy file named by the config input, relative to the workspace', () => {
    writePolicy('urgency: P2\n', 'deploy/policy.yaml')
    const { raw, configFile } = mergeInputs(
      inputs({ config: 'deploy/policy.yaml', environment: 'qa', 'dry-run': 'true' }),
      workspace
    )
    expect(configFile).toBe('deploy/policy.yaml')
    expect(parseSettings(raw).urgency).toBe('P2')
  })

  it('refuses an unknown key, naming it', () => {
    writePolicy('environment: production\nfreeze-windows: []\n')
    expect(() => mergeInputs(inputs({}), workspace)).toThrow(SettingsError)
    expect(() => mergeInputs(inputs({}), workspace)).toThrow(
      /input "config": unknown key "freeze-windows" in the policy file/
    )
  })

  it('refuses a config key inside the policy file', () => {
    writePolicy('config: other.yml\n')
    expect(() => mergeInputs(inputs({}), workspace)).toThrow(/unknown key "config"/)
  })

  it('fails when an explicit config file is missing', () => {
    expect(() => mergeInputs(inputs({ config: 'nowhere/policy.yml' }), workspace)).toThrow(
      /input "config": expected an existing policy file, got "nowhere\/policy.yml"/
    )
  })

  it('is fine without the default policy file', () => {
    const { raw, configFile } = mergeInputs(
      inputs({ environment: 'production', 'dry-run': 'true' }),
      workspace
    )
    expect(configFile).toBeUndefined()
    expect(raw).toEqual({ environment: 'production', 'dry-run': 'true' })
  })

  it('refuses a malformed YAML file, naming config', () => {
    writePolicy('environment: production\nfreeze: [unclosed\n')
    expect(() => mergeInputs(inputs({}), workspace)).toThrow(
      /input "config": expected a readable YAML policy file: /
    )
  })

  it('refuses a file that is not a mapping', () => {
    writePolicy('- environment\n- production\n')
    expect(() => mergeInputs(inputs({}), workspace)).toThrow(
      /input "config": expected a YAML mapping of input names to values/
    )
  })

  it('accepts an empty policy file', () => {
    writePolicy('# nothing yet\n')
    const { raw } = mergeInputs(inputs({ environment: 'production' }), workspace)
    expect(raw).toEqual({ environment: 'production' })
  })

  it('knows every input name of action.yml', () => {
    // a policy file may set any input but config
    writePolicy(
      INPUT_NAMES.filter((n) => n !== 'config')
        .map((n) => `${n}: ""`)
        .join('\n')
    )
    expect(() => mergeInputs(inputs({}), workspace)).not.toThrow()
  })
})

describe('freeze sources: holidays, freeze-calendar, deploy-hours, runway', () => {
  it('reads them', () => {
    const s = parseSettings({
      ...BASE,
      holidays: 'fr, DE-BY',
      'freeze-calendar': 'ops/freeze.ics\nhttps://calendar.example/feed.ics?token=s3cret',
      'deploy-hours': 'Mon-Thu 09:00-17:00, Fri 09:00-12:00',
      runway: '1h'
    })
    expect(s.holidays).toEqual(['FR', 'DE-BY'])
    expect(s.freezeCalendars).toEqual([
      'ops/freeze.ics',
      'https://calendar.example/feed.ics?token=s3cret'
    ])
    expect(s.deployHours).toHaveLength(5)
    expect(s.runwayMs).toBe(3_600_000)
  })

  it('runway defaults to the watch plus 15 minutes', () => {
    expect(parseSettings({ ...BASE, 'monitor-duration': '30m' }).runwayMs).toBe(45 * 60_000)
    expect(parseSettings({ ...BASE }).holidays).toEqual([])
  })

  it('refuses bad deploy hours naming the input and showing a valid example', () => {
    expect(problemOf({ ...BASE, 'deploy-hours': 'weekdays 9 to 5' }).message).toMatch(
      /input "deploy-hours": expected days and hours such as "Mon-Thu 09:00-17:00, Fri 09:00-12:00"/
    )
  })

  it('refuses codes that are not ISO 3166, and sources that are not paths or http(s) URLs', () => {
    expect(problemOf({ ...BASE, holidays: 'France' }).message).toMatch(
      /input "holidays": expected ISO 3166 country or subdivision codes/
    )
    expect(problemOf({ ...BASE, 'freeze-calendar': 'ftp://x.example/a.ics' }).message).toMatch(
      /input "freeze-calendar": expected iCalendar sources/
    )
  })

  it('masks each calendar URL as a secret', () => {
    expect(secretValues({ 'freeze-calendar': 'a.ics, https://cal.example/p?token=1' })).toContain(
      'https://cal.example/p?token=1'
    )
  })

  it('refuses a holiday code the data does not know before anything runs', async () => {
    await expect(refuseUnknownHolidays({ holidays: ['FR', 'XX'] })).rejects.toThrow(
      /input "holidays": expected ISO 3166 codes of countries or subdivisions the holiday data knows.*XX/
    )
    await expect(refuseUnknownHolidays({ holidays: ['US-CA'] })).resolves.toBeUndefined()
  })
})

describe('Slack bot-token mode', () => {
  it('reads slack-token, slack-channel and slack-api-url (default https://slack.com/api/)', () => {
    const s = parseSettings({
      ...BASE,
      'slack-token': 'xoxb-1-2-3',
      'slack-channel': 'C0123456789'
    })
    expect(s.slackBot).toEqual({
      token: 'xoxb-1-2-3',
      channel: 'C0123456789',
      apiUrl: 'https://slack.com/api/'
    })
    expect(
      parseSettings({
        ...BASE,
        'slack-token': 'xoxb-1',
        'slack-channel': 'G0PRIVATE1',
        'slack-api-url': 'https://slack-gov.com/api/'
      }).slackBot?.apiUrl
    ).toBe('https://slack-gov.com/api/')
    expect(parseSettings(BASE).slackBot).toBeUndefined()
  })

  it('refuses a channel name instead of an ID, naming the input and what to use', () => {
    const e = problemOf({ ...BASE, 'slack-token': 'xoxb-1', 'slack-channel': '#deployments' })
    expect(e.message).toContain(
      'input "slack-channel": expected a channel ID like C0123456789, not a channel name'
    )
    expect(e.message).toContain('"#deployments"')
    expect(
      problemOf({ ...BASE, 'slack-token': 'xoxb-1', 'slack-channel': 'deployments' }).message
    ).toContain('input "slack-channel": expected a Slack channel ID (C…, G… or D…')
  })

  it('refuses either of slack-token and slack-channel without the other', () => {
    expect(problemOf({ ...BASE, 'slack-token': 'xoxb-1' }).message).toContain(
      'input "slack-channel": expected a channel ID like C0123456789, since slack-token is set'
    )
    expect(problemOf({ ...BASE, 'slack-channel': 'C0123456789' }).message).toContain(
      'input "slack-token": expected a bot token (xoxb-…), since slack-channel is set'
    )
  })

  it('keeps the token out of its errors', () => {
    const e = problemOf({
      ...BASE,
      'slack-token': 'xoxb-s3cret value',
      'slack-channel': 'C0123456789'
    })
    expect(e.message).toContain('input "slack-token"')
    expect(e.message).not.toContain('s3cret')
  })
})

describe('the inputs of the contract, written out with their defaults', () => {
  it('accepts their defaults written out', () => {
    expect(() =>
      parseSettings({
        ...BASE,
        'resume-postponed': 'false',
        'slack-api-url': 'https://slack.com/api/'
      })
    ).not.toThrow()
  })

  it('still requires an environment outside resume mode', () => {
    expect(problemOf({ 'deploy-command': './deploy.sh' }).message).toMatch(
      /input "environment": expected a non-empty name \(required unless resume-postponed is true\)/
    )
  })
})

describe('resume-postponed and postpone-expiry (docs/design.md section 14)', () => {
  it('resume mode needs neither an environment nor a deploy-command', () => {
    const s = parseSettings({ 'resume-postponed': 'true' })
    expect(s.resumePostponed).toBe(true)
    expect(s.environment).toBe('')
    expect(s.postponeExpiryMs).toBe(7 * 86_400_000)
  })

  it('an environment limits the releases resumed', () => {
    expect(
      parseSettings({ 'resume-postponed': 'true', environment: 'production' }).environment
    ).toBe('production')
  })

  it('reads postpone-expiry as a duration, and refuses what is not one', () => {
    expect(parseSettings({ ...BASE, 'postpone-expiry': '2d' }).postponeExpiryMs).toBe(
      2 * 86_400_000
    )
    expect(problemOf({ ...BASE, 'postpone-expiry': 'a week' }).message).toMatch(
      /input "postpone-expiry": expected a positive duration/
    )
    expect(problemOf({ ...BASE, 'resume-postponed': 'yes' }).message).toMatch(
      /input "resume-postponed": expected true or false/
    )
  })
})
