import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import yaml from 'js-yaml'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import type { DeploymentRecord } from '../../src/record/types.js'
import { inputEnv, runStep } from '../../bench/action-runner.mjs'
import { actionCopy, baseEnv, newJob, removeJob, runMain, type RunnerJob } from './action-runner.js'

/**
 * Issue 11's "done when", run by dist/ as a runner runs it: a release whose migration drops
 * a column is refused before anything runs; allowed in place it goes out, recorded as
 * allowed; the record and the Slack message list the commits' pull requests and the
 * migration files read from the compare.
 */

const TUESDAY = '2026-11-24T10:00:00Z'
const RUNNING = '1'.repeat(40)
const TOKEN = 'ghs_e2e-test-token-0123456789'

let api: GitHubApi
let service: SampleService
let slack: Receiver
let job: RunnerJob

beforeEach(async () => {
  ;[api, service, slack] = await Promise.all([
    startReleasableApi(),
    startSampleService(),
    startReceiver()
  ])
  job = newJob()
  // v1.1.0 runs production; two pull requests and a migration go out with this commit
  api.addCommit({ sha: RUNNING, message: 'Release v1.1.0 (#10)' })
  api.addCommit({
    sha: '2'.repeat(40),
    message: 'Add user exports (#123)',
    author: 'alice',
    files: [{ filename: 'db/migrations/042_exports.sql', status: 'added' }]
  })
  api.addCommit({
    sha: DEFAULT_SHA,
    message: 'Merge pull request #124 from bob/email\n\nDrop the legacy email column',
    author: 'bob',
    files: [
      { filename: 'db/migrations/043_drop_email.sql', status: 'added' },
      { filename: 'README.md', status: 'modified' }
    ]
  })
  api.addDeployment({
    sha: RUNNING,
    ref: 'v1.1.0',
    environment: 'production',
    payload: { version: 'v1.1.0' },
    created_at: '2026-11-20T10:00:00Z',
    statuses: [{ state: 'success' }]
  })
  write('db/migrations/001_init.sql', 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n')
  write('db/migrations/042_exports.sql', 'CREATE TABLE exports (id bigint PRIMARY KEY);\n')
})
afterEach(async () => {
  await Promise.all([api.close(), service.close(), slack.close()])
  removeJob(job)
})

function write(file: string, text: string) {
  const path = join(job.workspace, file)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

function release(extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runMain(
    job,
    { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: TUESDAY, ...env },
    {
      inputs: {
        environment: 'production',
        version: 'v1.2.0',
        'required-approvals': '0',
        'monitoring-url': `${service.url}/health`,
        'backup-command': 'echo backup >> steps.log',
        'migrate-check-command': 'echo check >> steps.log',
        'migrate-command': 'echo migrate >> steps.log',
        'migrate-rollback-command': 'echo migrate-rollback >> steps.log',
        'deploy-command': 'echo deploy >> steps.log',
        'rollback-command': 'echo rollback >> steps.log',
        'migrations-path': 'db/migrations/*.sql',
        'monitor-duration': '0',
        'slack-webhook': `${slack.url}/slack/T/B/x`,
        'webhook-url': `${slack.url}/hooks/rb`,
        'pr-comment': 'false',
        ...extra
      }
    }
  )
}

const recordOf = (r: { outputs: Record<string, string> }) =>
  (yaml.load(r.outputs.record ?? '') as { deployment: DeploymentRecord }).deployment

describe('a release with migrations (dist/)', () => {
  it('that drops a column is refused with file, line and rule named, and nothing runs', async () => {
    write(
      'db/migrations/043_drop_email.sql',
      'BEGIN;\nALTER TABLE users DROP COLUMN email;\nCOMMIT;\n'
    )
    const r = await release()
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('aborted')
    const d = recordOf(r)
    expect(d.checklist.find((i) => i.id === 'migrations')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^db\/migrations\/043_drop_email\.sql:2 drop-column: DROP COLUMN users\.email/
      )
    })
    // only the read-only check ran: no backup, no migration, no deploy
    expect(d.steps).toEqual([])
    expect(
      api.state.deployments.filter((x) => x.sha === DEFAULT_SHA && x.environment === 'production')
    ).toHaveLength(0)
    const aborted = slack.requests
      .filter((q) => q.path.startsWith('/slack'))
      .map((q) => JSON.stringify(q.json))
      .join('\n')
    expect(aborted).toContain('043_drop_email.sql:2 drop-column')
  })

  it('DROP DATABASE and CREATE INDEX CONCURRENTLY inside BEGIN ... COMMIT are refused, named', async () => {
    write(
      'db/migrations/042_exports.sql',
      'BEGIN;\nCREATE TABLE exports (id bigint PRIMARY KEY);\nCREATE INDEX CONCURRENTLY exports_id ON exports (id);\nCOMMIT;\n'
    )
    write('db/migrations/043_drop_email.sql', '-- start again\nDROP DATABASE shop;\n')
    const r = await release()
    expect(r.code).toBe(1)
    expect(r.outputs.status).toBe('aborted')
    const d = recordOf(r)
    expect(d.checklist.find((i) => i.id === 'migrations')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^db\/migrations\/042_exports\.sql:3 concurrent-index-in-transaction: CREATE INDEX CONCURRENTLY exports_id inside BEGIN \.\.\. COMMIT fails when it runs.* \(and 1 more\)/
      )
    })
    expect(d.migration_findings).toEqual([
      expect.objectContaining({
        file: 'db/migrations/042_exports.sql',
        line: 3,
        rule: 'concurrent-index-in-transaction',
        severity: 'error'
      }),
      expect.objectContaining({
        file: 'db/migrations/043_drop_email.sql',
        line: 2,
        rule: 'drop-database',
        severity: 'error'
      })
    ])
    expect(d.steps).toEqual([])
  })

  it('the same, allowed in place, goes out; record and Slack list the PRs and migrations', async () => {
    write(
      'db/migrations/043_drop_email.sql',
      "SET lock_timeout = '5s';\nBEGIN;\n-- red-button: allow drop-column\nALTER TABLE users DROP COLUMN email;\nCOMMIT;\n"
    )
    const r = await release()
    expect(r.outputs.status).toBe('deployed')
    const d = recordOf(r)
    expect(d.migrations).toEqual([
      'db/migrations/042_exports.sql',
      'db/migrations/043_drop_email.sql'
    ])
    expect(d.migration_findings).toEqual([
      expect.objectContaining({
        file: 'db/migrations/043_drop_email.sql',
        line: 4,
        rule: 'drop-column',
        allowed: true
      })
    ])
    expect(d.changes).toMatchObject({
      base: 'v1.1.0',
      commits: 2,
      pulls: [
        { number: 123, title: 'Add user exports', author: 'alice' },
        { number: 124, title: 'Drop the legacy email column', author: 'bob' }
      ]
    })
    const after = JSON.stringify(
      slack.requests.filter((q) => q.path.startsWith('/slack')).at(-1)?.json
    )
    expect(after).toContain('#123 Add user exports (alice)')
    expect(after).toContain('#124 Drop the legacy email column (bob)')
    expect(after).toContain(
      'Migrations: db/migrations/042_exports.sql, db/migrations/043_drop_email.sql'
    )
    expect(r.summary).toContain('### What goes out')
    // the webhook carries the record, change list and findings included
    const hook = slack.requests.filter((q) => q.path.startsWith('/hooks')).at(-1)?.json as {
      deployment: DeploymentRecord
    }
    expect(hook.deployment.changes?.pulls.map((p) => p.number)).toEqual([123, 124])
    expect(hook.deployment.migration_findings?.[0]).toMatchObject({ allowed: true })
  })

  it('a dry run on the pull request comments the plan: a reviewer reads what it drops', async () => {
    write('db/migrations/043_drop_email.sql', 'ALTER TABLE users DROP COLUMN legacy_email;\n')
    api.addPull(DEFAULT_SHA, {
      number: 124,
      title: 'Drop the legacy email column',
      head_ref: 'bob/email'
    })
    removeJob(job)
    job = newJob({ pull_request: { number: 124, head: { sha: DEFAULT_SHA, ref: 'bob/email' } } })
    write('db/migrations/042_exports.sql', 'CREATE TABLE exports (id bigint PRIMARY KEY);\n')
    write('db/migrations/043_drop_email.sql', 'ALTER TABLE users DROP COLUMN legacy_email;\n')
    const r = await release(
      { 'dry-run': 'true', 'pr-comment': 'true', 'slack-webhook': '', 'webhook-url': '' },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/124/merge' }
    )
    expect(r.code).toBe(0)
    expect(r.outputs.status).toBe('planned')
    expect(r.outputs.decision).toBe('abort')
    const body = api.state.comments.find((c) => c.issue_number === 124)?.body ?? ''
    expect(body).toContain('### What goes out')
    expect(body).toContain('- #124 Drop the legacy email column (bob)')
    expect(body).toMatch(/043\\_drop\\_email\.sql:1 drop-column: DROP COLUMN users\.legacy\\_email/)
    expect(body).toContain('| db/migrations/043\\_drop\\_email.sql | 1 | drop-column | ⛔ error |')
  })
})

