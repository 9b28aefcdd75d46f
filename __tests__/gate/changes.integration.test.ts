/**
 * What goes out (docs/design.md sections 5 and 8): the change list from `GET compare`, this
 * release's migration files and their SQL lint, through the real client and the loopback
 * GitHub stand-in, with migration files on disk in a workspace of the test's own.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import {
  DEFAULT_RUN_ID,
  startGitHubApi,
  type CommitFile,
  type GitHubApi as StandIn
} from '../../__fixtures__/github-api.js'
import { seedGreenRepo, seedStagingSuccess } from '../../__fixtures__/start-stand-ins.js'
import { runGate, type GateDeps, type GateResult } from '../../src/gate/index.js'
import { pullsOf } from '../../src/gate/changes.js'
import { releaseMigrations } from '../../src/gate/migration-files.js'
import type { RunContext } from '../../src/github/context.js'
import { parseSettings, type InputName } from '../../src/settings/schema.js'
import { MemoryLog } from '../run/log.js'
import { connect, recordingClock } from '../github/connect.js'

const WEDNESDAY = new Date('2026-11-25T09:00:00Z')
const sha = (n: number) => n.toString(16).padStart(40, '0')
const RUNNING = sha(1)
const RELEASE = sha(5)

let gh: StandIn
let workspace: string
const clock = recordingClock(WEDNESDAY)

beforeEach(async () => {
  gh = await startGitHubApi({ headSha: RELEASE, clock: () => clock.now() })
  workspace = mkdtempSync(join(tmpdir(), 'rb-changes-'))
})
afterEach(async () => {
  await gh.close()
  rmSync(workspace, { recursive: true, force: true })
})

const ctx = (sha: string): RunContext => ({
  owner: 'acme',
  repo: 'shop',
  sha,
  ref: 'refs/heads/main',
  actor: 'alice',
  runId: DEFAULT_RUN_ID,
  eventName: 'push',
  apiUrl: gh.url,
  serverUrl: 'https://github.com',
  workspace,
  tempDir: tmpdir()
})

/** The gate of a production dry run of `sha` (this release unless told). */
const gate = (
  inputs: Partial<Record<InputName, string>> = {},
  sha = RELEASE
): Promise<GateResult> => {
  const deps: GateDeps = {
    api: connect(gh, clock).api,
    clock,
    log: new MemoryLog(),
    checkMigrations: async () => ({ ok: true, durationMs: 300, reason: '' }),
    probeUrl: async (url) => ({ url, ok: true, detail: '200' })
  }
  return runGate(
    parseSettings({
      environment: 'production',
      'required-approvals': '0',
      'dry-run': 'true',
      'monitoring-url': 'https://grafana.example/api/health',
      'rollback-command': './rollback.sh',
      'backup-command': './backup.sh',
      ...inputs
    }),
    ctx(sha),
    deps
  )
}

const write = (file: string, text: string) => {
  mkdirSync(dirname(join(workspace, file)), { recursive: true })
  writeFileSync(join(workspace, file), text)
}

/** v1.1.0 runs production (commit 1); commits 2..5 go out with this release. */
function seedHistory(files: Record<number, CommitFile[]> = {}) {
  seedGreenRepo(gh, RELEASE)
  seedStagingSuccess(gh, RELEASE, 'v1.2.0')
  gh.addCommit({ sha: RUNNING, message: 'Release v1.1.0 (#10)', author: 'carol' })
  gh.addCommit({
    sha: sha(2),
    message: 'Add user exports (#123)\n\n* first try\n* review fixes',
    author: 'alice',
    files: files[2]
  })
  gh.addCommit({
    sha: sha(3),
    message: 'Merge pull request #124 from bob/fix-login\n\nFix the login redirect',
    author: 'bob',
    files: files[3]
  })
  gh.addCommit({ sha: sha(4), message: 'Typo in README', author: null, files: files[4] })
  gh.addCommit({ sha: RELEASE, message: 'Tidy exports (#123)', author: 'alice', files: files[5] })
  gh.addDeployment({
    sha: RUNNING,
    ref: 'v1.1.0',
    environment: 'production',
    payload: { version: 'v1.1.0' },
    created_at: new Date(WEDNESDAY.getTime() - 86_400_000).toISOString(),
    statuses: [{ state: 'success' }]
  })
}

