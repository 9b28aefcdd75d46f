/**
 * Hardening, point 2: tag names, branch names, PR titles and inputs may carry shell syntax
 * (`$(...)`, backticks, `;`: git allows them in refs) and markup. Run through the real bundle,
 * none of it is ever executed; commands see the values literally through DEPLOY_* variables,
 * and every rendering (summary, record, PR comment, Slack) keeps them inert.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import type { SlackText } from '../../src/notify/slack.js'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import { seedStagingSuccess, startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import {
  baseEnv,
  newJob,
  removeJob,
  runMain,
  type RunnerJob,
  type StepResult
} from '../e2e/action-runner.js'

const TUESDAY = '2026-11-24T10:00:00Z'

let api: GitHubApi
let monitoring: Receiver
let slack: Receiver
let job: RunnerJob
/** where a successful injection would leave its marker files */
let markerDir: string
let markerCount = 0

beforeEach(async () => {
  api = await startReleasableApi({ staging: false })
  monitoring = await startReceiver()
  slack = await startReceiver()
  job = newJob()
  markerDir = mkdtempSync(join(tmpdir(), 'red-button-injection-'))
})

afterEach(async () => {
  await Promise.all([api.close(), monitoring.close(), slack.close()])
  removeJob(job)
  rmSync(markerDir, { recursive: true, force: true })
})

type Variant = readonly [string, (marker: string) => string]
const VARIANTS: Variant[] = [
  ['$(...)', (m) => `$(touch ${m})`],
  ['backticks', (m) => `\`touch ${m}\``],
  ['semicolon', (m) => `; touch ${m}`]
]

/** Markup that must stay inert once rendered. */
const MARKUP = '<script>alert(1)</script>@channel <!here> | **bold** [x](https://evil.example)'

/** A fresh marker path: the file exists only if some text was executed. */
function marker(): string {
  markerCount++
  return join(markerDir, `pwned-${markerCount}`)
}

/** Each command appends what it was given to out.log; the deploy may be told to fail. */
function commands(deployExit = 0): Record<string, string> {
  return {
    'migrate-check-command': 'echo "migrate-check|$DEPLOY_VERSION|$DEPLOY_ENVIRONMENT" >> out.log',
    'migrate-command': 'echo "migrate|$DEPLOY_VERSION|$DEPLOY_ENVIRONMENT" >> out.log',
    'backup-command': 'echo "backup|$DEPLOY_VERSION" >> out.log',
    'deploy-command': `echo "deploy|$DEPLOY_VERSION|$DEPLOY_ENVIRONMENT" >> out.log; exit ${deployExit}`,
    'rollback-command':
      'echo "rollback|$DEPLOY_VERSION|$DEPLOY_PREVIOUS_VERSION|$DEPLOY_ENVIRONMENT" >> out.log',
    'migrate-rollback-command': 'echo "migrate-rollback|$DEPLOY_VERSION" >> out.log'
  }
}

function inputs(extra: Record<string, string>): Record<string, string> {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    timezone: 'Europe/Paris',
    'monitoring-url': monitoring.url,
    'checks-timeout': '5s',
    'command-timeout': '20s',
    'monitor-duration': '0',
    'slack-webhook': `${slack.url}/services/T000/B000/slacksecret`,
    ...commands(),
    ...extra
  }
}

function outLog(): string[] {
  const file = join(job.workspace, 'out.log')
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n') : []
}

function recordOf(r: StepResult): Record<string, unknown> {
  return (yaml.load(r.outputs.record ?? '') as { deployment: Record<string, unknown> }).deployment
}

interface Fence {
  lang: string
  body: string
}

/**
 * Splits Markdown into the text outside fenced code blocks and the blocks themselves. A block
 * closes only at a line of at least as many backticks as opened it (CommonMark).
 */
function splitFences(markdown: string): { prose: string; fences: Fence[] } {
  const lines = markdown.split('\n')
  const prose: string[] = []
  const fences: Fence[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})([^`]*)$/.exec(lines[i] as string)
    if (!open) {
      prose.push(lines[i] as string)
      continue
    }
    const ticks = (open[1] as string).length
    const body: string[] = []
    for (i++; i < lines.length && !new RegExp(`^\`{${ticks},}\\s*$`).test(lines[i] as string); i++)
      body.push(lines[i] as string)
    fences.push({ lang: (open[2] as string).trim(), body: body.join('\n') })
  }
  return { prose: prose.join('\n'), fences }
}

/** Cells of a table row, split at pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
}

/**
 * What hostile text must never do once rendered as GitHub Markdown: open HTML, mention
 * people, add table columns, or close the code block that holds the record.
 */
function expectInertMarkdown(markdown: string, version: string): void {
  const { prose, fences } = splitFences(markdown)
  expect(prose).not.toContain('<script')
  expect(prose).not.toContain('<!here>')
  expect(prose).not.toMatch(/@(channel|here)\b/)
  expect(prose).not.toMatch(/(^|[^\\])\[x\]\(/)
  expect(prose).not.toContain('**bold**')
  // every table keeps the column count of its header
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!/^\|.*\|$/.test(lines[i] as string) || !/^\|(-+\|)+$/.test(lines[i + 1] ?? '')) continue
    const columns = cells(lines[i] as string).length
    for (let j = i + 2; j < lines.length && (lines[j] as string).startsWith('|'); j++)
      expect(cells(lines[j] as string)).toHaveLength(columns)
  }
  // the record's code block holds the whole record: the hostile text did not close it early
  const record = fences.find((f) => f.lang === 'yaml')
  expect(record).toBeDefined()
  const parsed = yaml.load(record?.body ?? '') as { deployment: { version: string } }
  expect(parsed.deployment.version).toBe(version)
}

