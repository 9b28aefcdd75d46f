import { describe, expect, it } from '@jest/globals'
import yaml from 'js-yaml'
import { DEFAULT_SHA, startGitHubApi } from '../../__fixtures__/github-api.js'
import { GitHubApi } from '../../src/github/api.js'
import { findCommentTargets, publishPrComments } from '../../src/notify/pr-comment.js'
import { commentMarker, renderComment } from '../../src/report/comment.js'
import { MemoryLog } from '../run/log.js'
import { recordYaml, rollbackPlanText, toRecord } from '../../src/record/yaml.js'
import { fenced, renderSummary, stepsChart, SUMMARY_LIMIT } from '../../src/report/summary.js'
import type { DeploymentRecord } from '../../src/record/types.js'

function record(extra: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    version: 'v1.2.0',
    environment: 'production',
    checklist: [
      { id: 'ci', item: 'CI checks pass', status: 'pass', detail: '12 of 12 checks succeeded' }
    ],
    migrations: ['add_user_exports_table'],
    rollback_plan: 'Redeploy v1.1.9 with `./deploy.sh rollback`',
    notify: { before: 'none', after: 'none' },
    smoke_tests: ['Homepage'],
    status: 'deployed',
    decision: 'go',
    urgency: 'P3',
    dry_run: false,
    commit: 'abc',
    actor: 'alice',
    previous_version: 'v1.1.9',
    started_at: '2026-11-25T10:00:00+01:00',
    finished_at: '2026-11-25T10:34:12+01:00',
    steps: [],
    ...extra
  }
}

describe('the record', () => {
  it('keeps the seven contract keys first, in order, and drops unset ones', () => {
    const d = record({ reason: undefined })
    const keys = Object.keys(toRecord(d).deployment)
    expect(keys.slice(0, 7)).toEqual([
      'version',
      'environment',
      'checklist',
      'migrations',
      'rollback_plan',
      'notify',
      'smoke_tests'
    ])
    expect(keys).not.toContain('reason')
    expect(yaml.load(recordYaml(d))).toEqual(toRecord(d))
  })

  it('generates the rollback plan from the commands, schema after code', () => {
    const plan = rollbackPlanText(
      {
        commands: {
          rollback: './deploy.sh rollback',
          migrate: 'm',
          migrateRollback: 'npm run migrate:down'
        }
      },
      'v1.1.9'
    )
    expect(plan).toBe('Redeploy v1.1.9 with `./deploy.sh rollback`, then `npm run migrate:down`')
    expect(rollbackPlanText({ rollbackPlan: 'call Bob', commands: {} }, 'v1')).toBe('call Bob')
    expect(rollbackPlanText({ commands: {} }, 'v1')).toBe('none')
  })
})

describe('the job summary', () => {
  it('a fence outside text cannot close', () => {
    const text = 'reason: ```` injected'
    const out = fenced(text, 'yaml')
    expect(out.startsWith('`````yaml\n')).toBe(true)
    expect(out.endsWith('\n`````')).toBe(true)
  })

  it('escapes outside text in the table and stays under the size limit', () => {
    const d = record({
      checklist: [
        {
          id: 'ci',
          item: 'CI checks pass',
          status: 'fail',
          detail: 'failed: a|b <img src=x> @team'
        }
      ],
      error: 'x'.repeat(2 * SUMMARY_LIMIT)
    })
    const md = renderSummary(d, 'en')
    expect(md).toContain('failed: a\\|b &lt;img src=x&gt; @&#8203;team')
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024)
    expect(md).toContain('cut to fit the summary limit')
  })

  it('shows the next window only when postponed or in a dry run', () => {
    const next = '2026-11-30T00:00:00+01:00'
    expect(renderSummary(record({ status: 'postponed', next_window: next }), 'en')).toContain(next)
    expect(renderSummary(record({ status: 'rolled-back', next_window: next }), 'en')).not.toContain(
      'Next window'
    )
  })

  it('draws the steps on a millisecond time line', () => {
    const chart = stepsChart([
      { name: 'deploy', status: 'pass', duration_ms: 150, offset_ms: 1200 },
      { name: 'smoke', status: 'fail', duration_ms: 900, offset_ms: 1350 }
    ])
    expect(chart).toContain('deploy ✅ :active, s0, 1200, 150ms')
    expect(chart).toContain('smoke ❌ :crit, s1, 1350, 900ms')
  })
})