describe('the change list', () => {
  it("lists the commits' pull requests, both message shapes, each once", async () => {
    seedHistory()
    const r = await gate()
    expect(r.changes).toEqual({
      base: 'v1.1.0',
      commits: 4,
      url: `https://github.com/acme/shop/compare/${RUNNING}...${RELEASE}`,
      pulls: [
        { number: 123, title: 'Add user exports', author: 'alice' },
        { number: 124, title: 'Fix the login redirect', author: 'bob' }
      ]
    })
    expect(r.decision).toBe('go')
  })

  it('costs no round trip of its own: the compare goes out with the status reads', async () => {
    seedHistory()
    await gate()
    const compare = gh.requests.find((q) => q.path.includes('/compare/'))
    const statuses = gh.requests.filter((q) => /\/deployments\/\d+\/statuses/.test(q.path))
    expect(compare).toBeDefined()
    // sent before the first status read was answered
    expect(compare!.arrivedAt).toBeLessThan(Math.max(...statuses.map((s) => s.answeredAt ?? 0)))
    expect(gh.requestCount(/\/compare\//)).toBe(1)
  })

  it('a compare that fails is said in the record and never stops the release', async () => {
    seedHistory()
    gh.failNext(10, 500, /\/compare\//)
    const r = await gate()
    expect(r.changes).toMatchObject({ base: 'v1.1.0', error: expect.stringContaining('500') })
    expect(r.decision).toBe('go')
  })

  it('an unknown base (404) is said, and the release still goes', async () => {
    seedHistory()
    gh.state.history.splice(0, 1) // the running commit is unknown to GitHub (a force push)
    const r = await gate()
    expect(r.changes?.error).toContain('404')
    expect(r.decision).toBe('go')
  })

  it('a rollback to an older commit reads "behind"', async () => {
    seedHistory()
    // production runs commit 5 already; this release is commit 1's... commit 3
    gh.state.deployments[gh.state.deployments.length - 1]!.sha = RELEASE
    const older = sha(3)
    gh.state.headSha = older
    const r = await runGateAt(older)
    expect(r.changes).toMatchObject({ commits: 0, pulls: [], history: 'behind', behind_by: 2 })
    expect(r.decision).toBe('go')
  })

  it('a diverged history is said as such', async () => {
    seedHistory()
    gh.state.comparisons[`${RUNNING}...${RELEASE}`] = {
      status: 'diverged',
      ahead_by: 2,
      behind_by: 1,
      total_commits: 2,
      html_url: 'https://github.com/acme/shop/compare/x...y',
      commits: [],
      files: []
    }
    const r = await gate()
    expect(r.changes).toMatchObject({ history: 'diverged', behind_by: 1, commits: 2 })
  })

  it('a compare of more than 250 commits says it is truncated', async () => {
    seedHistory()
    for (let i = 0; i < 260; i++)
      gh.addCommit({ sha: sha(1000 + i), message: `Step ${i} (#${500 + i})` })
    const head = sha(1259)
    const r = await runGateAt(head)
    expect(r.changes).toMatchObject({ commits: 264, truncated: true })
    expect(r.changes?.pulls.length).toBe(250 - 4 + 2) // the 250 listed: 2 PRs of ours, 246 steps
  })

  it('there is no change list without a previous deployment', async () => {
    seedGreenRepo(gh, RELEASE)
    seedStagingSuccess(gh, RELEASE, 'v1.2.0')
    const r = await gate()
    expect(r.changes).toBeUndefined()
    expect(gh.requestCount(/\/compare\//)).toBe(0)
  })
})

/** A release of another commit of the history, green and through staging. */
function runGateAt(head: string): Promise<GateResult> {
  seedGreenRepo(gh, head)
  seedStagingSuccess(gh, head, 'v-head')
  return gate({}, head)
}

describe("this release's migrations", () => {
  const TIMEOUT = "SET lock_timeout = '5s';\n"
  const DROP = `${TIMEOUT}BEGIN;\nALTER TABLE users DROP COLUMN email;\nCOMMIT;\n`
  const SAFE = 'CREATE TABLE exports (id bigint PRIMARY KEY, user_id bigint NOT NULL);\n'
  const migrationInputs = {
    'migrate-command': './migrate.sh',
    'migrate-rollback-command': './migrate.sh down',
    'migrate-check-command': './migrate.sh --dry-run',
    'migrations-path': 'db/migrations/*.sql'
  }

  function seedMigrations() {
    seedHistory({
      2: [
        { filename: 'db/migrations/042_exports.sql', status: 'added' },
        { filename: 'src/exports.ts', status: 'added' }
      ],
      3: [
        { filename: 'db/migrations/001_init.sql', status: 'removed' },
        { filename: 'db/migrations/043_tmp.sql', status: 'added' }
      ],
      4: [{ filename: 'db/migrations/043_tmp.sql', status: 'removed' }],
      5: [
        { filename: 'db/migrations/040_users.sql', status: 'modified' },
        {
          filename: 'db/migrations/030_renamed.sql',
          previous_filename: 'db/migrations/030_old.sql',
          status: 'renamed',
          changes: 0
        }
      ]
    })
    write('db/migrations/040_users.sql', `${TIMEOUT}ALTER TABLE users ADD COLUMN plan text;\n`)
    write('db/migrations/042_exports.sql', SAFE)
    write('db/migrations/030_renamed.sql', 'TRUNCATE users;\n') // renamed as is: already applied
  }

  it('are the added or changed files of the compare that match; the record lists them', async () => {
    seedMigrations()
    const r = await gate(migrationInputs)
    expect(r.facts.migrationFiles?.files).toEqual([
      'db/migrations/040_users.sql',
      'db/migrations/042_exports.sql'
    ])
    expect(r.facts.migrationFiles?.findings).toEqual([])
    const item = r.checklist.find((i) => i.id === 'migrations')
    expect(item).toMatchObject({ status: 'pass' })
    expect(item?.detail).toContain('2 migration files of this release checked')
  })

  it('a data-losing statement aborts, naming file, line and rule', async () => {
    seedMigrations()
    write('db/migrations/042_exports.sql', DROP)
    const r = await gate(migrationInputs)
    expect(r.decision).toBe('abort')
    const item = r.checklist.find((i) => i.id === 'migrations')
    expect(item?.status).toBe('fail')
    expect(item?.detail).toMatch(
      /^db\/migrations\/042_exports\.sql:3 drop-column: DROP COLUMN users\.email/
    )
    expect(r.facts.migrationFiles?.findings).toEqual([
      expect.objectContaining({
        file: 'db/migrations/042_exports.sql',
        line: 3,
        rule: 'drop-column',
        severity: 'error'
      })
    ])
  })

  it('the same statement allowed in place goes, recorded as allowed', async () => {
    seedMigrations()
    write(
      'db/migrations/042_exports.sql',
      `${TIMEOUT}BEGIN;\n-- red-button: allow drop-column\nALTER TABLE users DROP COLUMN email;\nCOMMIT;\n`
    )
    const r = await gate(migrationInputs)
    expect(r.decision).toBe('go')
    expect(r.facts.migrationFiles?.findings).toEqual([
      expect.objectContaining({ line: 4, rule: 'drop-column', allowed: true })
    ])
    expect(r.checklist.find((i) => i.id === 'migrations')?.detail).toContain(
      'allowed: drop-column (db/migrations/042_exports.sql:4)'
    )
  })

  it('migration-lint: warn reports data loss without stopping; off does not parse', async () => {
    seedMigrations()
    write('db/migrations/042_exports.sql', DROP)
    const warned = await gate({ ...migrationInputs, 'migration-lint': 'warn' })
    expect(warned.decision).toBe('go')
    expect(warned.checklist.find((i) => i.id === 'migrations')?.detail).toContain(
      'warnings: drop-column (db/migrations/042_exports.sql:3)'
    )
    write('db/migrations/042_exports.sql', 'THIS IS NOT SQL')
    const off = await gate({ ...migrationInputs, 'migration-lint': 'off' })
    expect(off.decision).toBe('go')
    expect(off.facts.migrationFiles?.findings).toBeUndefined()
    expect(off.facts.migrationFiles?.files).toHaveLength(2)
  })

  it('DROP DATABASE, and CREATE INDEX CONCURRENTLY inside BEGIN ... COMMIT, abort the release', async () => {
    seedMigrations()
    write('db/migrations/042_exports.sql', 'DROP DATABASE shop;\n')
    write(
      'db/migrations/040_users.sql',
      `${TIMEOUT}BEGIN;\nCREATE INDEX CONCURRENTLY users_plan ON users (plan);\nCOMMIT;\n`
    )
    const r = await gate(migrationInputs)
    expect(r.decision).toBe('abort')
    const item = r.checklist.find((i) => i.id === 'migrations')
    expect(item?.status).toBe('fail')
    expect(item?.detail).toMatch(
      /^db\/migrations\/040_users\.sql:3 concurrent-index-in-transaction: CREATE INDEX CONCURRENTLY users_plan inside BEGIN \.\.\. COMMIT fails when it runs/
    )
    expect(r.facts.migrationFiles?.findings).toEqual([
      expect.objectContaining({
        file: 'db/migrations/040_users.sql',
        line: 3,
        rule: 'concurrent-index-in-transaction',
        severity: 'error'
      }),
      expect.objectContaining({
        file: 'db/migrations/042_exports.sql',
        line: 1,
        rule: 'drop-database',
        severity: 'error'
      })
    ])
    // each alone is enough
    write('db/migrations/040_users.sql', `${TIMEOUT}ALTER TABLE users ADD COLUMN plan text;\n`)
    expect((await gate(migrationInputs)).decision).toBe('abort')
    write('db/migrations/042_exports.sql', SAFE)
    write(
      'db/migrations/040_users.sql',
      'START TRANSACTION;\nDROP INDEX CONCURRENTLY users_plan;\nCOMMIT;\n'
    )
    expect((await gate(migrationInputs)).decision).toBe('abort')
    // the safe way: the same index outside a transaction, a warning for nothing
    write('db/migrations/040_users.sql', 'CREATE INDEX CONCURRENTLY users_plan ON users (plan);\n')
    const safe = await gate(migrationInputs)
    expect(safe.decision).toBe('go')
    expect(safe.facts.migrationFiles?.findings).toEqual([])
  })

  it('the new warnings do not stop the release under migration-lint: error; they are said', async () => {
    seedMigrations()
    write(
      'db/migrations/040_users.sql',
      'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\n'
    )
    const r = await gate(migrationInputs)
    expect(r.decision).toBe('go')
    expect(r.facts.migrationFiles?.findings?.map((f) => [f.line, f.rule, f.severity])).toEqual([
      [1, 'rewrite-table', 'warning'],
      [1, 'missing-lock-timeout', 'warning']
    ])
    expect(r.checklist.find((i) => i.id === 'migrations')?.detail).toContain(
      'warnings: rewrite-table (db/migrations/040_users.sql:1), missing-lock-timeout (db/migrations/040_users.sql:1)'
    )
  })

  it('a file that does not parse fails the item, naming file and line', async () => {
    seedMigrations()
    write(
      'db/migrations/040_users.sql',
      'ALTER TABLE users ADD COLUMN plan text;\nALTER TABEL x;\n'
    )
    const r = await gate({ ...migrationInputs, 'migration-lint': 'warn' })
    expect(r.decision).toBe('abort')
    expect(r.checklist.find((i) => i.id === 'migrations')?.detail).toMatch(
      /^db\/migrations\/040_users\.sql:2 does not parse: syntax error/
    )
  })

  it('a listed file missing from the workspace fails the item, saying to check out', async () => {
    seedMigrations()
    rmSync(join(workspace, 'db/migrations/042_exports.sql'))
    const r = await gate(migrationInputs)
    expect(r.decision).toBe('abort')
    expect(r.checklist.find((i) => i.id === 'migrations')?.detail).toContain(
      'db/migrations/042_exports.sql: not in the workspace'
    )
  })

  it('a failed compare leaves the files unknown: said, not linted, never a stop', async () => {
    seedMigrations()
    write('db/migrations/001_old.sql', 'ALTER TABLE users DROP COLUMN fax;') // applied long ago
    gh.failNext(10, 500, /\/compare\//)
    const r = await gate(migrationInputs)
    expect(r.decision).toBe('go')
    expect(r.facts.migrationFiles?.files).toEqual([])
    expect(r.checklist.find((i) => i.id === 'migrations')?.detail).toMatch(
      /^migrate-check-command exited 0 in 300ms; this release's migration files are unknown, so not linted \(the compare failed: .*500/
    )
  })

  it('a compare cut at 300 files says the migrations past them were not checked', async () => {
    seedMigrations()
    gh.addCommit({
      sha: sha(6),
      message: 'Generated files (#200)',
      files: Array.from({ length: 320 }, (_, i) => ({
        filename: `gen/${String(i).padStart(3, '0')}.txt`,
        status: 'added' as const
      }))
    })
    seedGreenRepo(gh, sha(6))
    seedStagingSuccess(gh, sha(6), 'v1.3.0')
    const r = await gate(migrationInputs, sha(6))
    expect(r.changes?.truncated).toBe(true)
    expect(r.facts.migrationFiles?.files).toEqual([
      'db/migrations/040_users.sql',
      'db/migrations/042_exports.sql'
    ])
    expect(r.checklist.find((i) => i.id === 'migrations')?.detail).toContain(
      'GitHub lists only the first 300 files of the compare: migrations past them were not checked'
    )
  })

  it('without a previous deployment, every matching file of the workspace counts', async () => {
    seedGreenRepo(gh, RELEASE)
    seedStagingSuccess(gh, RELEASE, 'v1.2.0')
    write('db/migrations/001_init.sql', SAFE)
    write('db/migrations/002_drop.sql', DROP)
    write('db/seeds/fixtures.sql', 'TRUNCATE users;')
    const r = await gate(migrationInputs)
    expect(r.facts.migrationFiles?.files).toEqual([
      'db/migrations/001_init.sql',
      'db/migrations/002_drop.sql'
    ])
    expect(r.decision).toBe('abort')
  })

  it('the migrations input wins over the files for the record, the lint still runs', async () => {
    seedMigrations()
    write('db/migrations/042_exports.sql', DROP)
    const r = await gate({ ...migrationInputs, migrations: 'add_exports' })
    expect(r.decision).toBe('abort')
    expect(r.facts.migrationFiles?.files).toHaveLength(2)
  })

  it('without migrate-command the lint still guards the release', async () => {
    seedMigrations()
    write('db/migrations/042_exports.sql', DROP)
    const r = await gate({ 'migrations-path': 'db/migrations/*.sql' })
    expect(r.checklist.find((i) => i.id === 'migrations')?.status).toBe('fail')
  })
})

describe('pullsOf and releaseMigrations (pure)', () => {
  const commit = (message: string, login: string | null = 'alice') => ({
    sha: 'x',
    commit: { message, author: { name: 'Alice Doe' } },
    author: login === null ? null : { login }
  })

  it('reads squash merges and merge commits, and nothing else', () => {
    expect(
      pullsOf([
        commit('Add exports (#12)'),
        commit('Merge pull request #13 from acme/x\n\nRename things'),
        commit('Merge branch main into feature'),
        commit('Mention #14 in passing'),
        commit('Fix (#15) and more'),
        commit('Add exports again (#12)'),
        commit('Unknown author (#16)', null)
      ])
    ).toEqual([
      { number: 12, title: 'Add exports', author: 'alice' },
      { number: 13, title: 'Rename things', author: 'alice' },
      { number: 16, title: 'Unknown author', author: 'Alice Doe' }
    ])
  })

  it('a renamed file counts when it comes into the migrations or was edited', () => {
    const files: CommitFile[] = [
      { filename: 'db/m/1.sql', previous_filename: 'tmp/1.sql', status: 'renamed', changes: 0 },
      {
        filename: 'db/m/2.sql',
        previous_filename: 'db/m/2-old.sql',
        status: 'renamed',
        changes: 0
      },
      {
        filename: 'db/m/3.sql',
        previous_filename: 'db/m/3-old.sql',
        status: 'renamed',
        changes: 4
      },
      { filename: 'db/m/4.sql', status: 'removed' },
      { filename: 'db/m/5.sql', status: 'added' },
      { filename: 'db/m/6.txt', status: 'added' }
    ]
    expect(releaseMigrations(files, ['db/m/*.sql'])).toEqual([
      'db/m/1.sql',
      'db/m/3.sql',
      'db/m/5.sql'
    ])
  })
})