describe('a dry run without migrations-path (dist/)', () => {
  it('never loads the SQL parser: it plans with the parser files gone from dist/', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'red-button-no-parser-'))
    try {
      cpSync(await actionCopy(), bare, { recursive: true })
      for (const f of ['lint.js', 'libpg-query.cjs', 'libpg-query.wasm'])
        rmSync(join(bare, 'dist', 'chunks', f))
      const env = { ...baseEnv(job, api.url, DEFAULT_SHA), RED_BUTTON_NOW: TUESDAY }
      const inputs = {
        environment: 'production',
        'dry-run': 'true',
        'required-approvals': '0',
        'monitoring-url': `${service.url}/health`,
        'rollback-command': 'true',
        'pr-comment': 'false'
      }
      const plain = await runStep(
        'index.js',
        job,
        { ...env, ...inputEnv(inputs, TOKEN) },
        { actionDir: bare }
      )
      expect(plain.outputs.status).toBe('planned')
      const linted = await runStep(
        'index.js',
        job,
        { ...env, ...inputEnv({ ...inputs, 'migrations-path': 'db/migrations/*.sql' }, TOKEN) },
        { actionDir: bare }
      )
      // asked for, the parser is loaded, and its absence is a bug of the bundle, said as such
      expect(linted.outputs.status).toBe('aborted')
      expect(linted.stdout).toMatch(/unexpected error|Cannot find module|ERR_MODULE_NOT_FOUND/)
    } finally {
      rmSync(bare, { recursive: true, force: true })
    }
  })
})
