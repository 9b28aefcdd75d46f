import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { startSlackApi, type SlackApi, type SlackCall } from '../../__fixtures__/slack-api.js'
import { fixedClock } from '../../src/clock.js'
import { ChatAnnouncer } from '../../src/notify/announcer.js'
import { PROGRESS_EDIT_MS } from '../../src/notify/slack-thread.js'
import { SLACK_BUDGET_MS, SlackWebApi } from '../../src/notify/slack-api.js'
import { RunRecord } from '../../src/record/owner.js'
import { runState, type RunState } from '../../src/record/state.js'
import type { DeploymentRecord, StepRecord } from '../../src/record/types.js'
import { parseSettings } from '../../src/settings/schema.js'
import { fakeLog, sampleRecord } from './helpers.js'

const TOKEN = 'xoxb-1111-2222-s3cr3tT0ken'
const CHANNEL = 'C0123456789'
const OUTSIDE = 'C0OUTSIDE01'

let slack: SlackApi
beforeEach(async () => {
  slack = await startSlackApi({ token: TOKEN, channels: [CHANNEL], outside: [OUTSIDE] })
})
afterEach(() => slack.close())

function stateWith(record: Partial<DeploymentRecord> = {}, inputs: Record<string, string> = {}) {
  const settings = parseSettings({
    environment: 'production',
    'deploy-command': './deploy.sh',
    'slack-token': TOKEN,
    'slack-channel': CHANNEL,
    'slack-api-url': slack.url,
    ...inputs
  })
  const made = sampleRecord({ steps: [], timezone: 'Europe/Paris', ...record })
  const decision =
    made.status === 'postponed' ? 'postpone' : made.status === 'aborted' ? 'abort' : 'go'
  const run = new RunRecord(made, { decision, inProgress: decision === 'go' })
  return runState(
    {
      settings,
      ctx: {} as RunState['ctx'],
      version: 'v1.2.0',
      startedAt: new Date('2026-11-25T09:00:00Z'),
      recordFile: '/tmp/record.yml'
    },
    run
  )
}

function step(name: StepRecord['name'], status: StepRecord['status'], reason?: string): StepRecord {
  return { name, status, duration_ms: 1200, reason }
}

