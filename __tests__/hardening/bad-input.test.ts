/**
 * Hardening, point 1: every input of action.yml with invalid values goes through `run()`.
 * A bad input stops the step with one failure naming it, before any command runs and
 * before any request reaches GitHub; no value, however strange, makes `run()` throw.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import yaml from 'js-yaml'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startStandIns, type StandIns } from '../../__fixtures__/start-stand-ins.js'
import { runCommand } from '../../src/run/command.js'
import { INPUT_NAMES, type InputName } from '../../src/settings/schema.js'
import {
  fakeCore,
  newJob,
  recordOf,
  runAction,
  STACK_LINE,
  type Job,
  type Outcome
} from './harness.js'

let stand: StandIns
let monitoring: SampleService
let job: Job

beforeAll(async () => {
  stand = await startStandIns()
  monitoring = await startSampleService()
  job = newJob()
  const file = (name: string, body: string): void => writeFileSync(join(job.workspace, name), body)
  file('policy.yml', 'timezone: Europe/Paris\nlanguage: fr\n')
  file('broken.yml', 'urgency: [P1\nreason: "unclosed\n')
  file('list.yml', '- environment\n- production\n')
  file('scalar.yml', 'just some text\n')
  file('unknown-key.yml', 'colour: red\n')
  file('bad-value.yml', 'urgency: P9\n')
  mkdirSync(join(job.workspace, 'a-directory.yml'))
})

afterAll(async () => {
  await monitoring.close()
  await stand.close()
  job.remove()
})

beforeEach(() => job.clearMarkers())

/** A complete, valid production release: every command leaves a marker when it runs. */
function base(): Record<string, string> {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.0',
    'github-token': 'ghs_hardening-token',
    'deploy-command': 'touch ran-deploy',
    'rollback-command': 'touch ran-rollback',
    'backup-command': 'touch ran-backup',
    'migrate-check-command': 'touch ran-migrate-check',
    'migrate-command': 'touch ran-migrate',
    'migrate-rollback-command': 'touch ran-migrate-rollback',
    'monitoring-url': `${monitoring.url}/health`,
    'smoke-tests': `- name: Health\n  url: ${monitoring.url}/health`,
    'checks-timeout': '1s',
    'command-timeout': '10s',
    'monitor-duration': '0',
    'pr-comment': 'false'
  }
}

async function runWith(
  inputs: Record<string, string>,
  platform?: NodeJS.Platform
): Promise<Outcome & { requests: number }> {
  const before = stand.api.requests.length
  const outcome = await runAction(inputs, { job, apiUrl: stand.api.url, platform })
  return { ...outcome, requests: stand.api.requests.length - before }
}

/** One invalid value; `names` is the input the message must name when it is not `input`. */
interface Bad {
  input: InputName
  value: string
  why: string
  /** other inputs set for this case ('' unsets one of the base) */
  with?: Record<string, string>
  names?: InputName
}

const SAMPLE_URL = 'https://hooks.example.com/services/T000/B000/XXXXSECRET'
const bad = (input: InputName, why: string, values: string[], extra: Partial<Bad> = {}): Bad[] =>
  values.map((value) => ({ input, value, why, ...extra }))

const BAD_DURATIONS = ['0', '0s', '0ms', '-5m', '15', 'fast', '1h30', '5 m', '1.5.5s', '1000h']

