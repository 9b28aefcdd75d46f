import { describe, expect, it } from '@jest/globals'
import { evaluateBackup } from '../../src/gate/backup.js'
import {
  isActive,
  previousDeployment,
  viewOf,
  type DeploymentFacts
} from '../../src/gate/deployments.js'
import { evaluateLock, lockHolder } from '../../src/gate/lock.js'
import { evaluateMigrations } from '../../src/gate/migrations.js'
import { displayUrl, evaluateMonitoring } from '../../src/gate/monitoring.js'
import { evaluateRollback } from '../../src/gate/rollback.js'
import { decide } from '../../src/gate/verdict.js'
import type { ChecklistItem, ItemId, MigrationFinding } from '../../src/record/types.js'
import { deployment, redButtonPayload, SHA, WEDNESDAY } from './facts.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('evaluateMigrations', () => {
  it('is na without migrate-command', () => {
    expect(evaluateMigrations({ deploy: 'd', migrateCheck: 'c' }, undefined, 'en')).toEqual({
      id: 'migrations',
      item: 'Migrations verified',
      status: 'na',
      detail: 'no migrate-command: no migrations to verify'
    })
  })

  it('fails when migrations run without a check', () => {
    const item = evaluateMigrations({ migrate: 'm' }, undefined, 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('migrate-command is set but no migrate-check-command verifies it')
  })

  it('passes when the check exited 0, and fails with its reason otherwise', () => {
    const commands = { migrate: 'm', migrateCheck: 'c' }
    const ok = evaluateMigrations(commands, { ok: true, durationMs: 2500, reason: '' }, 'en')
    expect(ok.status).toBe('pass')
    expect(ok.detail).toBe('migrate-check-command exited 0 in 3s')
    const ko = evaluateMigrations(
      commands,
      { ok: false, durationMs: 800, reason: 'exit code 3' },
      'en'
    )
    expect(ko.status).toBe('fail')
    expect(ko.detail).toBe('migrate-check-command failed: exit code 3')
  })

  describe("with this release's migration files (migrations-path)", () => {
    const finding = (extra: Partial<MigrationFinding> = {}): MigrationFinding => ({
      file: 'db/7.sql',
      line: 2,
      rule: 'drop-column',
      severity: 'error',
      detail: 'DROP COLUMN users.email deletes the column and its data',
      ...extra
    })
    const files = (findings: MigrationFinding[], extra = {}) => ({
      files: { files: ['db/7.sql'], findings, ...extra },
      lint: 'error' as const
    })
    const check = { ok: true, durationMs: 1000, reason: '' }
    const commands = { migrate: 'm', migrateCheck: 'c' }

    it('a data-losing finding fails, naming file, line and rule, and how to allow it', () => {
      const item = evaluateMigrations(
        commands,
        check,
        'en',
        files([finding(), finding({ line: 9 })])
      )
      expect(item).toMatchObject({ status: 'fail' })
      expect(item.detail).toBe(
        'db/7.sql:2 drop-column: DROP COLUMN users.email deletes the column and its data (and 1 more); allow it with "-- red-button: allow drop-column" on the line before'
      )
    })

    it('allowed, or under warn, it passes and is said', () => {
      const allowed = evaluateMigrations(commands, check, 'en', files([finding({ allowed: true })]))
      expect(allowed).toMatchObject({ status: 'pass' })
      expect(allowed.detail).toBe(
        'migrate-check-command exited 0 in 1s; 1 migration file of this release checked; allowed: drop-column (db/7.sql:2)'
      )
      const warned = evaluateMigrations(commands, check, 'en', {
        ...files([finding()]),
        lint: 'warn'
      })
      expect(warned).toMatchObject({ status: 'pass' })
      expect(warned.detail).toContain('warnings: drop-column (db/7.sql:2)')
    })

    it('warnings never fail; a syntax error always does, even under warn', () => {
      const lock = finding({ rule: 'require-concurrent-index', severity: 'warning' })
      expect(evaluateMigrations(commands, check, 'en', files([lock])).status).toBe('pass')
      const syntax = finding({ rule: 'syntax-error', detail: 'syntax error at or near "TABEL"' })
      const item = evaluateMigrations(commands, check, 'en', { ...files([syntax]), lint: 'warn' })
      expect(item).toMatchObject({
        status: 'fail',
        detail: 'db/7.sql:2 does not parse: syntax error at or near "TABEL"'
      })
    })

    it('a failed migrate-check is named before the lint', () => {
      const item = evaluateMigrations(
        commands,
        { ok: false, durationMs: 1, reason: 'exit code 1' },
        'en',
        files([finding()])
      )
      expect(item.detail).toBe('migrate-check-command failed: exit code 1')
    })

    it('without migrate-command the lint still counts; no file at all is na', () => {
      expect(evaluateMigrations({}, undefined, 'en', files([finding()])).status).toBe('fail')
      expect(
        evaluateMigrations({}, undefined, 'en', {
          files: { files: [], findings: [] },
          lint: 'error'
        })
      ).toMatchObject({
        status: 'na',
        detail: 'no migration file in this release (migrations-path)'
      })
    })

    it('files that cannot be read fail; files unknown (a failed compare) are said, not a stop', () => {
      const unread = evaluateMigrations(
        commands,
        check,
        'en',
        files([], { error: 'db/7.sql: not in the workspace' })
      )
      expect(unread).toMatchObject({ status: 'fail' })
      const unknown = evaluateMigrations({}, undefined, 'fr', {
        files: { files: [], unknown: 'HTTP 502' },
        lint: 'error'
      })
      expect(unknown).toMatchObject({
        status: 'na',
        detail:
          'les fichiers de migration de cette version sont inconnus, donc non vérifiés (la comparaison a échoué : HTTP 502)'
      })
    })
  })
})