describe('one Slack message per release', () => {
  it('posts once, edits it at each change of state, and replies once per step that ran', async () => {
    const clock = fixedClock(new Date('2026-11-25T09:00:00Z'))
    const log = fakeLog()
    const state = stateWith({}, { 'notify-lead-time': '5m' })
    const announcer = new ChatAnnouncer({ clock, core: log as never })
    await announcer.before(state)
    expect(state.record.slack).toEqual({ channel: CHANNEL, ts: expect.any(String) })
    expect(state.record.notify.before).toBe("slack: 'Deploying v1.2.0 to production in 5 min'")

    announcer.news(state, { kind: 'phase', phase: 'deploying' })
    state.run.stepEnded(step('deploy', 'pass'))
    announcer.news(state, { kind: 'step', step: step('deploy', 'pass') })
    announcer.news(state, { kind: 'phase', phase: 'smoke' })
    announcer.news(state, { kind: 'step', step: step('smoke', 'pass') })
    announcer.news(state, { kind: 'phase', phase: 'watching', elapsedMs: 0, totalMs: 30 * 60_000 })
    for (let m = 1; m <= 30; m++) {
      // rounds every 30 s: the message follows at most once a minute
      await announcer.settled()
      await clock.sleep(30_000)
      announcer.news(state, {
        kind: 'phase',
        phase: 'watching',
        elapsedMs: m * 30_000,
        totalMs: 30 * 60_000
      })
    }
    announcer.news(state, { kind: 'step', step: step('rollback', 'skipped', 'not needed') })
    state.run.deployed()
    await announcer.after(state)

    const [message, ...others] = slack.topLevel(CHANNEL)
    expect(others).toHaveLength(0)
    expect(message?.text).toContain('v1.2.0 deployed to production')
    expect(message?.edits[0]).toContain('Deploying v1.2.0 to production in 5 min')
    expect(message?.edits).toContainEqual(expect.stringContaining('smoke tests'))
    const watching = message!.edits.filter((t) => t.includes('watching'))
    // 0 min, then one edit per minute at most over 15 min of rounds
    expect(watching.length).toBeLessThanOrEqual(1 + (15 * 60_000) / PROGRESS_EDIT_MS)
    expect(watching.length).toBeGreaterThan(2)
    expect(watching.at(-1)).toContain('watching 15/30 min')
    expect(message?.replies.map((r) => r.text)).toEqual([
      '✅ deploy: passed in 1s',
      '✅ smoke: passed in 1s'
    ])
    expect(state.record.notify.after).toBe("slack: 'v1.2.0 deployed to production'")
    expect(state.record.warnings ?? []).toEqual([])
  })

  it('continues an existing message: edits it and says in its thread that the release resumed', async () => {
    const clock = fixedClock(new Date('2026-11-30T08:04:00Z'))
    const earlier = stateWith({ status: 'postponed' })
    await new ChatAnnouncer({ clock, core: fakeLog() as never }).refused(earlier)
    const posted = earlier.record.slack!
    expect(slack.topLevel(CHANNEL)).toHaveLength(1)

    const state = stateWith()
    const announcer = new ChatAnnouncer({ clock, core: fakeLog() as never, existing: posted })
    await announcer.before(state)
    state.run.deployed()
    await announcer.after(state)

    const [message, ...others] = slack.topLevel(CHANNEL)
    expect(others).toHaveLength(0)
    expect(message?.ts).toBe(posted.ts)
    expect(message?.text).toContain('v1.2.0 deployed to production')
    expect(message?.replies.map((r) => r.text)).toEqual([
      'Resumed Monday 30 November 09:04 (Europe/Paris)'
    ])
    expect(state.record.slack).toEqual(posted)
    expect(
      slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts)
    ).toHaveLength(1)
  })

  it('the post step finishes the killed main step\'s message: edited, no "resumed"', async () => {
    const clock = fixedClock(new Date('2026-11-25T09:00:00Z'))
    const main = stateWith()
    await new ChatAnnouncer({ clock, core: fakeLog() as never }).before(main)
    const killed = stateWith({ slack: main.record.slack })
    killed.run.rollbackStarted('cancelled')
    killed.run.rollbackEnded({ ok: true, untouched: false, cancelled: true })
    await new ChatAnnouncer({ clock, core: fakeLog() as never }).after(killed)
    const [message, ...others] = slack.topLevel(CHANNEL)
    expect(others).toHaveLength(0)
    expect(message?.text).toContain('Deployment of v1.2.0 to production cancelled')
    expect(message?.replies).toEqual([])
  })

  it('posts a new message when the existing one is gone', async () => {
    const clock = fixedClock(new Date('2026-11-30T08:04:00Z'))
    const state = stateWith()
    const announcer = new ChatAnnouncer({
      clock,
      core: fakeLog() as never,
      existing: { channel: CHANNEL, ts: '1700000000.000001' }
    })
    await announcer.before(state)
    const [message] = slack.topLevel(CHANNEL)
    expect(state.record.slack).toEqual({ channel: CHANNEL, ts: message?.ts })
    expect(state.record.warnings ?? []).toEqual([])
  })

  it('a refusal with no message posts one', async () => {
    const state = stateWith({
      status: 'aborted',
      checklist: [{ id: 'ci', item: 'CI checks pass', status: 'fail', detail: '1 failed' }]
    })
    await new ChatAnnouncer({ clock: fixedClock(new Date()), core: fakeLog() as never }).refused(
      state
    )
    expect(slack.topLevel(CHANNEL).map((m) => m.text)).toEqual([
      expect.stringContaining('aborted: CI checks pass')
    ])
  })

  it('shows outside text as written: entities in text, plain_text in blocks', async () => {
    const state = stateWith({ reason: 'Ship <!channel> *now* & go' }, { reason: 'x' })
    const announcer = new ChatAnnouncer({ clock: fixedClock(new Date()), core: fakeLog() as never })
    await announcer.before(state)
    announcer.news(state, { kind: 'step', step: step('deploy', 'fail', 'exit 1: <!here> *boom*') })
    await announcer.after(state)
    const [message] = slack.topLevel(CHANNEL)
    expect(message?.text).toContain('&lt;!channel&gt;')
    expect(message?.text).not.toContain('<!channel>')
    const reply = message!.replies[0]!
    expect(reply.text).toContain('&lt;!here&gt; *boom*')
    expect(reply.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'plain_text', text: expect.stringContaining('<!here> *boom*'), emoji: false }
      }
    ])
  })
})