const BAD: Bad[] = [
  ...bad('forward-only-migrations', 'not a boolean', ['yes', '1']),
  ...bad('environment-url', 'not an http(s) URL', ['ftp://shop.example', 'shop']),
  ...bad('bake-time', 'not a duration', ['fast', '-5m', '1000h']),
  ...bad('holidays', 'not a known country or subdivision', ['XX-NOWHERE']),
  ...bad('freeze-calendar', 'not a readable calendar source', ['ftp://calendar.example/x.ics']),
  ...bad('deploy-hours', 'not hours such as Mon-Fri 09:00-17:00', ['sometimes', 'Mon 17:00-09:00']),
  ...bad('runway', 'not a positive duration', ['fast', '-5m']),
  ...bad('resume-postponed', 'not a boolean', ['yes', 'on']),
  ...bad('postpone-expiry', 'not a positive duration', ['forever', '0']),
  ...bad('slack-token', 'a header cannot carry control characters', ['xoxbXXXX\nSECRET'], {
    with: { 'slack-channel': 'C0123456' }
  }),
  ...bad('slack-channel', 'a channel name instead of an ID', ['#deployments'], {
    with: { 'slack-token': 'xoxb-1-2-3' }
  }),
  ...bad('slack-api-url', 'not an http(s) URL', ['ftp://slack.example/api/']),
  ...bad('environment', 'empty, a required value', ['', '   ']),
  ...bad('environment', 'control characters or too long', [
    'prod\nuction',
    'prod\u0000',
    'prod\u001b[31m',
    'p'.repeat(256)
  ]),
  ...bad('version', 'control characters or too long', [
    'v1.2.0\n::set-output name=status::deployed',
    'v1\u0000',
    'v1\u0007',
    'v'.repeat(256)
  ]),
  ...bad('urgency', 'unknown level', ['P0', 'P5', 'high', 'urgent', '1', 'P1; rm -rf /']),
  ...bad('reason', 'empty with urgency P1', [''], { with: { urgency: 'P1' } }),
  ...bad('reason', 'blank with urgency P1', [' \n\t '], { with: { urgency: 'p1' } }),
  ...bad('dry-run', 'not a boolean', ['yes', '1', 'on', 'maybe', 'tru']),
  ...bad('config', 'missing file', ['missing.yml', '/nonexistent/red-button.yml']),
  ...bad('config', 'unreadable or malformed policy file', [
    'broken.yml',
    'list.yml',
    'scalar.yml',
    'unknown-key.yml',
    'a-directory.yml'
  ]),
  { input: 'config', value: 'bad-value.yml', why: 'bad value in the file', names: 'urgency' },
  ...bad('language', 'unknown language', ['de', 'english', 'en-US', 'fr_FR']),
  ...bad('github-token', 'a header cannot carry control characters', [
    'ghs_abc\ndef',
    'ghs_abc\u0000def'
  ]),
  ...bad('deploy-command', 'empty, required unless dry-run', ['', ' ']),
  ...[
    'deploy-command',
    'rollback-command',
    'backup-command',
    'migrate-check-command',
    'migrate-command',
    'migrate-rollback-command'
  ].flatMap((input) =>
    bad(input as InputName, 'bash cannot be given a NUL character', [
      'touch ran-nul\u0000; echo XXXXSECRET'
    ])
  ),
  ...bad('command-timeout', 'not a positive duration', BAD_DURATIONS),
  ...bad('required-checks', 'malformed YAML or not names', [
    '[build, test',
    '- build\n- [test',
    '- {build: yes}',
    '[build, [test]]'
  ]),
  ...bad('checks-timeout', 'not a positive duration', BAD_DURATIONS),
  ...bad('staging-environment', 'control characters, too long or no name', [
    'stag\ting',
    ', ,',
    '[]',
    'staging\u0000',
    's'.repeat(256)
  ]),
  ...bad('bake-time', 'not a duration', ['-5m', 'fast', '1h30', '1000h']),
  ...bad('production-environments', 'malformed YAML or not names', [
    '[production',
    '- production\n- {live: true}'
  ]),
  ...bad('monitoring-url', 'not http(s)', [
    'ftp://monitoring.example.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'monitoring.example.com/health',
    'http://',
    '[https://ok.example.com, gopher://x]',
    '- [unclosed'
  ]),
  ...bad('timezone', 'unknown IANA zone', ['Mars/Olympus', 'UTC+25', 'Europe/Pariss', 'CET; id']),
  ...bad('freeze', 'malformed YAML', ['- from: "Fri 14:00"\n  to: [', '{from: Fri']),
  ...bad('freeze', 'wrong type', ['42', 'true', 'from: Fri 14:00\nto: Mon 00:00', '- Fri 14:00']),
  ...bad('freeze', 'unknown day', [
    '- from: "Fry 14:00"\n  to: "Mon 00:00"',
    '- days: [Mon, Funday]\n  from: "11:30"\n  to: "14:00"'
  ]),
  ...bad('freeze', 'impossible date or time', [
    '- from: "2026-02-30 00:00"\n  to: "2026-03-02 00:00"',
    '- from: "2026-13-01 00:00"\n  to: "2026-12-27 00:00"',
    '- from: "Fri 25:00"\n  to: "Mon 00:00"',
    '- from: "Fri 14:60"\n  to: "Mon 00:00"'
  ]),
  ...bad('freeze', 'incomplete or unknown keys', [
    '- from: "Fri 14:00"',
    '- from: "Fri 14:00"\n  to: "Mon 00:00"\n  colour: red',
    '- from: "2026-12-27 00:00"\n  to: "2026-12-24 00:00"'
  ]),
  ...bad('smoke-tests', 'malformed YAML or wrong shape', [
    '- name: Health\n  url: [',
    '42',
    'name: Health',
    '- url: https://shop.example.com/',
    '- name: Health\n  url: ftp://shop.example.com/',
    '- name: Health\n  url: https://shop.example.com/\n  status: 700',
    '- name: Health\n  url: https://shop.example.com/\n  max-ms: -5',
    '- name: Health\n  url: https://shop.example.com/\n  colour: red',
    '- name: Health\n  url: https://shop.example.com/\n  timeout: 1000h',
    '- name: Login\n  run: "./login.sh\\0"',
    '- name: A\n  url: https://a.example/\n- name: A\n  url: https://b.example/'
  ]),
  ...bad('monitor-checks', 'malformed YAML or wrong shape', [
    '- name: Errors\n  prometheus: [',
    '"a string"',
    '- name: Errors\n  prometheus: https://prom.example.com\n  max: lots\n  query: up',
    '- name: Login\n  run: ./login.sh\n  url: https://shop.example.com/'
  ]),
  ...bad('monitor-duration', 'negative or not a duration', [
    '-1m',
    'forever',
    '30',
    '0.5',
    '1000h'
  ]),
  ...bad('monitor-interval', 'not a positive duration', ['0', '0s', '-30s', 'often', '1000h']),
  ...bad('monitor-failures', 'not a whole number of at least 1', ['0', '-1', '1.5', 'two', '1e3']),
  ...bad('notify-lead-time', 'negative or not a duration', ['-5m', 'soon', '5 minutes', '1000h']),
  ...bad('slack-webhook', 'not http(s)', [
    'hooks.example.com/services/T000/B000/XXXXSECRET',
    'ftp://hooks.example.com/XXXXSECRET',
    'javascript:alert("XXXXSECRET")'
  ]),
  ...bad('teams-webhook', 'not http(s)', ['XXXXSECRET', 'mailto:XXXXSECRET@example.com']),
  ...bad('webhook-url', 'not http(s)', ['//example.com/XXXXSECRET', 'data:,XXXXSECRET']),
  ...bad('webhook-secret', 'set without webhook-url', ['XXXXSECRET'], { names: 'webhook-url' }),
  ...bad('pr-comment', 'not a boolean', ['yes', 'no', '0', 'enabled']),
  ...bad('grafana-url', 'not http(s)', ['grafana.example.com', 'ws://grafana.example.com'], {
    with: { 'grafana-token': 'glsa_XXXXSECRET' }
  }),
  ...bad('grafana-token', 'missing while grafana-url is set', [''], {
    with: { 'grafana-url': 'https://grafana.example.com' }
  }),
  ...bad('grafana-token', 'a header cannot carry control characters', ['glsa_XXXX\nSECRET'], {
    with: { 'grafana-url': 'https://grafana.example.com' }
  }),
  ...bad('datadog-api-key', 'a header cannot carry control characters', ['dd_XXXX\r\nSECRET']),
  ...bad('datadog-site', 'not a host name', [
    'datadoghq.com/evil',
    'https://datadoghq.com',
    'datadog hq.com',
    'evil.example?x=',
    'user@datadoghq.com'
  ]),
  ...bad('migrations-path', 'outside the repository, or absolute', [
    '/etc/*.sql',
    '../other/db/*.sql',
    'db/../../*.sql',
    '- db/*.sql\n- /var/lib/*.sql',
    'C:/db/*.sql'
  ]),
  ...bad('migration-lint', 'not error, warn or off', ['strict', 'true', 'on']),
  ...bad('required-approvals', 'not a whole number from 0 to 100', ['-1', 'one', '1.5', '101']),
  ...bad('alertmanager-url', 'not an http(s) URL', ['ftp://alertmanager.example', 'alertmanager']),
  ...bad('alertmanager-token', 'a header cannot carry control characters', ['amXXXX\nSECRET'], {
    with: { 'alertmanager-url': 'https://alertmanager.example' }
  }),
  ...bad('alertmanager-token', 'a token without alertmanager-url', ['am_token'], {
    names: 'alertmanager-url'
  }),
  ...bad(
    'alert-filter',
    'not Alertmanager matchers',
    ['severity=critical', 'severity="critical" service="shop"', 'service=~"("', '="x"'],
    { with: { 'alertmanager-url': 'https://alertmanager.example' } }
  )
]