describe('the PR comment', () => {
  it('carries a marker no environment name can break out of', () => {
    const marker = commentMarker('prod --> <b>')
    expect(marker).toBe('<!-- red-button:environment=prod%20--%3E%20%3Cb%3E -->')
    expect(renderComment(record({ environment: 'prod --> <b>' }), 'fr').startsWith(marker)).toBe(
      true
    )
  })

  it('says it is a plan in a dry run, in the chosen language', () => {
    const body = renderComment(record({ dry_run: true, status: 'planned' }), 'fr')
    expect(body).toContain('Plan de mise en production (simulation)')
    expect(body).toContain('| Point | Statut | Détail |')
  })
})

describe('the headline says the answer', () => {
  it('a mark of its own for each status, in the summary and the PR comment', () => {
    const statuses = [
      'deployed',
      'planned',
      'postponed',
      'aborted',
      'rolled-back',
      'rollback-failed',
      'cancelled'
    ] as const
    const marks = statuses.map((status) => {
      const first = renderSummary(record({ status }), 'en').split('\n')[0] ?? ''
      expect(first).toMatch(/^## \S+ Red Button — /)
      expect(renderComment(record({ status }), 'en')).toContain(
        `### ${first.split(' ')[1]} Red Button`
      )
      return first.split(' ')[1]
    })
    expect(new Set(marks).size).toBe(statuses.length)
    expect(marks[0]).toBe('✅')
    expect(marks).not.toContain('🔴')
  })
})

describe('a dry run says what would happen', () => {
  it('in the summary and the PR comment, the next window in words with the ISO value', () => {
    const d = record({
      status: 'planned',
      dry_run: true,
      decision: 'postpone',
      next_window: '2026-11-30T00:00:00+01:00',
      timezone: 'Europe/Paris',
      started_at: '2026-11-27T15:00:00+01:00'
    })
    const words = 'Monday 30 November 00:00 (Europe/Paris), in 2 days 9 hours'
    const summary = renderSummary(d, 'en')
    expect(summary).toContain(`**Dry run:** a real run would be postponed until ${words}`)
    expect(summary).toContain(`**Next window:** ${words} — 2026-11-30T00:00:00+01:00`)
    expect(renderComment(d, 'en')).toContain(
      `**Decision:** \`postpone\` — a real run would be postponed until ${words}`
    )
    expect(renderSummary(d, 'fr')).toContain(
      "**Simulation :** un vrai lancement serait reporté jusqu'à lundi 30 novembre 00:00"
    )
  })
})

describe('publishing the PR comment', () => {
  it('writes on the open and merged PRs of the commit and on the event PR, editing its own comment in place', async () => {
    const api = await startGitHubApi()
    try {
      api.addPull(DEFAULT_SHA, { number: 3, title: 'open one', head_ref: 'a' })
      api.addPull(DEFAULT_SHA, { number: 4, title: 'closed one', head_ref: 'b', state: 'closed' })
      api.addPull(DEFAULT_SHA, { number: 5, title: 'shipped', head_ref: 'c', state: 'merged' })
      const github = GitHubApi.forRun({ apiUrl: api.url, owner: 'acme', repo: 'shop' }, 'token')
      const publish = (d: DeploymentRecord) =>
        publishPrComments(github, {
          targets: findCommentTargets(github, {
            pulls: github.listPullsForCommit(DEFAULT_SHA),
            pullNumber: 9,
            environment: d.environment
          }),
          record: d,
          language: 'en',
          log: new MemoryLog()
        })
      expect(await publish(record({ status: 'planned', dry_run: true }))).toEqual([
        '#3',
        '#5',
        '#9'
      ])
      expect(await publish(record())).toEqual(['#3', '#5', '#9'])
      const byIssue = (n: number) => api.state.comments.filter((c) => c.issue_number === n)
      expect(byIssue(3)).toHaveLength(1)
      expect(byIssue(5)).toHaveLength(1)
      expect(byIssue(5)[0]?.body).toContain('deployed')
      expect(byIssue(9)).toHaveLength(1)
      expect(byIssue(4)).toHaveLength(0)
      expect(byIssue(9)[0]?.body).toContain('deployed')
    } finally {
      await api.close()
    }
  })
})
