import type { Clock } from '../clock.js'
import type { Log } from '../core.js'
import type { GitHubApi, PullRequest } from '../github/api.js'
import type { RunContext } from '../github/context.js'
import type { ChangesRecord, ChecklistItem, Decision, StagingRecord } from '../record/types.js'
import { windowsFor } from '../schedule/windows.js'
import { isProductionName } from '../settings/names.js'
import { collectFreezeSources } from './freeze-sources.js'
import type { Settings } from '../settings/schema.js'
import { evaluateBackup } from './backup.js'
import { changesRecord, collectChangeFacts, comparer, type ChangeFacts } from './changes.js'
import { collectCiFacts, evaluateCi, type CiFacts } from './ci.js'
import {
  collectDeploymentFacts,
  previousDeployment,
  type DeploymentFacts,
  type DeploymentView
} from './deployments.js'
import { collectIncidentFacts, evaluateIncidents, type IncidentFacts } from './incidents.js'
import { evaluateLock } from './lock.js'
import { collectReviewFacts, evaluateReview, reviewWanted, type ReviewFacts } from './review.js'
import type { MigrationFileFacts } from './migration-files.js'
import { evaluateMigrations, type MigrationCheckFacts } from './migrations.js'
import { evaluateMonitoring, type UrlAnswer } from './monitoring.js'
import { evaluateRollback } from './rollback.js'
import {
  afterBake,
  evaluateStaging,
  stagingRecord,
  stillBaking,
  type StagingOptions
} from './staging.js'
import { decide } from './verdict.js'
import {
  blockingWindow,
  evaluateWindow,
  nameOf,
  OVERRIDE_ROLES,
  wantsOverride,
  type WindowFacts
} from './window.js'

/** The world as the gate sees it; everything the checklist is decided from. */
export interface Facts {
  now: Date
  isProduction: boolean
  ci: CiFacts
  deployments: DeploymentFacts
  migrationCheck?: MigrationCheckFacts
  monitoring: UrlAnswer[]
  window: WindowFacts
  /** the pull request and its reviews (production, required-approvals > 0) */
  review?: ReviewFacts
  /** the alerts firing at the gate (with alertmanager-url) */
  incidents?: IncidentFacts
  /** what goes out since the previous deployment (when there is one) */
  changes?: ChangeFacts
  /** this release's migration files and their lint (with migrations-path) */
  migrationFiles?: MigrationFileFacts
}

export interface GateResult {
  facts: Facts
  checklist: ChecklistItem[]
  decision: Decision
  /** first allowed instant: now when allowed, later when postponed */
  nextWindow?: Date
  overridden: boolean
  previous?: DeploymentView
  /** what goes out (the record's `changes`) */
  changes?: ChangesRecord
  /** what a postponed release waits for: the freeze window's name, the items that wait */
  waitingFor?: string[]
  /** the commit on each staging environment and how long it has been live (the record's `staging`) */
  staging?: StagingRecord[]
  /** worded warnings for the record (a freeze starting within 24 h) */
  warnings?: string[]
}

export interface GateDeps {
  api: GitHubApi
  clock: Clock
  log: Log
  /** runs `migrate-check-command`; called only when migrations are configured */
  checkMigrations(): Promise<MigrationCheckFacts>
  /** GET with the monitoring timeout: does this URL answer 2xx? */
  probeUrl(url: string): Promise<UrlAnswer>
  ciPollMs?: number
  /** cancels the wait for pending checks */
  signal?: AbortSignal
  /** the one read of `commits/{sha}/pulls`, shared with the PR comment (read here if not given) */
  pulls?: Promise<PullRequest[]>
}

export function isProductionTarget(
  settings: Pick<Settings, 'environment' | 'productionEnvironments'>
): boolean {
  return isProductionName(settings.environment, settings.productionEnvironments)
}