/**
 * Inputs with no invalid value of their own, and why. Each still has its checks elsewhere:
 * missing ones are items of the checklist, and the table above covers the combinations.
 */
const ANY_TEXT: Partial<Record<InputName, string>> = {
  reason:
    'free text, recorded and announced (escaped where rendered); only required with P1 (in the table)',
  'rollback-command':
    'a bash script as written in a workflow `run:` (any text but NUL, in the table); without it and without rollback-plan the `rollback` item fails',
  'rollback-plan': 'free text for humans; recorded and escaped where rendered',
  'backup-command':
    'a bash script (any text but NUL); its absence for production migrations is the `backup` item, not an input error',
  'migrate-check-command':
    'a bash script (any text but NUL); its absence with migrate-command fails the `migrations` item',
  'migrate-command': 'a bash script (any text but NUL)',
  'migrate-rollback-command': 'a bash script (any text but NUL)',
  migrations:
    'names for the record only: any text is kept (YAML-quoted in the record, escaped in the summary)',
  'webhook-secret': 'an HMAC key: any bytes are a valid key (alone it is in the table)'
}

describe('every input of action.yml is covered', () => {
  it('each input has invalid values in the table, or a documented reason to accept any text', () => {
    const covered = new Set<string>([...BAD.map((b) => b.input), ...Object.keys(ANY_TEXT)])
    expect([...covered].sort()).toEqual([...INPUT_NAMES].sort())
    const declared = Object.keys(
      (yaml.load(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> }).inputs
    )
    expect([...INPUT_NAMES].sort()).toEqual(declared.sort())
  })

  it('the base inputs are valid: the same harness sees commands run and GitHub called', async () => {
    const r = await runWith(base())
    expect(r.core.failures).toEqual([])
    expect(r.status).toBe('deployed')
    expect(job.markers().sort()).toEqual([
      'ran-backup',
      'ran-deploy',
      'ran-migrate',
      'ran-migrate-check'
    ])
    expect(r.requests).toBeGreaterThan(0)
  })
})

