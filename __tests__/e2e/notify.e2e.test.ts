import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import {
  hasValidSignature,
  startReceiver,
  type Receiver
} from '../../__fixtures__/webhook-receiver.js'
import {
  baseEnv,
  newJob,
  removeJob,
  runMain,
  type RunnerJob,
  type StepResult
} from './action-runner.js'
import type { SlackPayload } from '../../src/notify/slack.js'

const TUESDAY = '2026-11-24T10:00:00Z'
const TOKEN = 'ghs_e2e-test-token-0123456789'
const HMAC_KEY = 'hmac-key-s3cr3t-4242'
const SLACK_PATH = '/services/T000/B000/slacksecretpath'
const TEAMS_PATH = '/workflows/teamssecretpath'
const HOOK_PATH = '/hooks/webhooksecretpath'

let api: GitHubApi
let service: SampleService
let slack: Receiver
let teams: Receiver
let hook: Receiver
let job: RunnerJob

beforeEach(async () => {
  api = await startReleasableApi()
  api.addPull(DEFAULT_SHA, {
    number: 42,
    title: 'Add <script>alert(1)</script> @here | exports',
    head_ref: 'feature/x'
  })
  service = await startSampleService()
  ;[slack, teams, hook] = await Promise.all([startReceiver(), startReceiver(), startReceiver()])
  job = newJob()
  // Commands log the instant they start, to compare with when messages arrived.
  writeFileSync(
    join(job.workspace, 'step.sh'),
    'echo "$1 $(date +%s%3N)" >> "$GITHUB_WORKSPACE/order.log"\n'
  )
})

afterEach(async () => {
  await Promise.all([service.close(), api.close(), slack.close(), teams.close(), hook.close()])
  removeJob(job)
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.0',
    'monitoring-url': `${service.url}/health`,
    'backup-command': 'bash step.sh backup',
    'deploy-command': 'bash step.sh deploy',
    'rollback-command': 'bash step.sh rollback',
    'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
    'monitor-duration': '1s',
    'monitor-interval': '500ms',
    'slack-webhook': slack.url + SLACK_PATH,
    'teams-webhook': teams.url + TEAMS_PATH,
    'webhook-url': hook.url + HOOK_PATH,
    'webhook-secret': HMAC_KEY,
    reason: 'Ship <!channel> *now* <http://evil.example|click>',
    ...extra
  }
}

function main(extra: Record<string, string> = {}): Promise<StepResult> {
  return runMain(
    job,
    { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: TUESDAY },
    { inputs: inputs(extra) }
  )
}

