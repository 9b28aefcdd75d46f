/**
 * What goes out, as each channel shows it: the change list capped at 20 pull requests, the
 * release's migrations and the SQL findings, outside text (PR titles, file names) shown as
 * written.
 */
import { describe, expect, it } from '@jest/globals'
import { slackPayload } from '../../src/notify/slack.js'
import { teamsPayload } from '../../src/notify/teams.js'
import type { MigrationFinding, PullRecord } from '../../src/record/types.js'
import { changeLines, changesMarkdown, PULLS_SHOWN } from '../../src/report/changes.js'
import { renderComment } from '../../src/report/comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { sampleRecord } from '../notify/helpers.js'

const pulls = (n: number): PullRecord[] =>
  Array.from({ length: n }, (_, i) => ({ number: 100 + i, title: `Change ${i}`, author: 'alice' }))

const FINDING: MigrationFinding = {
  file: 'db/migrations/042_exports.sql',
  line: 3,
  rule: 'require-concurrent-index',
  severity: 'warning',
  detail: 'CREATE INDEX without CONCURRENTLY blocks writes to users while it builds',
  safer: 'CREATE INDEX CONCURRENTLY, outside a transaction'
}

const released = (extra = {}) =>
  sampleRecord({
    changes: {
      base: 'v1.1.9',
      commits: 14,
      url: 'https://github.com/acme/shop/compare/a...b',
      pulls: [
        { number: 123, title: 'Add user exports', author: 'alice' },
        { number: 124, title: 'Fix *bold* <script> @team `x`', author: 'bob' }
      ]
    },
    migrations: ['db/migrations/042_exports.sql'],
    migration_findings: [FINDING],
    ...extra
  })

const slackText = (p: ReturnType<typeof slackPayload>) =>
  p.blocks.map((b) => ('text' in b ? b.text.text : '')).join('\n')
const teamsText = (p: ReturnType<typeof teamsPayload>) =>
  p.attachments[0]!.content.body.map((b) => ('text' in b ? b.text : '')).join('\n')

describe('the change list in every channel', () => {
  it('the summary and the PR comment list the pull requests, migrations and findings', () => {
    for (const md of [renderSummary(released(), 'en'), renderComment(released(), 'en')]) {
      expect(md).toContain('### What goes out')
      expect(md).toContain(
        '14 commits since v1.1.9 ([compare](https://github.com/acme/shop/compare/a...b))'
      )
      expect(md).toContain('- #123 Add user exports (alice)')
      expect(md).toContain('**Migrations:** db/migrations/042\\_exports.sql')
      expect(md).toContain(
        '| db/migrations/042\\_exports.sql | 3 | require-concurrent-index | ⚠️ warning |'
      )
    }
  })

  it('a blank line ends the findings table, so what follows is not taken into it', () => {
    for (const md of [renderSummary(released(), 'en'), renderComment(released(), 'en')]) {
      const after = md.slice(md.indexOf('| require-concurrent-index'))
      expect(after).toMatch(/^[^\n]*\|\n\n/)
    }
  })

  it('outside text is escaped for Markdown, and reads as written', () => {
    const md = changesMarkdown(released(), 'en')
    expect(md).toContain('- #124 Fix \\*bold\\* &lt;script&gt; @&#8203;team \\`x\\` (bob)')
  })

  it('Slack and Teams show the pull requests and the migration files', () => {
    const slack = slackText(slackPayload('after', released(), 'en'))
    expect(slack).toContain('What goes out\n14 commits since v1.1.9')
    expect(slack).toContain('#124 Fix *bold* <script> @team `x` (bob)') // plain_text, as written
    expect(slack).toContain('Migrations: db/migrations/042_exports.sql')
    expect(slack).toContain('⚠️ db/migrations/042_exports.sql:3 require-concurrent-index')
    const teams = teamsText(teamsPayload('before', released(), 'en'))
    expect(teams).toContain('#123 Add user exports (alice)')
    expect(teams).toContain('Migrations: db/migrations/042\\_exports.sql')
  })

  it(`lists at most ${PULLS_SHOWN} pull requests, then "and N more"`, () => {
    const d = released({ changes: { base: 'v1', commits: 30, pulls: pulls(23) } })
    const lines = changeLines(d, 'en')
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(PULLS_SHOWN)
    expect(lines).toContain('and 3 more pull requests')
    expect(changesMarkdown(d, 'en')).toContain('- and 3 more pull requests')
    expect(slackText(slackPayload('after', d, 'en'))).toContain('and 3 more pull requests')
    expect(
      changeLines(released({ changes: { base: 'v1', commits: 20, pulls: pulls(20) } }), 'en')
    ).not.toContain(expect.stringMatching(/more pull/))
  })

  it('says when the list is unknown, cut, or goes backwards', () => {
    const lines = (changes: object) =>
      changeLines(
        sampleRecord({ changes: { base: 'v1.1.9', commits: 0, pulls: [], ...changes } }),
        'en'
      )
    expect(lines({ error: 'GET /compare: 404 Not Found' })).toEqual([
      'the change list since v1.1.9 is unknown: GET /compare: 404 Not Found'
    ])
    expect(lines({ history: 'behind', behind_by: 3 })).toContain(
      'this commit is older than the running version: 3 commits would be taken back'
    )
    expect(lines({ commits: 300, truncated: true })).toContain(
      'GitHub lists only the first 250 commits and 300 files of a compare: the list is cut'
    )
    expect(lines({ commits: 2 })).toContain('no pull request named in the commit messages')
  })

  it('speaks French', () => {
    const d = released({ changes: { base: 'v1', commits: 25, pulls: pulls(22) } })
    const lines = changeLines(d, 'fr')
    expect(lines[0]).toBe('25 commits depuis v1')
    expect(lines).toContain('et 2 autres pull requests')
    expect(changesMarkdown(d, 'fr')).toContain('### Ce qui part')
  })

  it('an allowed finding is marked allowed; nothing at all renders nothing', () => {
    const d = released({ migration_findings: [{ ...FINDING, allowed: true }] })
    expect(changeLines(d, 'en').at(-1)).toMatch(/^☑️ .* \(allowed\): /)
    expect(changesMarkdown(sampleRecord(), 'en')).toBe('')
    expect(renderSummary(sampleRecord(), 'en')).not.toContain('What goes out')
  })
})