describe('a Windows runner', () => {
  it('is refused at once, naming the supported runners, before anything runs', async () => {
    const r = await runWith(base(), 'win32')
    expect(r.core.failures).toEqual([expect.stringMatching(/Linux and macOS runners/)])
    expect(r.core.failures[0]).toContain('not on Windows')
    expect(r.core.failures[0]).not.toMatch(STACK_LINE)
    expect(r.core.outputs.status).toBe('aborted')
    expect(job.markers()).toEqual([])
    expect(r.requests).toBe(0)
  })

  it('Linux and macOS are not refused', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const r = await runWith({ ...base(), 'dry-run': 'true' }, platform)
      expect(r.core.failures).toEqual([])
      expect(r.core.outputs.status).toBe('planned')
    }
  })
})

describe('a bad input fails the step once, naming it, before anything runs', () => {
  it.each(BAD.map((b) => [b.input, b.why, JSON.stringify(b.value), b] as const))(
    '%s (%s): %s',
    async (_input, _why, _shown, b) => {
      const r = await runWith({ ...base(), ...b.with, [b.input]: b.value })
      expect(r.thrown).toBeUndefined()
      expect(r.core.failures).toHaveLength(1)
      const message = r.core.failures[0] as string
      expect(message).toContain(`"${b.names ?? b.input}"`)
      expect(message).not.toMatch(STACK_LINE)
      expect(r.core.logs.join('\n')).not.toMatch(STACK_LINE)
      // secrets are never echoed back
      expect(message).not.toContain('XXXXSECRET')
      expect(message).not.toContain(SAMPLE_URL)
      expect(job.markers()).toEqual([])
      expect(r.requests).toBe(0)
      // still outputs and a record that says what to fix, with nothing checked or run
      expect(r.status).toBe('aborted')
      expect(r.core.outputs.status).toBe('aborted')
      const rec = (
        yaml.load(r.core.outputs.record ?? '') as { deployment: Record<string, unknown> }
      ).deployment
      expect(rec).toMatchObject({ status: 'aborted', checklist: [], steps: [] })
      expect(rec.error).toContain(`"${b.names ?? b.input}"`)
      expect(r.core.outputs.record).not.toContain('XXXXSECRET')
      expect(r.core.outputs.record).not.toContain(SAMPLE_URL)
    }
  )

  it('names every bad input of a run at once, still in one failure', async () => {
    const r = await runWith({
      ...base(),
      urgency: 'P7',
      language: 'klingon',
      'monitor-failures': 'zero'
    })
    expect(r.core.failures).toHaveLength(1)
    for (const name of ['urgency', 'language', 'monitor-failures'])
      expect(r.core.failures[0]).toContain(`"${name}"`)
    expect(r.requests).toBe(0)
  })
})