function expectNoMarkers(): void {
  expect(markerCount).toBeGreaterThan(0)
  for (let n = 1; n <= markerCount; n++)
    expect(existsSync(join(markerDir, `pwned-${n}`))).toBe(false)
}

/**
 * Slack: no `<!here>`-style mention or `<script>` survives where Slack parses text (mrkdwn
 * objects and the fallback `text`); plain_text objects, which Slack shows as they are, carry
 * the text as written.
 */
function expectInertSlack(): void {
  expect(slack.requests.length).toBeGreaterThan(0)
  for (const request of slack.requests) {
    const payload = JSON.parse(request.body) as {
      text: string
      blocks: Array<{ text?: SlackText; fields?: SlackText[]; elements?: SlackText[] }>
    }
    const parsed = [
      payload.text,
      ...payload.blocks
        .flatMap((b) => [b.text, ...(b.fields ?? []), ...(b.elements ?? [])])
        .filter((t): t is SlackText => t !== undefined && t.type === 'mrkdwn')
        .map((t) => t.text)
    ]
    for (const text of parsed) {
      expect(text).not.toContain('<script')
      expect(text).not.toContain('<!here>')
      expect(text).not.toContain('<!channel>')
    }
  }
}

describe('hostile tag names never run and stay text', () => {
  it.each(VARIANTS)('%s in the tag of GITHUB_REF', async (_name, inject) => {
    seedStagingSuccess(api, DEFAULT_SHA, 'irrelevant')
    const tag = `v1${inject(marker())}${MARKUP}`
    // the version that was live before: its name is hostile too, and reaches the rollback
    const previous = `v0${inject(marker())}`
    api.addDeployment({
      sha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      ref: previous,
      environment: 'production',
      payload: { version: previous },
      created_at: '2026-11-20T10:00:00Z',
      statuses: [{ state: 'success', created_at: '2026-11-20T10:05:00Z' }]
    })
    const r = await runMain(
      job,
      {
        ...baseEnv(job, api.url, DEFAULT_SHA),
        GITHUB_REF: `refs/tags/${tag}`,
        RED_BUTTON_NOW: TUESDAY
      },
      { inputs: inputs(commands(3)) }
    )
    expect(r.outputs.status).toBe('rolled-back')
    expectNoMarkers()
    expect(outLog()).toEqual([
      `migrate-check|${tag}|production`,
      `backup|${tag}`,
      `migrate|${tag}|production`,
      `deploy|${tag}|production`,
      `rollback|${tag}|${previous}|production`,
      `migrate-rollback|${tag}`
    ])
    // the gate ran the migration check with the same literal value
    expect(r.stdout).toContain(`Red Button: ${tag} → production`)
    const record = recordOf(r)
    expect(record.version).toBe(tag)
    expect(record.ref).toBe(`refs/tags/${tag}`)
    expect(record.previous_version).toBe(previous)
    expect(readFileSync(r.outputs['record-file'] as string, 'utf8')).toBe(r.outputs.record)
    expectInertMarkdown(r.summary, tag)
    expectInertSlack()
    // GitHub gets the label as JSON data, byte for byte
    const created = api.requests.find((q) => q.method === 'POST' && /\/deployments$/.test(q.path))
    expect((created?.body as { payload: { version: string } }).payload.version).toBe(tag)
  })
})

describe('hostile inputs, branch names and PR titles never run and stay text', () => {
  it.each(VARIANTS)(
    '%s in version, environment, reason, branch and PR title',
    async (_n, inject) => {
      const version = `2.0${inject(marker())}${MARKUP}`
      const environment = `qa${inject(marker())}|@here`
      const reason = `hotfix ${inject(marker())}\n# heading\n- item ${MARKUP}`
      const branch = `feature/${inject(marker())}`
      const title = `Fix ${inject(marker())} ${MARKUP}`
      api.addPull(DEFAULT_SHA, { number: 42, title, head_ref: branch })
      const event = {
        pull_request: { number: 42, title, head: { sha: DEFAULT_SHA, ref: branch } }
      }
      removeJob(job)
      job = newJob(event)
      const r = await runMain(
        job,
        {
          ...baseEnv(job, api.url, 'f'.repeat(40)),
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_REF: 'refs/pull/42/merge',
          GITHUB_HEAD_REF: branch,
          RED_BUTTON_NOW: TUESDAY
        },
        { inputs: inputs({ version, environment, reason, urgency: 'P2' }) }
      )
      expect(r.outputs.status).toBe('deployed')
      expectNoMarkers()
      expect(outLog()).toEqual([
        `migrate-check|${version}|${environment}`,
        `backup|${version}`,
        `migrate|${version}|${environment}`,
        `deploy|${version}|${environment}`
      ])
      const record = recordOf(r)
      expect(record).toMatchObject({ version, environment, reason, commit: DEFAULT_SHA })

      expectInertMarkdown(r.summary, version)
      expect(r.summary).not.toContain('\n# heading')
      const comments = api.state.comments.filter((c) => c.issue_number === 42)
      expect(comments).toHaveLength(1)
      const body = comments[0]?.body ?? ''
      expectInertMarkdown(body, version)
      // the hidden marker of the comment is one HTML comment, whatever the environment
      expect(body.split('\n')[0]).toMatch(/^<!-- red-button:environment=[^<>]* -->$/)
      expect((body.match(/-->/g) ?? []).length).toBe(1)
      expectInertSlack()
    }
  )
})
