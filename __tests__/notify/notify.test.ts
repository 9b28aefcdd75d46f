import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import { notifyAll } from '../../src/notify/index.js'
import type { SlackPayload, SlackText } from '../../src/notify/slack.js'
import type { TeamsPayload } from '../../src/notify/teams.js'
import { assertNoSecrets, fakeLog, instantClock, sampleRecord } from './helpers.js'

const HOSTILE = '<!channel> *bold* <http://evil|click> <at>Everyone</at> @here [x](http://evil)'
const SLACK_PATH = '/services/T000/B000/slacksecret1234'
const TEAMS_PATH = '/workflows/teamssecret5678/triggers/manual'
const HOOK_PATH = '/hooks/webhooksecret9012'
const HMAC_KEY = 'hmac-key-do-not-leak'

let receivers: Receiver[] = []
async function receiver(...responses: Parameters<Receiver['respondWith']>[0]): Promise<Receiver> {
  const r = await startReceiver({ responses })
  receivers.push(r)
  return r
}

afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()))
  receivers = []
})

function opts(language: 'en' | 'fr' = 'en') {
  return { language, clock: instantClock(), log: fakeLog() }
}

function everything(
  result: { summary: string; failures: string[] },
  log: ReturnType<typeof fakeLog>
): string[] {
  return [result.summary, ...result.failures, ...log.lines.map((l) => l.text)]
}

/** Every text object of a Slack payload's blocks. */
function slackTexts(payload: SlackPayload): SlackText[] {
  return payload.blocks.flatMap((b): SlackText[] => {
    if (b.type === 'divider') return []
    if (b.type === 'context') return b.elements
    if ('fields' in b) return b.fields
    return [b.text]
  })
}