describe('inputs that take any text', () => {
  const hostile = 'x\u0007 $(touch ran-pwned) `touch ran-pwned`; touch ran-pwned <script>@channel'

  it.each(Object.keys(ANY_TEXT).filter((n) => !n.endsWith('-command')))(
    '%s accepts hostile text, which is kept as text and never run',
    async (name) => {
      const r = await runWith({
        ...base(),
        'dry-run': 'true',
        ...(name === 'webhook-secret' && { 'webhook-url': 'https://receiver.example.com/hook' }),
        [name]: hostile
      })
      expect(r.core.failures).toEqual([])
      expect(r.status).toBe('planned')
      expect(job.markers()).toEqual(['ran-migrate-check'])
      const record = recordOf(r.core.outputs)
      if (name === 'reason') expect(record.reason).toBe(hostile)
      if (name === 'rollback-plan') expect(record.rollback_plan).toBe(hostile)
      if (name === 'migrations') expect(record.migrations).toContain(hostile)
      if (name === 'webhook-secret') expect(r.core.outputs.record).not.toContain(hostile)
    }
  )

  it('a script bash cannot be given fails as a command: runCommand never throws', async () => {
    const result = await runCommand({
      command: 'touch ran-nul\u0000; echo XXXXSECRET',
      cwd: job.workspace,
      env: {},
      timeoutMs: 5000,
      log: fakeCore({}),
      label: 'nul'
    })
    expect(result).toMatchObject({ ok: false, exitCode: null, aborted: false })
    expect(result.reason).toMatch(/^could not start bash/)
    expect(result.reason).not.toContain('XXXXSECRET')
    expect(job.markers()).toEqual([])
  })

  it('command inputs are scripts: in a dry run none but migrate-check-command runs', async () => {
    const r = await runWith({ ...base(), 'dry-run': 'true' })
    expect(r.status).toBe('planned')
    expect(job.markers()).toEqual(['ran-migrate-check'])
  })
})