/** Gathers the facts, concurrently where they are independent. */
export async function gatherFacts(
  settings: Settings,
  ctx: RunContext,
  deps: GateDeps
): Promise<Facts> {
  const now = deps.clock.now()
  const isProduction = isProductionTarget(settings)
  const window: WindowFacts = {
    now,
    timeZone: settings.timeZone,
    windows: windowsFor(settings.freeze, settings.environment, isProduction),
    urgency: settings.urgency,
    reason: settings.reason,
    actor: ctx.actor,
    runwayMs: settings.runwayMs
  }
  // holidays, calendars and deploy hours apply to production targets
  const sourcesRead = isProduction
    ? collectFreezeSources(settings, { workspace: ctx.workspace, now, signal: deps.signal })
    : undefined
  const compare = comparer(deps.api, ctx.sha)
  const deploymentsRead = collectDeploymentFacts(deps.api, {
    environment: settings.environment,
    sha: ctx.sha,
    stagingEnvironments: isProduction ? settings.stagingEnvironments : undefined,
    now,
    ownRunId: ctx.runId,
    // the newest deployment is most often the running version: compare with it at once
    onListed: (target) => {
      const guess = target.find((v) => v.sha !== ctx.sha)
      if (guess) void compare(guess.sha)
    }
  })
  // what goes out, then which of it are migrations and what their SQL does
  const changesRead = deploymentsRead.then(async (d) => {
    const changes = await collectChangeFacts(compare, previousDeployment(d.target))
    // globbing and the SQL parser are loaded only for a run with migrations-path
    const migrationFiles =
      settings.migrationsPath.length > 0
        ? await (
            await import('./migration-files.js')
          ).collectMigrationFiles({
            workspace: ctx.workspace,
            globs: settings.migrationsPath,
            lint: settings.migrationLint,
            language: settings.language,
            changes
          })
        : undefined
    return { changes, migrationFiles }
  })
  const [ci, deployments, migrationCheck, monitoring, review, incidents, changed, sources] =
    await Promise.all([
      collectCiFacts(deps.api, {
        sha: ctx.sha,
        required: settings.requiredChecks,
        runId: ctx.runId,
        timeoutMs: settings.checksTimeoutMs,
        pollMs: deps.ciPollMs,
        signal: deps.signal,
        clock: deps.clock,
        log: deps.log
      }),
      deploymentsRead,
      settings.commands.migrate && settings.commands.migrateCheck
        ? deps.checkMigrations()
        : undefined,
      Promise.all(settings.monitoringUrls.map((u) => deps.probeUrl(u))),
      reviewWanted(settings, isProduction)
        ? collectReviewFacts(deps.api, deps.pulls ?? deps.api.listPullsForCommit(ctx.sha), {
            eventPull: settings.dryRun ? ctx.pullNumber : undefined
          })
        : undefined,
      settings.alerts ? collectIncidentFacts(settings.alerts, deps.signal) : undefined,
      changesRead,
      sourcesRead
    ])
  if (sources) {
    window.windows = [...window.windows, ...sources.windows]
    if (sources.problems.length > 0) window.sourceProblems = sources.problems
  }
  // Waiting for checks takes time: the time rules are judged once the facts are all in, and
  // the actor's role is read only when a P1 override is really needed then.
  window.now = deps.clock.now()
  // a P1 lifts the time rules and lets a hotfix through firing alerts
  const roleNeeded =
    wantsOverride(window) &&
    (blockingWindow(window) !== undefined ||
      (window.sourceProblems?.length ?? 0) > 0 ||
      (incidents?.alerts.length ?? 0) > 0 ||
      stillBaking(deployments, stagingOptions(settings, ctx, isProduction, window)))
  const role = roleNeeded ? await readRole(deps.api, ctx.actor) : undefined
  return {
    now,
    isProduction,
    ci,
    deployments,
    migrationCheck,
    monitoring,
    window: { ...window, ...role },
    review,
    incidents,
    ...changed
  }
}

