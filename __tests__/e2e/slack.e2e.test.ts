import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startSlackApi, type SlackApi } from '../../__fixtures__/slack-api.js'
import { startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import { baseEnv, newJob, removeJob, runMain, type RunnerJob } from './action-runner.js'

const TUESDAY = '2026-11-24T10:00:00Z'
const SLACK_TOKEN = 'xoxb-e2e-0000-s3cr3tBotT0ken'
const CHANNEL = 'C0DEPLOYS01'

let api: GitHubApi
let service: SampleService
let slack: SlackApi
let hook: Receiver
let job: RunnerJob

beforeEach(async () => {
  api = await startReleasableApi()
  service = await startSampleService()
  slack = await startSlackApi({ token: SLACK_TOKEN, channels: [CHANNEL], outside: ['C0NOTMINE1'] })
  hook = await startReceiver()
  job = newJob()
  writeFileSync(join(job.workspace, 'step.sh'), 'echo "$1"\n')
})

afterEach(async () => {
  await Promise.all([service.close(), api.close(), slack.close(), hook.close()])
  removeJob(job)
})

function main(extra: Record<string, string> = {}) {
  return runMain(
    job,
    { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: TUESDAY },
    {
      inputs: {
        environment: 'production',
        'required-approvals': '0',
        version: 'v1.2.0',
        'monitoring-url': `${service.url}/health`,
        'backup-command': 'bash step.sh backup',
        'deploy-command': 'bash step.sh deploy',
        'rollback-command': 'bash step.sh rollback',
        'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
        'monitor-duration': '1s',
        'monitor-interval': '500ms',
        'slack-token': SLACK_TOKEN,
        'slack-channel': CHANNEL,
        'slack-api-url': slack.url,
        // the webhook mode keeps working beside it
        'slack-webhook': `${hook.url}/services/T0/B0/hooksecret`,
        ...extra
      }
    }
  )
}

function replies(): string[] {
  return slack.topLevel(CHANNEL)[0]?.replies.map((r) => r.text) ?? []
}

describe('one Slack message per release, run by dist/', () => {
  it('a release that deploys: one message, edited to "deployed", one reply per step', async () => {
    const r = await main()
    expect(r.outputs.status).toBe('deployed')
    const top = slack.topLevel(CHANNEL)
    expect(top).toHaveLength(1)
    expect(top[0]?.text).toContain('v1.2.0 deployed to production')
    expect(top[0]?.edits[0]).toContain('Deploying v1.2.0 to production')
    expect(top[0]?.edits.some((t) => t.includes('smoke tests'))).toBe(true)
    expect(replies()).toEqual([
      expect.stringMatching(/^✅ backup: passed/),
      expect.stringMatching(/^✅ deploy: passed/),
      expect.stringMatching(/^✅ smoke: passed/),
      expect.stringMatching(/^✅ monitor: passed/)
    ])
    expect(r.outputs.record).toContain(`channel: ${CHANNEL}`)
    expect(r.outputs.record).toContain(`ts: "${top[0]?.ts}"`)
    // the webhook got its two messages as before
    expect(hook.requests).toHaveLength(2)
    // the token is masked (registered first), and never written anywhere else
    const shown = (r.stdout + r.stderr).split('\n').filter((l) => !l.startsWith('::add-mask::'))
    expect(shown.join('\n') + r.outputs.record + r.summary).not.toContain(SLACK_TOKEN)
    expect(r.stdout).toContain(`::add-mask::${SLACK_TOKEN}`)
  })

  it('a release that rolls back: one message, edited to "rolled back" with the reason', async () => {
    const r = await main({ 'deploy-command': 'bash step.sh deploy; exit 3' })
    expect(r.outputs.status).toBe('rolled-back')
    const top = slack.topLevel(CHANNEL)
    expect(top).toHaveLength(1)
    expect(top[0]?.text).toContain('rolled back')
    expect(top[0]?.text).toContain('Failed step: deploy')
    expect(top[0]?.edits.some((t) => t.includes('Rolling back v1.2.0'))).toBe(true)
    expect(replies()).toEqual([
      expect.stringMatching(/^✅ backup: passed/),
      expect.stringMatching(/^❌ deploy: failed/),
      expect.stringMatching(/^✅ rollback: passed/)
    ])
  })

  it('not_in_channel leaves the release deployed, with a warning saying what to do', async () => {
    const r = await main({ 'slack-channel': 'C0NOTMINE1' })
    expect(r.outputs.status).toBe('deployed')
    expect(r.code).toBe(0)
    expect(slack.calls).toHaveLength(1)
    expect(r.stdout).toContain('::warning::')
    expect(r.stdout).toContain('not_in_channel — invite the app to the channel: /invite @')
    expect(r.outputs.record).toContain('notification slack: not_in_channel')
  })

  it('a Slack outage leaves the release deployed, with a warning', async () => {
    slack.failAlways('*', { status: 503 })
    const r = await main()
    expect(r.outputs.status).toBe('deployed')
    expect(r.stdout).toContain('slack: chat.postMessage failed: HTTP 503')
    expect(r.outputs.record).toContain('notification slack: chat.postMessage failed: HTTP 503')
  })
})