// ---------------------------------------------------------------------------------------
// Property: whatever the inputs, run() completes or fails once on an input; it never throws.

const GARBAGE_FRAGMENTS = [
  '$(touch ran-pwned)',
  '`touch ran-pwned`',
  '; touch ran-pwned',
  '| touch ran-pwned',
  '- from: [',
  '{a: b',
  '[1, [2',
  '- {url: 1}',
  'key: value',
  '- - - -',
  '&anchor *anchor',
  '!!js/function "() => 1"',
  '!!binary AAAA',
  '? complex\n: key',
  '"unterminated',
  '%YAML 1.2\n---\n- a',
  '~',
  'null',
  '.inf',
  '-0',
  '1e999',
  '0x1F',
  '\u0000',
  '\u202e\u200b',
  '👩‍👩‍👧‍👦',
  'Ω≈ç√∫',
  '\n::set-output name=status::deployed\n',
  '::error::spoofed',
  '<script>alert(1)</script>',
  '@channel <!here>',
  '../../../../etc/passwd',
  'x'.repeat(300)
]

function validValues(monitoringUrl: string): Record<InputName, string[]> {
  return {
    environment: ['production', 'staging', 'qa-eu'],
    version: ['v1.2.0', '2026.11.24-1', 'v1$(touch ran-pwned)'],
    urgency: ['P1', 'P2', 'P3', 'p4'],
    reason: ['hotfix for checkout', 'fix `$(touch ran-pwned)` <script>'],
    'dry-run': ['true', 'TRUE'],
    config: ['policy.yml'],
    language: ['en', 'fr', 'FR'],
    'github-token': ['ghs_property-token'],
    'deploy-command': ['touch ran-deploy'],
    'rollback-command': ['touch ran-rollback'],
    'rollback-plan': ['Redeploy the previous tag by hand'],
    'backup-command': ['touch ran-backup'],
    'migrate-check-command': ['touch ran-migrate-check'],
    'migrate-command': ['touch ran-migrate'],
    'migrate-rollback-command': ['touch ran-migrate-rollback'],
    'forward-only-migrations': ['false'],
    'environment-url': [''],
    migrations: ['add_users, drop_legacy', '001_init\n002_more'],
    'command-timeout': ['5s', '10s'],
    'required-checks': ['build, test', '[build, lint]', '- test'],
    'checks-timeout': ['1s', '2s'],
    'staging-environment': ['staging', 'preprod', 'staging, production-canary'],
    'bake-time': ['0', '30m'],
    'production-environments': ['production', 'production, live', '[production]'],
    'monitoring-url': [monitoringUrl, 'http://127.0.0.1:9/health'],
    timezone: ['UTC', 'Europe/Paris', 'America/New_York'],
    freeze: [
      '- from: "Fri 14:00"\n  to: "Mon 00:00"',
      '[]',
      '- from: "2026-11-24 00:00"\n  to: "2026-11-25 00:00"\n  name: Audit'
    ],
    holidays: [''],
    'freeze-calendar': [''],
    'deploy-hours': [''],
    runway: [''],
    'resume-postponed': ['false'],
    'postpone-expiry': [''],
    'smoke-tests': ['- name: Health\n  url: http://127.0.0.1:9/health'],
    'monitor-checks': ['- name: Errors\n  prometheus: http://127.0.0.1:9\n  query: up\n  min: 1'],
    'monitor-duration': ['0', '2m'],
    'monitor-interval': ['30s', '1m'],
    'monitor-failures': ['1', '3'],
    'notify-lead-time': ['0s', '5m'],
    'slack-webhook': ['https://hooks.slack.example/services/T/B/X'],
    'slack-token': [''],
    'slack-channel': [''],
    'slack-api-url': ['http://127.0.0.1:9/api/'],
    'teams-webhook': ['https://teams.example/webhook'],
    'webhook-url': ['https://receiver.example/hook'],
    'webhook-secret': ['s3cr3t'],
    'pr-comment': ['true', 'false'],
    'grafana-url': ['https://grafana.example'],
    'grafana-token': ['glsa_token'],
    'datadog-api-key': ['dd_key'],
    'datadog-site': ['datadoghq.eu', 'us5.datadoghq.com'],
    'required-approvals': ['0', '1', '2'],
    'migrations-path': ['', 'db/migrations/*.sql', '- db/*.sql\n- db/{up,down}/**/*.sql'],
    'migration-lint': ['error', 'warn', 'off', 'OFF'],
    'alertmanager-url': ['http://127.0.0.1:9'],
    'alertmanager-token': ['am_token'],
    'alert-filter': ['severity="critical"', '{service=~"shop|api", env!="dev"}']
  }
}