function stagingOptions(
  settings: Settings,
  ctx: Pick<RunContext, 'sha'>,
  isProduction: boolean,
  window: WindowFacts
): StagingOptions {
  return {
    isProduction,
    environment: settings.environment,
    sha: ctx.sha,
    bakeTimeMs: settings.bakeTimeMs,
    now: window.now,
    timeZone: window.timeZone,
    p1: wantsOverride(window)
      ? {
          granted: OVERRIDE_ROLES.includes(window.role ?? ''),
          actor: window.actor,
          role: window.role
        }
      : undefined
  }
}

/** A failed permission look-up refuses the override: it is never granted by default. */
async function readRole(
  api: GitHubApi,
  actor: string
): Promise<Pick<WindowFacts, 'role' | 'roleError'>> {
  if (!actor) return { roleError: 'no actor' }
  try {
    return { role: await api.roleOf(actor) }
  } catch (e) {
    return { roleError: (e as Error).message }
  }
}

/** The checklist and the verdict: a pure function of the facts and the settings. */
export function evaluate(
  settings: Settings,
  ctx: Pick<RunContext, 'sha'>,
  facts: Facts
): Omit<GateResult, 'facts'> {
  const lang = settings.language
  const window = evaluateWindow(facts.window, lang)
  const staging = evaluateStaging(
    facts.deployments,
    stagingOptions(settings, ctx, facts.isProduction, facts.window),
    lang
  )
  const checklist: ChecklistItem[] = [
    evaluateCi(facts.ci, lang),
    staging.item,
    evaluateMigrations(
      settings.commands,
      facts.migrationCheck,
      lang,
      facts.migrationFiles && { files: facts.migrationFiles, lint: settings.migrationLint }
    ),
    window.item,
    evaluateMonitoring(facts.monitoring, lang),
    evaluateRollback(settings.commands, settings, lang),
    evaluateBackup(
      settings.commands,
      { isProduction: facts.isProduction, environment: settings.environment },
      lang
    ),
    evaluateLock(facts.deployments, facts.now, lang),
    evaluateReview(
      facts.review,
      {
        isProduction: facts.isProduction,
        environment: settings.environment,
        required: settings.requiredApprovals,
        sha: ctx.sha
      },
      lang
    ),
    evaluateIncidents(
      facts.incidents,
      {
        p1Granted: wantsOverride(facts.window) && OVERRIDE_ROLES.includes(facts.window.role ?? '')
      },
      lang
    )
  ]
  const { windows, timeZone } = facts.window
  // staging still baking is a time rule: it postpones, until the bake and the windows allow
  const verdict = decide(checklist, staging.bakedAt ? ['staging'] : [])
  const nextWindow = staging.bakedAt
    ? afterBake(staging.bakedAt, window.nextWindow, windows, timeZone, facts.window.runwayMs)
    : window.nextWindow
  // no next window can be known (an unreadable calendar, or freeze windows that never end):
  // a release postponed without one would never resume, so it is not postponed
  const decision =
    verdict === 'postpone' && (window.unknowable || nextWindow === undefined) ? 'abort' : verdict
  return {
    checklist,
    decision,
    waitingFor:
      decision === 'postpone'
        ? checklist
            .filter((i) => i.status === 'fail')
            .map((i) => (i.id === 'window' && window.active ? nameOf(window.active) : i.item))
        : undefined,
    nextWindow,
    overridden: window.overridden,
    previous: previousDeployment(facts.deployments.target),
    changes: changesRecord(facts.changes),
    staging: stagingRecord(facts.deployments, {
      now: facts.window.now,
      bakeTimeMs: settings.bakeTimeMs,
      timeZone
    }),
    ...(window.ahead ? { warnings: [window.ahead] } : {})
  }
}

export async function runGate(
  settings: Settings,
  ctx: RunContext,
  deps: GateDeps
): Promise<GateResult> {
  const facts = await gatherFacts(settings, ctx, deps)
  return { facts, ...evaluate(settings, ctx, facts) }
}