describe('notifyAll', () => {
  it('sends Slack, Teams and the signed webhook in parallel', async () => {
    const [slack, teams, hook] = await Promise.all([receiver(200), receiver(202), receiver(200)])
    const o = opts()
    const record = sampleRecord({ urgency: 'P1', reason: HOSTILE })
    const result = await notifyAll(
      'before',
      record,
      {
        slack: slack.url + SLACK_PATH,
        teams: teams.url + TEAMS_PATH,
        webhook: { url: hook.url + HOOK_PATH, secret: HMAC_KEY }
      },
      { ...o, leadTimeMs: 300_000 }
    )
    expect(result).toEqual({
      summary: "slack, teams, webhook: 'Deploying v1.2.0 to production in 5 min'",
      failures: [],
      delivered: ['slack', 'teams', 'webhook']
    })
    expect(o.log.warnings()).toEqual([])
    expect(slack.requests[0]?.path).toBe(SLACK_PATH)
    expect(teams.requests[0]?.path).toBe(TEAMS_PATH)
    expect(hook.requests[0]?.path).toBe(HOOK_PATH)
    assertNoSecrets(everything(result, o.log), [SLACK_PATH, TEAMS_PATH, HOOK_PATH, HMAC_KEY])
  })

  it('Slack: text and blocks, hostile text escaped or plain, shown as written', async () => {
    const slack = await receiver(200)
    const record = sampleRecord({ status: 'deployed', reason: HOSTILE })
    await notifyAll('after', record, { slack: slack.url + SLACK_PATH }, opts())
    const raw = slack.requests[0]?.body ?? ''
    const payload = JSON.parse(raw) as SlackPayload
    expect(typeof payload.text).toBe('string')
    expect(payload.text).toContain('v1.2.0 deployed to production')
    expect(Array.isArray(payload.blocks)).toBe(true)
    expect(payload.blocks.length).toBeGreaterThan(2)
    const texts = slackTexts(payload)
    // mrkdwn (parsed by Slack): no raw control characters but our own run link
    for (const t of texts.filter((t) => t.type === 'mrkdwn')) {
      expect(t.text.replace(/^<https:\/\/[^<>|]+\|[^<>]+>$/, '')).not.toMatch(/[<>]/)
    }
    for (const bad of ['<!channel>', '<http://evil|click>', '<at>'])
      expect(payload.text).not.toContain(bad)
    expect(payload.text).toContain('&lt;!channel&gt;')
    // plain_text (not parsed): the reason exactly as given, emoji codes left alone
    const reason = texts.find((t) => t.type === 'plain_text' && t.text.startsWith('Reason\n'))
    expect(reason).toEqual({ type: 'plain_text', text: `Reason\n${HOSTILE}`, emoji: false })
    // what is ours stays formatted: the checklist and the link to the run
    const blocks = JSON.stringify(payload.blocks)
    expect(blocks).toContain('✅ CI checks pass')
    expect(blocks).toContain('➖ Migrations verified')
    expect(blocks).toContain('<https://github.com/acme/shop/actions/runs/42|View run>')
  })

  it('Slack: a version reads as written (feature_new-login v1.2.0~rc1), no look-alikes', async () => {
    const slack = await receiver(200)
    const version = 'feature_new-login v1.2.0~rc1'
    await notifyAll('after', sampleRecord({ version }), { slack: slack.url }, opts())
    const payload = slack.requests[0]?.json as SlackPayload
    const texts = slackTexts(payload)
    expect(texts).toContainEqual({ type: 'mrkdwn', text: `*Version*\n\`${version}\`` })
    expect(texts.find((t) => t.text.includes('deployed'))?.text).toContain(version)
    expect(payload.text).toContain(version)
    expect(JSON.stringify(payload)).not.toMatch(/[ˍ∼∗ˋ]/)
    // a version that cannot be a code span goes as plain text
    await notifyAll('after', sampleRecord({ version: 'v`1`_x_' }), { slack: slack.url }, opts())
    const second = slackTexts(slack.requests[1]?.json as SlackPayload)
    expect(second).toContainEqual({ type: 'plain_text', text: 'Version\nv`1`_x_', emoji: false })
  })

  it('Slack: the checklist marks failures', async () => {
    const slack = await receiver(200)
    const record = sampleRecord({
      status: 'aborted',
      checklist: [{ id: 'ci', item: 'CI checks pass', status: 'fail', detail: '3 of 12 <failed>' }]
    })
    const result = await notifyAll('refused', record, { slack: slack.url }, opts())
    expect(result.summary).toBe(
      "slack: 'Deployment of v1.2.0 to production aborted: CI checks pass'"
    )
    const payload = slack.requests[0]?.json as SlackPayload
    expect(JSON.stringify(payload.blocks)).toContain('❌ CI checks pass — 3 of 12 <failed>')
    expect(slackTexts(payload).find((t) => t.text.includes('❌'))?.type).toBe('plain_text')
  })

  it('Teams: an Adaptive Card attachment', async () => {
    const teams = await receiver(202)
    const record = sampleRecord({ status: 'rolled-back', reason: HOSTILE })
    const result = await notifyAll('after', record, { teams: teams.url + TEAMS_PATH }, opts())
    expect(result.failures).toEqual([])
    const payload = teams.requests[0]?.json as TeamsPayload
    expect(payload.type).toBe('message')
    expect(payload.attachments).toHaveLength(1)
    const attachment = payload.attachments[0]
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(attachment?.contentUrl).toBeNull()
    expect(attachment?.content).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      actions: [
        {
          type: 'Action.OpenUrl',
          title: 'View run',
          url: 'https://github.com/acme/shop/actions/runs/42'
        }
      ]
    })
    const body = JSON.stringify(attachment?.content.body)
    expect(body).toContain('TextBlock')
    expect(body).toContain('FactSet')
    expect(body).toContain('rolled back to v1.1.9')
    expect(body).not.toContain('<at>')
    expect(body).not.toContain('[x](http://evil)')
  })

  it('webhook: the record, signed over the raw body', async () => {
    const hook = await receiver(200)
    const record = sampleRecord()
    await notifyAll(
      'after',
      record,
      { webhook: { url: hook.url + HOOK_PATH, secret: HMAC_KEY } },
      opts()
    )
    const request = hook.requests[0]
    expect(request).toBeDefined()
    const expected = `sha256=${createHmac('sha256', HMAC_KEY)
      .update(request?.body ?? '')
      .digest('hex')}`
    expect(request?.headers['x-red-button-signature-256']).toBe(expected)
    expect(request?.headers['x-red-button-event']).toBe('after')
    expect(request?.json).toEqual({ event: 'after', deployment: record })
  })

  it('webhook: no signature without a secret', async () => {
    const hook = await receiver(200)
    await notifyAll('before', sampleRecord(), { webhook: { url: hook.url } }, opts())
    expect(hook.requests[0]?.headers['x-red-button-signature-256']).toBeUndefined()
    expect(hook.requests[0]?.headers['x-red-button-event']).toBe('before')
  })

  it('a channel that keeps failing becomes a warning and a failure line', async () => {
    const [slack, teams] = await Promise.all([receiver(500, 500, 500), receiver(200)])
    const o = opts()
    const result = await notifyAll(
      'after',
      sampleRecord(),
      { slack: slack.url + SLACK_PATH, teams: teams.url + TEAMS_PATH },
      o
    )
    expect(result).toEqual({
      summary: "teams: 'v1.2.0 deployed to production'",
      failures: ['slack: HTTP 500 after 3 attempts'],
      delivered: ['teams']
    })
    expect(slack.requests).toHaveLength(3)
    expect(o.clock.sleeps).toEqual([1000, 2000])
    expect(o.log.warnings()).toEqual([
      'Notification not delivered: slack: HTTP 500 after 3 attempts'
    ])
    assertNoSecrets(everything(result, o.log), [slack.url, teams.url, SLACK_PATH, TEAMS_PATH])
  })

  it('recovers after transient errors', async () => {
    const slack = await receiver(500, 500, 200)
    const o = opts()
    const result = await notifyAll('after', sampleRecord(), { slack: slack.url }, o)
    expect(result.failures).toEqual([])
    expect(result.summary).toBe("slack: 'v1.2.0 deployed to production'")
    expect(slack.requests).toHaveLength(3)
    expect(o.log.warnings()).toEqual([])
  })

  it('never takes longer than its deadline', async () => {
    const [slack, teams] = await Promise.all([receiver('hang'), receiver(200)])
    const o = opts()
    const result = await notifyAll(
      'before',
      sampleRecord(),
      { slack: slack.url + SLACK_PATH, teams: teams.url },
      { ...o, timeoutMs: 60_000, deadlineMs: 200 }
    )
    expect(result.summary).toBe("teams: 'Deploying v1.2.0 to production'")
    expect(result.failures).toEqual(['slack: no answer within the 200ms notification deadline'])
    expect(o.log.warnings()).toHaveLength(1)
    assertNoSecrets(everything(result, o.log), [SLACK_PATH])
  })

  it('all channels failing, unreachable and invalid', async () => {
    const dead = await receiver(200)
    const deadUrl = dead.url + HOOK_PATH
    await dead.close()
    receivers = []
    const o = opts()
    const result = await notifyAll(
      'after',
      sampleRecord(),
      {
        slack: 'ftp://hooks.example/secret-ftp-path',
        teams: 'definitely not a url teamssecret',
        webhook: { url: deadUrl, secret: HMAC_KEY }
      },
      o
    )
    expect(result.summary).toBe('none')
    expect(result.failures).toEqual([
      'slack: URL must be http or https',
      'teams: invalid URL',
      'webhook: network error (ECONNREFUSED) after 3 attempts'
    ])
    assertNoSecrets(everything(result, o.log), [
      'secret-ftp-path',
      'teamssecret',
      HOOK_PATH,
      HMAC_KEY,
      deadUrl
    ])
  })

  it('nothing configured', async () => {
    const o = opts()
    expect(await notifyAll('before', sampleRecord(), {}, o)).toEqual({
      summary: 'none',
      failures: [],
      delivered: []
    })
    expect(o.log.lines).toEqual([])
  })

  it('speaks French', async () => {
    const [slack, teams] = await Promise.all([receiver(200), receiver(200)])
    const record = sampleRecord({ urgency: 'P1', reason: 'connexion impossible' })
    const result = await notifyAll(
      'before',
      record,
      { slack: slack.url, teams: teams.url },
      { ...opts('fr'), leadTimeMs: 300_000 }
    )
    expect(result.summary).toBe("slack, teams: 'Déploiement de v1.2.0 en production dans 5 min'")
    const payload = slack.requests[0]?.json as SlackPayload
    expect(payload.text).toContain('Déploiement de v1.2.0 en production dans 5 min')
    expect(payload.text).toContain('Urgence : P1')
    expect(payload.text).toContain('Raison : connexion impossible')
    expect(JSON.stringify(payload.blocks)).toContain('*Environnement*')
    expect(JSON.stringify(payload.blocks)).toContain('Raison\\n')
    const card = JSON.stringify(teams.requests[0]?.json)
    expect(card).toContain("Voir l'exécution")
    expect(card).toContain('en cours')
  })
})