describe('evaluateMonitoring', () => {
  it('fails when no monitoring-url is configured', () => {
    const item = evaluateMonitoring([], 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('no monitoring-url configured: deploying blind is not allowed')
  })

  it('passes when every URL answered', () => {
    const item = evaluateMonitoring(
      [
        { url: 'https://a.example.com/health', ok: true, detail: '200' },
        { url: 'https://b.example.com/health', ok: true, detail: '204' }
      ],
      'en'
    )
    expect(item).toEqual({
      id: 'monitoring',
      item: 'Monitoring active',
      status: 'pass',
      detail: '2 of 2 monitoring URLs answered 2xx'
    })
  })

  it('names a failing URL without its credentials or query', () => {
    const item = evaluateMonitoring(
      [
        { url: 'https://a.example.com/health', ok: true, detail: '200' },
        {
          url: 'https://admin:hunter2@grafana.example.com:3000/api/health?api_key=SECRET#x',
          ok: false,
          detail: '503'
        }
      ],
      'en'
    )
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('not answering: https://grafana.example.com:3000/api/health (503)')
    expect(item.detail).not.toMatch(/hunter2|admin|SECRET|api_key/)
  })

  it('displays an unparsable URL as such', () => {
    expect(displayUrl('not a url')).toBe('invalid URL')
  })

  it('speaks French', () => {
    expect(evaluateMonitoring([], 'fr')).toEqual({
      id: 'monitoring',
      item: 'Monitoring actif',
      status: 'fail',
      detail: "aucun monitoring-url : déployer à l'aveugle est interdit"
    })
  })
})

describe('evaluateRollback', () => {
  const NO_PLAN = { forwardOnlyMigrations: false }
  it('passes with a command or a plan, and fails with neither', () => {
    expect(evaluateRollback({ rollback: './rollback.sh' }, NO_PLAN, 'en')).toMatchObject({
      status: 'pass',
      detail: 'rollback-command given'
    })
    expect(
      evaluateRollback({}, { ...NO_PLAN, rollbackPlan: 'redeploy v1.1 by hand' }, 'en')
    ).toMatchObject({
      status: 'pass',
      detail: 'rollback-plan given (manual rollback)'
    })
    expect(evaluateRollback({ deploy: './deploy.sh' }, NO_PLAN, 'en')).toMatchObject({
      id: 'rollback',
      item: 'Rollback plan ready',
      status: 'fail',
      detail: 'neither rollback-command nor rollback-plan given'
    })
  })

  it('asks the schema for a way back whenever the release migrates', () => {
    const prisma = { rollback: './deploy.sh rollback', migrate: 'npx prisma migrate deploy' }
    expect(evaluateRollback(prisma, NO_PLAN, 'en')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^migrate-command is set but the schema has no way back: give migrate-rollback-command, or forward-only-migrations: true/
      )
    })
    expect(evaluateRollback(prisma, { forwardOnlyMigrations: true }, 'fr')).toMatchObject({
      status: 'pass',
      detail:
        'rollback-command fourni ; le schéma est conservé (migrations forward-only) : un rollback redéploie le code seul'
    })
    expect(
      evaluateRollback({ ...prisma, migrateRollback: './down.sh' }, NO_PLAN, 'en')
    ).toMatchObject({ status: 'pass', detail: 'rollback-command given' })
  })

  it('refuses a rollback that destroys data, naming the command and the input', () => {
    const item = evaluateRollback(
      {
        rollback: './deploy.sh rollback',
        migrate: 'npx prisma migrate deploy',
        migrateRollback: 'npx prisma migrate reset --force --skip-seed'
      },
      NO_PLAN,
      'en'
    )
    expect(item).toMatchObject({
      status: 'fail',
      detail:
        'migrate-rollback-command runs `prisma migrate reset`, which drops the database and every row in it: a rollback that loses data is no plan'
    })
    // even a plan in words does not excuse a destructive command
    expect(
      evaluateRollback(
        { rollback: 'bin/rails db:schema:load' },
        { rollbackPlan: 'by hand', forwardOnlyMigrations: false },
        'fr'
      ).detail
    ).toBe(
      "rollback-command lance `rails db:schema:load`, qui recrée toutes les tables vides : un rollback qui perd des données n'est pas un plan"
    )
  })
})