describe('Slack failures never fail a release', () => {
  it.each([
    ['not_in_channel', 'invite the app to the channel: /invite @'],
    ['channel_not_found', 'check slack-channel'],
    ['invalid_auth', 'check slack-token'],
    ['account_inactive', 'the app or its workspace is deactivated']
  ])('%s: warns once, with what to do, and makes no more calls', async (error, advice) => {
    slack.failAlways('*', { error })
    const log = fakeLog()
    const state = stateWith()
    const announcer = new ChatAnnouncer({ clock: fixedClock(new Date()), core: log as never })
    await announcer.before(state)
    announcer.news(state, { kind: 'step', step: step('deploy', 'pass') })
    announcer.news(state, { kind: 'phase', phase: 'smoke' })
    state.run.deployed()
    await announcer.after(state)
    expect(slack.calls).toHaveLength(1)
    expect(log.warnings()).toEqual([expect.stringContaining(`slack: ${error} — ${advice}`)])
    expect(state.record.warnings).toEqual([expect.stringContaining(`notification slack: ${error}`)])
    expect(state.record.notify.before).toBe('none')
    expect(JSON.stringify([state.record, log.lines])).not.toContain(TOKEN)
  })

  it('not_in_channel from the channel itself', async () => {
    const log = fakeLog()
    const state = stateWith({}, { 'slack-channel': OUTSIDE })
    await new ChatAnnouncer({ clock: fixedClock(new Date()), core: log as never }).before(state)
    expect(log.warnings()[0]).toContain('not_in_channel')
  })

  it('honours Retry-After, then goes on', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 })
    const clock = fixedClock(new Date('2026-11-25T09:00:00Z'))
    const state = stateWith()
    await new ChatAnnouncer({ clock, core: fakeLog() as never }).before(state)
    expect(clock.now().toISOString()).toBe('2026-11-25T09:00:07.000Z')
    expect(slack.topLevel(CHANNEL)).toHaveLength(1)
  })

  it('waits no more than 30 s on Slack in all, then stops calling it', async () => {
    slack.failAlways('*', { status: 429, retryAfter: 12 })
    const clock = fixedClock(new Date('2026-11-25T09:00:00Z'))
    const log = fakeLog()
    const state = stateWith()
    const announcer = new ChatAnnouncer({ clock, core: log as never })
    await announcer.before(state)
    for (let i = 0; i < 5; i++)
      announcer.news(state, { kind: 'step', step: step('deploy', 'pass') })
    await announcer.after(state)
    expect(clock.now().getTime() - Date.parse('2026-11-25T09:00:00Z')).toBeLessThanOrEqual(
      SLACK_BUDGET_MS
    )
    // the first call used its attempts (12 s + 12 s); the next could not wait 12 s more
    expect(log.warnings().at(-1)).toContain('the 30 s the release may wait on Slack')
    expect(log.warnings().at(-1)).toContain('no more Slack messages this run')
    expect(log.warnings()).toHaveLength(2)
    expect(slack.calls).toHaveLength(4)
  })

  it('an outage (5xx) is retried, then warned, and the release goes on', async () => {
    slack.failAlways('*', { status: 503 })
    const log = fakeLog()
    const state = stateWith()
    await new ChatAnnouncer({ clock: fixedClock(new Date()), core: log as never }).before(state)
    expect(slack.calls).toHaveLength(3)
    expect(log.warnings()).toEqual([expect.stringContaining('chat.postMessage failed: HTTP 503')])
  })

  it('a Slack that does not answer costs at most the budget', async () => {
    slack.failAlways('*', 'hang')
    const api = new SlackWebApi(
      { token: TOKEN, channel: CHANNEL, apiUrl: slack.url },
      // real time here: the budget is small
      {
        clock: { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
        budgetMs: 300,
        backoffMs: 10
      }
    )
    const answer = await api.call('chat.postMessage', { channel: CHANNEL, text: 'x' })
    expect(answer).toMatchObject({ ok: false, stopped: true })
    expect(api.spent).toBeLessThan(2000)
  })
})