function startedAt(step: string): number {
  const line = readFileSync(join(job.workspace, 'order.log'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${step} `))
  return Number(line?.split(' ')[1])
}

describe('notifications of a deployment run by dist/', () => {
  it('tells every channel before the backup and after the monitoring window', async () => {
    const r = await main()
    expect(r.outputs.status).toBe('deployed')
    for (const receiver of [slack, teams, hook]) {
      expect(receiver.requests.map((q) => q.headers['x-red-button-event'] ?? q.json)).toHaveLength(
        2
      )
      const [before, after] = receiver.requests
      expect(before?.receivedAt).toBeLessThanOrEqual(startedAt('backup'))
      expect(after?.receivedAt).toBeGreaterThan(startedAt('deploy'))
    }
    expect(slack.requests[0]?.json).toMatchObject({ text: expect.stringContaining('v1.2.0') })
    // the reason's <!channel> reaches Slack only where Slack does not parse: entities in mrkdwn
    // and the fallback text, as written in a plain_text block
    const payload = slack.requests[0]?.json as SlackPayload
    expect(payload.text).not.toContain('<!channel>')
    expect(payload.text).toContain('&lt;!channel&gt;')
    for (const block of payload.blocks)
      if (JSON.stringify(block).includes('<!channel>'))
        expect(block).toMatchObject({ type: 'section', text: { type: 'plain_text' } })
    expect(teams.requests[0]?.json).toMatchObject({
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }]
    })
    const last = hook.requests[1]
    expect(last && hasValidSignature(last, HMAC_KEY)).toBe(true)
    expect(last?.json).toMatchObject({
      event: 'after',
      deployment: { status: 'deployed', version: 'v1.2.0' }
    })
    expect(r.outputs.record).toMatch(/before: "?slack, teams, webhook: /)
  })

  it('waits notify-lead-time after the "before" message, which says when', async () => {
    const r = await main({ 'notify-lead-time': '2s' })
    expect(r.outputs.status).toBe('deployed')
    const before = slack.requests[0]
    expect(JSON.stringify(before?.json)).toContain('in 2 s')
    expect(startedAt('backup') - (before?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1900)
  })

  it('a Slack endpoint answering 500 leaves a warning and the deployment deployed', async () => {
    slack.respondWith([500, 500, 500, 500, 500, 500], 500)
    const r = await main()
    expect(r.outputs.status).toBe('deployed')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/::warning::.*slack/)
    expect(r.outputs.record).toMatch(/notification slack: HTTP 500/)
    expect(hook.requests).toHaveLength(2)
  })

  it('keeps exactly one PR comment per environment over several runs', async () => {
    await main({ 'dry-run': 'true' })
    await main({ 'dry-run': 'true' })
    await main({ 'dry-run': 'true', environment: 'staging' })
    const comments = api.state.comments.filter((c) => c.issue_number === 42)
    expect(comments).toHaveLength(2)
    const production = comments.filter((c) => c.body.includes('red-button:environment=production'))
    expect(production).toHaveLength(1)
    expect(api.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1)
    // dry runs send no chat message
    expect(slack.requests).toHaveLength(0)
  })

  it('marks the deployment in Grafana from its start to the end of the watch', async () => {
    const grafana = await startReceiver()
    try {
      const r = await main({ 'grafana-url': grafana.url, 'grafana-token': 'glsa_token_secret_77' })
      expect(r.outputs.status).toBe('deployed')
      const annotation = grafana.requests.find((q) => q.path === '/api/annotations')
      expect(annotation?.headers.authorization).toBe('Bearer glsa_token_secret_77')
      const body = annotation?.json as { time: number; timeEnd: number; tags: string[] }
      expect(body.tags).toEqual(expect.arrayContaining(['production', 'v1.2.0']))
      expect(body.time).toBe(Date.parse(TUESDAY))
      expect(body.timeEnd).toBeGreaterThanOrEqual(body.time)
      expect(r.stdout.replace(/::add-mask::.*\n/g, '')).not.toContain('glsa_token_secret_77')
    } finally {
      await grafana.close()
    }
  })

  it('a token that cannot write to the PR gives a warning, not a failure', async () => {
    api.state.readOnlyComments = true
    const r = await main({ 'dry-run': 'true' })
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('planned')
    expect(r.stdout).toMatch(/::warning::PR comment not written: the token cannot write/)
  })

  it('announces a refused run, naming what failed', async () => {
    api.addCheckRun(DEFAULT_SHA, { name: 'unit', status: 'completed', conclusion: 'failure' })
    const r = await main()
    expect(r.outputs.status).toBe('aborted')
    expect(slack.requests).toHaveLength(1)
    expect(JSON.stringify(slack.requests[0]?.json)).toContain('unit')
  })

  it('never shows a secret in logs, summary, record or comments', async () => {
    const r = await main()
    const comments = api.state.comments.map((c) => c.body).join('\n')
    const record = readFileSync(r.outputs['record-file'] ?? '', 'utf8')
    const shown = [
      r.stdout.replace(/::add-mask::.*\n/g, ''),
      r.stderr,
      r.summary,
      record,
      comments,
      ...slack.requests.map((q) => q.body)
    ].join('\n')
    for (const secret of [
      TOKEN,
      HMAC_KEY,
      'slacksecretpath',
      'teamssecretpath',
      'webhooksecretpath'
    ]) {
      expect(shown).not.toContain(secret)
    }
    expect(r.stdout).toContain(`::add-mask::${slack.url + SLACK_PATH}`)
    expect(comments).not.toContain('<script>')
  })
})