const RUN_STATUSES = [
  'deployed',
  'planned',
  'aborted',
  'postponed',
  'rolled-back',
  'rollback-failed',
  'cancelled'
]

describe('property: any inputs end in a status or in one failure naming an input', () => {
  it('never throws, never prints a stack, never runs a command when an input is bad', async () => {
    const valid = validValues(`${monitoring.url}/health`)
    const garbage = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 24 }),
      fc.string({ unit: 'binary', maxLength: 24 }),
      fc.constantFrom(...GARBAGE_FRAGMENTS),
      fc
        .tuple(fc.constantFrom(...GARBAGE_FRAGMENTS), fc.constantFrom(...GARBAGE_FRAGMENTS))
        .map(([a, b]) => `${a}\n${b}`)
    )
    const value = (name: InputName) =>
      fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid[name]) }, garbage)
    const inputSet = fc
      .uniqueArray(fc.constantFrom(...INPUT_NAMES), { maxLength: 6 })
      .chain((names) =>
        fc.record(
          Object.fromEntries(names.map((n) => [n, value(n)])) as Record<
            string,
            fc.Arbitrary<string>
          >
        )
      )

    await fc.assert(
      fc.asyncProperty(inputSet, async (chosen) => {
        job.clearMarkers()
        const inputs = {
          environment: 'production',
          // not about code review (its own tests turn it on)
          'required-approvals': '0',
          'dry-run': 'true',
          'monitoring-url': `${monitoring.url}/health`,
          'rollback-command': 'touch ran-rollback',
          'checks-timeout': '1s',
          'command-timeout': '5s',
          ...chosen
        }
        const r = await runWith(inputs)
        expect(r.thrown).toBeUndefined()
        expect(r.core.failures.join('\n')).not.toMatch(STACK_LINE)
        expect(r.core.logs.join('\n')).not.toMatch(STACK_LINE)
        const refused = (r.core.failures[0] ?? '').startsWith('Red Button: aborted — input "')
        if (r.core.outputs.record !== undefined && !refused) {
          // completed normally
          expect(RUN_STATUSES).toContain(r.core.outputs.status)
          expect(r.core.outputs.status).toBe(r.status)
          expect(r.core.failures.length).toBeLessThanOrEqual(1)
          if (r.status === 'planned') expect(r.core.failures).toEqual([])
        } else {
          // refused before anything ran (still with its outputs and record)
          expect(r.core.outputs.status).toBe('aborted')
          expect(r.core.failures).toHaveLength(1)
          const named = [...(r.core.failures[0] as string).matchAll(/input "([^"]+)"/g)].map(
            (m) => m[1]
          )
          expect(named.length).toBeGreaterThan(0)
          for (const n of named) expect(INPUT_NAMES).toContain(n)
          expect(job.markers()).toEqual([])
          expect(r.requests).toBe(0)
        }
      }),
      {
        numRuns: 100,
        examples: [
          // found by this property: spawn threw on the NUL byte, and run() with it
          [
            {
              'migrate-command': 'touch ran-migrate',
              'migrate-check-command': '\u0000\n$(touch ran-pwned)'
            }
          ]
        ]
      }
    )
  })
})