describe("the stand-in and the client against Slack's OpenAPI description", () => {
  const spec = JSON.parse(
    readFileSync(new URL('../../__fixtures__/slack-web-api.openapi.json', import.meta.url), 'utf8')
  ) as {
    paths: Record<
      string,
      {
        post: {
          parameters: Array<{ name: string; in: string; required?: boolean; type: string }>
          responses: Record<string, { schema: object }>
        }
      }
    >
    definitions: Record<string, object>
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ definitions: spec.definitions }, 'spec')
  const fix = (schema: object): object =>
    JSON.parse(
      JSON.stringify(schema).replace(/"#\/definitions\//g, '"spec#/definitions/')
    ) as object
  // Slack's error enums in the description are older than its documentation: these codes are
  // documented for every method (api.slack.com/methods, "Errors"), `ratelimited` for 429
  const BEYOND_ENUMS = new Set([
    'not_in_channel',
    'invalid_auth',
    'not_authed',
    'account_inactive',
    'ratelimited',
    'service_unavailable'
  ])

  function check(call: SlackCall): void {
    const op = spec.paths[`/${call.method}`]?.post
    expect(op).toBeDefined()
    const form = op!.parameters.filter((p) => p.in === 'formData')
    for (const name of Object.keys(call.args)) expect(form.map((p) => p.name)).toContain(name)
    for (const p of form.filter((x) => x.required)) expect(call.args[p.name]).toBeDefined()
    for (const p of form.filter((x) => x.type === 'boolean' && call.args[x.name] !== undefined))
      expect(['true', 'false']).toContain(call.args[p.name])
    // the token goes in a header, as the description says (never in the form)
    expect(call.headers.authorization).toMatch(/^Bearer /)
    expect(call.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    const ok = call.answer.ok === true
    const schema = fix(op!.responses[ok ? '200' : 'default']!.schema)
    let answer = call.answer
    if (!ok && BEYOND_ENUMS.has(String(answer.error)))
      answer = { ...answer, error: 'channel_not_found' }
    const valid = ajv.validate(schema, answer)
    expect(ajv.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  }

  it('every request and answer of a release (and of its failures) matches it', async () => {
    const clock = fixedClock(new Date('2026-11-25T09:00:00Z'))
    const state = stateWith()
    const announcer = new ChatAnnouncer({ clock, core: fakeLog() as never })
    await announcer.before(state)
    announcer.news(state, { kind: 'step', step: step('deploy', 'pass') })
    announcer.news(state, { kind: 'phase', phase: 'smoke' })
    state.run.deployed()
    await announcer.after(state)
    slack.failNext('chat.update', { error: 'cant_update_message' })
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 })
    slack.failNext('chat.postMessage', { error: 'not_in_channel' })
    const again = stateWith()
    const other = new ChatAnnouncer({
      clock,
      core: fakeLog() as never,
      existing: state.record.slack
    })
    await other.before(again)
    expect(slack.calls.length).toBeGreaterThanOrEqual(7)
    for (const call of slack.calls) check(call)
  })
})