describe('evaluateBackup', () => {
  const prod = { isProduction: true, environment: 'production' }
  const staging = { isProduction: false, environment: 'staging' }

  it('is na without migrations or outside production, and says which', () => {
    expect(evaluateBackup({ backup: 'b' }, prod, 'en')).toMatchObject({
      status: 'na',
      detail: 'not needed: no migrate-command, so no data is changed'
    })
    // a migrate-command on staging: the reason is the environment, not the command
    expect(evaluateBackup({ migrate: 'm' }, staging, 'en')).toMatchObject({
      status: 'na',
      detail: 'staging is not a production environment'
    })
  })

  it('requires backup-command before migrating production', () => {
    expect(evaluateBackup({ migrate: 'm', backup: 'b' }, prod, 'en')).toMatchObject({
      status: 'pass',
      detail: 'backup-command given'
    })
    expect(evaluateBackup({ migrate: 'm' }, prod, 'en')).toMatchObject({
      id: 'backup',
      item: 'Backup ready',
      status: 'fail',
      detail: 'backup-command is required before migrating production'
    })
    expect(evaluateBackup({ migrate: 'm' }, prod, 'fr')).toMatchObject({
      item: 'Backup prêt',
      status: 'fail',
      detail: 'backup-command est obligatoire avant de migrer la production'
    })
  })
})

