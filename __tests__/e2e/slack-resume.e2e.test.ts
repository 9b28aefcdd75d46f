import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import yaml from 'js-yaml'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GitHubApi } from '../../__fixtures__/github-api.js'
import type { SampleService } from '../../__fixtures__/sample-service.js'
import { startSlackApi, type SlackApi } from '../../__fixtures__/slack-api.js'
import {
  deploymentOf,
  expectDeployedOnSame,
  RERUN_ENV,
  queueStandIns,
  releaseInputs,
  releaseStep,
  resumeStep
} from './queue-steps.js'

/**
 * One Slack message per release, across a postponement (issue 21, docs/design.md sections 10 and
 * 14), through dist/ as a runner runs it: Friday 15:00 in Paris the release is postponed and
 * posts its message; on Monday the resume step re-runs the job, and the re-run edits that same
 * message to "deployed", saying in its thread that it resumed. The clock is moved with
 * RED_BUTTON_NOW (and the stand-in's own clock), never waited for.
 */

const FRIDAY = '2026-11-27T14:00:00Z' // 15:00 in Paris, inside "Friday afternoon and weekend"
const MONDAY = '2026-11-30T08:10:00Z' // 09:10 in Paris
const RERUN = '2026-11-30T08:12:00Z' // 09:12 in Paris
const RELEASE_RUN = 7001
const RESUME_RUN = 9100
const SLACK_TOKEN = 'xoxb-e2e-0000-s3cr3tBotT0ken'
const CHANNEL = 'C0DEPLOYS01'

const stand = queueStandIns({ releaseRun: RELEASE_RUN, resumeRun: RESUME_RUN })
let api: GitHubApi
let monitoring: SampleService
let slack: SlackApi
beforeEach(async () => {
  ;({ api, monitoring } = stand)
  slack = await startSlackApi({ token: SLACK_TOKEN, channels: [CHANNEL] })
})
afterEach(() => slack.close())
const { at, queue } = stand

/** The release job (the same inputs on Friday and in Monday's re-run), with a bot token. */
function release(now: string, env: Record<string, string> = {}) {
  return releaseStep(
    queue(),
    now,
    releaseInputs(monitoring.url, {
      'deploy-command': 'bash step.sh deploy',
      'rollback-command': 'bash step.sh rollback',
      'smoke-tests': `- name: Health\n  url: ${monitoring.url}/health`,
      'monitor-duration': '1s',
      'monitor-interval': '500ms',
      'pr-comment': 'false',
      'slack-token': SLACK_TOKEN,
      'slack-channel': CHANNEL,
      'slack-api-url': slack.url
    }),
    env,
    (job) => writeFileSync(join(job.workspace, 'step.sh'), 'echo "$1"\n')
  )
}

const resume = (now: string, inputs: Record<string, string> = {}) =>
  resumeStep(queue(), now, inputs)

const deployment = (id: number) => deploymentOf(api, id)

type RecordYaml = { deployment: { slack?: { channel: string; ts: string } } }

describe('a release postponed on Friday and resumed on Monday, with a Slack bot token', () => {
  it('leaves one Slack message, edited on Monday to "deployed", resumed in its thread', async () => {
    at(FRIDAY)
    const ownJob = api.addJob({ run_id: RELEASE_RUN, name: 'release', runner_name: 'runner-7' })
    const friday = await release(FRIDAY)
    expect(friday.outputs.status).toBe('postponed')
    const id = Number(friday.outputs['deployment-id'])
    expect(id).toBeGreaterThan(0)

    // Friday: one message, saying until when; its place is kept on the queued deployment
    const onFriday = slack.topLevel(CHANNEL)
    expect(onFriday).toHaveLength(1)
    const message = onFriday[0]!
    expect(message.text).toContain('postponed')
    expect(message.replies).toEqual([])
    // posted before the deployment was queued, then edited to say how to drop it
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update'])
    expect(JSON.stringify(message.blocks)).toContain(`deployments/${id}/statuses -f state=inactive`)
    expect(deployment(id).payload).toMatchObject({
      red_button: { slack: { channel: CHANNEL, ts: message.ts } }
    })
    const fridayRecord = yaml.load(friday.outputs.record ?? '') as RecordYaml
    expect(fridayRecord.deployment.slack).toEqual({ channel: CHANNEL, ts: message.ts })
    const fridayCalls = slack.calls.length

    // the postponed job failed (status postponed): its run is over
    api.state.runs.find((r) => r.id === RELEASE_RUN)!.status = 'completed'
    ownJob.status = 'completed'

    // Monday: the resume step asks GitHub to re-run the job; it says nothing on Slack
    at(MONDAY)
    const monday = await resume(MONDAY)
    expect(monday.outputs.status).toBe('resumed')
    expect(slack.calls).toHaveLength(fridayCalls)

    // the re-run, attempt 2, deploys on the same deployment and edits the same message
    at(RERUN)
    const rerun = await release(RERUN, RERUN_ENV)
    expectDeployedOnSame(api, rerun, id, 'production')

    const top = slack.topLevel(CHANNEL)
    expect(top).toHaveLength(1)
    expect(top[0]?.ts).toBe(message.ts)
    expect(top[0]?.text).toContain('v1.2.0 deployed to production')
    // its history: postponed on Friday, then Monday's states, the last one deployed
    expect(top[0]?.edits[0]).toContain('postponed')
    expect(top[0]?.edits.some((t) => t.includes('Deploying v1.2.0 to production'))).toBe(true)
    // every Monday call went to that message: edits, or replies in its thread
    const mondayCalls = slack.calls.slice(fridayCalls)
    expect(mondayCalls.every((c) => c.answer.ok === true)).toBe(true)
    expect(mondayCalls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts)).toEqual(
      []
    )
    expect(mondayCalls.filter((c) => c.method === 'chat.update').map((c) => c.args.ts)).toEqual(
      expect.arrayContaining([message.ts])
    )
    expect(new Set(mondayCalls.map((c) => c.args.ts ?? c.args.thread_ts))).toEqual(
      new Set([message.ts])
    )
    expect(top[0]?.replies.map((r) => r.text)).toEqual([
      expect.stringMatching(/^Resumed Monday 30 November 09:12/),
      expect.stringMatching(/^✅ deploy: passed/),
      expect.stringMatching(/^✅ smoke: passed/),
      expect.stringMatching(/^✅ monitor: passed/)
    ])

    // the re-run's record keeps the message
    const record = yaml.load(rerun.outputs.record ?? '') as RecordYaml
    expect(record.deployment.slack).toEqual({ channel: CHANNEL, ts: message.ts })
    expect(rerun.outputs.record).not.toContain('notification slack')
  }, 120_000)
})