describe('evaluateLock / lockHolder', () => {
  const now = WEDNESDAY
  const facts = (...target: ReturnType<typeof deployment>[]): DeploymentFacts => ({ target })

  it('is free when nothing is in progress', () => {
    const item = evaluateLock(facts(deployment(10, 'success', { ageMs: 5 * MINUTE })), now, 'en')
    expect(item).toEqual({
      id: 'lock',
      item: 'No other deployment in progress',
      status: 'pass',
      detail: 'no other deployment in progress'
    })
  })

  it('is held by an in_progress deployment younger than 1 h, named in the detail', () => {
    const d = deployment(11, 'in_progress', { ageMs: 12 * MINUTE, creator: 'bob' })
    const item = evaluateLock(facts(d), now, 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('deployment #11 by bob is in_progress (started 12m ago)')
    expect(lockHolder([d], now).holder?.id).toBe(11)
  })

  it('is held by a queued deployment', () => {
    const item = evaluateLock(facts(deployment(12, 'queued', { ageMs: MINUTE })), now, 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toContain('#12')
    expect(item.detail).toContain('queued')
  })

  it('reports an in_progress deployment older than 1 h as stale, without blocking', () => {
    const old = deployment(13, 'in_progress', { ageMs: HOUR + MINUTE })
    const item = evaluateLock(facts(old), now, 'en')
    expect(item.status).toBe('pass')
    expect(item.detail).toBe('no other deployment in progress; stale, ignored (over 1 h): #13')
    expect(lockHolder([old], now)).toEqual({ holder: undefined, stale: [old] })
  })

  it('mentions stale ones next to the holder; the oldest active young one holds the lock', () => {
    const item = evaluateLock(
      facts(
        deployment(21, 'queued', { ageMs: 2 * MINUTE }),
        deployment(20, 'in_progress', { ageMs: 20 * MINUTE }),
        deployment(15, 'in_progress', { ageMs: 3 * HOUR })
      ),
      now,
      'en'
    )
    expect(item.status).toBe('fail')
    expect(item.detail).toMatch(/^deployment #20 by octocat is in_progress \(started 20m ago\)/)
    expect(item.detail).toMatch(/; stale, ignored \(over 1 h\): #15$/)
  })

  it('counts our own deployment that has no status yet, but not a foreign one', () => {
    const ours = deployment(30, undefined, { ageMs: MINUTE, byRedButton: true })
    const foreign = deployment(31, undefined, { ageMs: MINUTE })
    expect(isActive(ours)).toBe(true)
    expect(isActive(foreign)).toBe(false)
    expect(evaluateLock(facts(ours), now, 'en').detail).toContain('is starting')
  })

  it('never counts a postponed release (queued with payload.red_button.postponed_until)', () => {
    const postponed = deployment(50, 'queued', {
      ageMs: MINUTE,
      postponed: true,
      byRedButton: true
    })
    const starting = deployment(51, undefined, {
      ageMs: MINUTE,
      postponed: true,
      byRedButton: true
    })
    expect(isActive(postponed)).toBe(false)
    expect(isActive(starting)).toBe(false)
    expect(evaluateLock(facts(postponed, starting), now, 'en').status).toBe('pass')
    // a postponed release that was resumed and is deploying holds it like any other
    const resumed = deployment(52, 'in_progress', { ageMs: MINUTE, postponed: true })
    expect(evaluateLock(facts(resumed), now, 'en').status).toBe('fail')
  })

  it('leaves out the excluded deployment (our own)', () => {
    const ours = deployment(40, 'in_progress', { ageMs: MINUTE })
    expect(evaluateLock(facts(ours), now, 'en', 40).status).toBe('pass')
    expect(lockHolder([ours], now, { excludeId: 40 }).holder).toBeUndefined()
  })

  it('fails when the deployments could not be read', () => {
    const item = evaluateLock({ target: [], error: 'HTTP 502' }, now, 'en')
    expect(item.status).toBe('fail')
    expect(item.detail).toBe('could not read the deployments: HTTP 502')
  })

  it('speaks French', () => {
    const d = deployment(11, 'in_progress', { ageMs: 12 * MINUTE, creator: 'bob' })
    expect(evaluateLock(facts(d), now, 'fr')).toEqual({
      id: 'lock',
      item: 'Aucun autre déploiement en cours',
      status: 'fail',
      detail: 'le déploiement #11 de bob est in_progress (démarré il y a 12m)'
    })
  })
})

describe('decide', () => {
  const item = (id: ItemId, status: ChecklistItem['status']): ChecklistItem => ({
    id,
    item: id,
    status,
    detail: ''
  })
  const allPass = (['ci', 'staging', 'migrations', 'window', 'monitoring'] as ItemId[]).map((id) =>
    item(id, id === 'migrations' ? 'na' : 'pass')
  )
  const with_ = (...changes: [ItemId, ChecklistItem['status']][]): ChecklistItem[] =>
    allPass.map((i) => {
      const c = changes.find(([id]) => id === i.id)
      return c ? item(i.id, c[1]) : i
    })

  it('goes when nothing fails (na counts as no failure)', () => {
    expect(decide(allPass)).toBe('go')
  })
  it('postpones when only the time rule fails', () => {
    expect(decide(with_(['window', 'fail']))).toBe('postpone')
  })
  it('aborts when the time rule and another item fail', () => {
    expect(decide(with_(['window', 'fail'], ['ci', 'fail']))).toBe('abort')
  })
  it('aborts when any other item fails', () => {
    expect(decide(with_(['monitoring', 'fail']))).toBe('abort')
  })
  it('postpones when staging fails only for time (still baking), alone or with the window', () => {
    expect(decide(with_(['staging', 'fail']), ['staging'])).toBe('postpone')
    expect(decide(with_(['staging', 'fail'], ['window', 'fail']), ['staging'])).toBe('postpone')
    expect(decide(with_(['staging', 'fail'], ['ci', 'fail']), ['staging'])).toBe('abort')
    // a staging failure that is not about time aborts
    expect(decide(with_(['staging', 'fail']))).toBe('abort')
  })
})

describe('previousDeployment / viewOf', () => {
  it('is the newest deployment whose latest status is success', () => {
    const target = [
      deployment(5, 'in_progress'),
      deployment(4, 'failure'),
      deployment(3, 'success', { version: 'v1.3.0' }),
      deployment(2, 'success', { version: 'v1.2.0' })
    ]
    expect(previousDeployment(target)?.version).toBe('v1.3.0')
    expect(previousDeployment(target, 3)?.version).toBe('v1.2.0')
    expect(previousDeployment([deployment(1, 'inactive')])).toBeUndefined()
  })

  const raw = {
    id: 7,
    sha: SHA,
    ref: 'main',
    environment: 'production',
    created_at: '2026-11-20T10:00:00Z',
    creator: { login: 'carol' }
  }

  it('takes the version from payload.version, else the ref', () => {
    expect(viewOf({ ...raw, payload: { version: 'v2.0.0', tool: 'red-button' } })).toMatchObject({
      version: 'v2.0.0',
      byRedButton: true,
      creator: 'carol',
      createdAt: new Date('2026-11-20T10:00:00Z'),
      read: false
    })
    expect(viewOf({ ...raw, payload: JSON.stringify({ version: 'v2.0.1' }) }).version).toBe(
      'v2.0.1'
    )
    expect(viewOf({ ...raw, payload: {} }).version).toBe('main')
    expect(viewOf({ ...raw, payload: { version: '' } }).version).toBe('main')
    expect(viewOf({ ...raw, payload: 'free text' }).version).toBe('main')
    expect(viewOf({ ...raw, payload: redButtonPayload, creator: null })).toMatchObject({
      creator: 'unknown',
      byRedButton: true
    })
  })
})
