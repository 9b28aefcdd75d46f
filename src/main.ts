import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { actionsCore, writeJobSummary } from './actions-core.js'
import { clockFromEnv, type Clock } from './clock.js'
import type { Core } from './core.js'
import { runGate, type GateResult } from './gate/index.js'
import { recheckLock as recheckLockOf } from './gate/lock.js'
import type { UrlAnswer } from './gate/monitoring.js'
import { MONITORING_TIMEOUT_MS } from './gate/monitoring.js'
import { GitHubApi } from './github/api.js'
import { ContextError, defaultVersion, readRunContext, type RunContext } from './github/context.js'
import { recordYaml, rollbackPlanText } from './report/record.js'
import { renderSummary } from './report/summary.js'
import type { DeploymentRecord, RunStatus } from './report/types.js'
import { runCommand } from './run/command.js'
import { probe } from './run/probes.js'
import { formatInZone } from './schedule/windows.js'
import {
  mergeInputs,
  parseSettings,
  SECRET_INPUTS,
  secretValues,
  SettingsError,
  type Settings
} from './settings.js'

export interface MainDeps {
  core: Core
  env: Record<string, string | undefined>
  clock: Clock
  /** appends Markdown to the job summary */
  writeSummary(markdown: string): Promise<void>
  /** aborted when the runner cancels the job (SIGINT/SIGTERM) */
  signal?: AbortSignal
  /** the runner's operating system; `process.platform` unless a test says otherwise */
  platform?: NodeJS.Platform
}

/**
 * Commands run with bash in their own process group, and stopping them needs POSIX signals:
 * Windows runners are refused before anything runs.
 */
export function unsupportedRunner(platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return undefined
  return 'Red Button runs on Linux and macOS runners (GitHub-hosted or self-hosted), not on Windows: use runs-on: ubuntu-latest (or a Linux/macOS self-hosted runner) for this job'
}

/** Everything a run has learned so far; the record is made from it at any moment. */
export interface RunState {
  settings: Settings
  ctx: RunContext
  version: string
  startedAt: Date
  recordFile: string
  gate?: GateResult
  record: DeploymentRecord
}

const SUCCESS: RunStatus[] = ['deployed', 'planned']

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)
}

/** Where the record is written; the post step finds the same path again. */
export function recordFilePath(
  ctx: RunContext,
  settings: Settings,
  version: string,
  startedAt: Date
): string {
  const run =
    ctx.runId !== undefined ? `${ctx.runId}-${ctx.runAttempt ?? 1}` : String(startedAt.getTime())
  return join(
    ctx.tempDir,
    'red-button',
    `${safeName(settings.environment)}-${safeName(version)}-${run}.yml`
  )
}

/** Reads and validates inputs; every secret is masked before anything else is logged. */
export function loadSettings(core: Core, workspace: string): Settings {
  const masked = new Set<string>()
  const mask = (values: string[]): void => {
    for (const v of values.filter((v) => !masked.has(v))) {
      core.setSecret(v)
      masked.add(v)
    }
  }
  // the workflow's secrets first: reading the policy file may fail
  mask(secretValues(Object.fromEntries(SECRET_INPUTS.map((n) => [n, core.getInput(n)]))))
  const { raw, configFile } = mergeInputs((name) => core.getInput(name), workspace)
  mask(secretValues(raw))
  return { ...parseSettings(raw), configFile }
}

export function baseRecord(state: Omit<RunState, 'record'>, clock: Clock): DeploymentRecord {
  const { settings, ctx } = state
  const zone = settings.timeZone
  const previous = state.gate?.previous
  return {
    version: state.version,
    environment: settings.environment,
    checklist: state.gate?.checklist ?? [],
    migrations: settings.migrations,
    rollback_plan: rollbackPlanText(settings, previous?.version ?? ''),
    notify: { before: 'none', after: 'none' },
    smoke_tests: settings.smokeTests.map((c) => c.name),
    status: 'aborted',
    decision: state.gate?.decision ?? 'abort',
    urgency: settings.urgency,
    reason: settings.reason || undefined,
    dry_run: settings.dryRun,
    commit: ctx.sha,
    ref: ctx.ref || undefined,
    actor: ctx.actor,
    repository: `${ctx.owner}/${ctx.repo}`,
    run_url: ctx.runUrl,
    previous_version: previous?.version ?? '',
    previous_sha: previous?.sha,
    next_window: state.gate?.nextWindow ? formatInZone(state.gate.nextWindow, zone) : undefined,
    started_at: formatInZone(state.startedAt, zone),
    finished_at: formatInZone(clock.now(), zone),
    steps: []
  }
}

/** The monitoring item's probe: GET within 5 s, any 2xx. */
function monitoringProbe(settings: Settings, ctx: RunContext, core: Core) {
  return async (url: string): Promise<UrlAnswer> => {
    const result = await probe(
      { kind: 'http', name: url, url, timeoutMs: MONITORING_TIMEOUT_MS },
      { cwd: ctx.workspace, env: {}, log: core, commandTimeoutMs: settings.commandTimeoutMs }
    )
    return { url, ok: result.ok, detail: result.detail }
  }
}

/** The environment every command gets (DESIGN.md section 9): values never enter command text. */
export function commandEnv(
  state: Pick<RunState, 'settings' | 'ctx' | 'version' | 'recordFile'> & {
    record?: DeploymentRecord
  },
  phase: string
): Record<string, string> {
  return {
    DEPLOY_VERSION: state.version,
    DEPLOY_ENVIRONMENT: state.settings.environment,
    DEPLOY_SHA: state.ctx.sha,
    DEPLOY_URGENCY: state.settings.urgency,
    DEPLOY_PREVIOUS_VERSION: state.record?.previous_version ?? '',
    DEPLOY_PREVIOUS_SHA: state.record?.previous_sha ?? '',
    DEPLOY_PHASE: phase,
    DEPLOY_RECORD_FILE: state.recordFile
  }
}

/** Writes the record so far to the record file; returns its YAML. */
export function writeRecordFile(
  state: Pick<RunState, 'record' | 'recordFile'>,
  core: Core
): string {
  const yamlText = recordYaml(state.record)
  try {
    mkdirSync(dirname(state.recordFile), { recursive: true })
    writeFileSync(state.recordFile, yamlText)
  } catch (e) {
    core.warning(`Could not write the record file: ${(e as Error).message}`)
  }
  return yamlText
}

/** Writes the outputs, the record file and the summary: done once, at the very end. */
export async function finish(state: RunState, deps: MainDeps): Promise<void> {
  const { core } = deps
  const d = state.record
  // the process always ends with a final status; if not, what production runs is unknown
  if (d.status === 'in-progress') d.status = 'rollback-failed'
  d.finished_at = formatInZone(deps.clock.now(), state.settings.timeZone)
  const yamlText = writeRecordFile(state, core)
  core.setOutput('status', d.status)
  core.setOutput('decision', d.decision)
  core.setOutput('record', yamlText)
  core.setOutput('record-file', state.recordFile)
  core.setOutput(
    'next-window',
    d.next_window && (d.status === 'postponed' || d.dry_run) ? d.next_window : ''
  )
  core.setOutput('deployment-id', d.deployment_id !== undefined ? String(d.deployment_id) : '')
  core.setOutput('previous-version', d.previous_version)
  try {
    await deps.writeSummary(renderSummary(d, state.settings.language))
  } catch (e) {
    core.warning(`Could not write the job summary: ${(e as Error).message}`)
  }
  core.info(`Record written to ${state.recordFile}`)
  if (!SUCCESS.includes(d.status as RunStatus)) {
    const failed = d.checklist.filter((i) => i.status === 'fail').map((i) => `${i.id}: ${i.detail}`)
    const why = d.error ?? (failed.length > 0 ? failed.join('; ') : '')
    core.setFailed(`Red Button: ${d.status}${why ? ` — ${why}` : ''}`)
  }
}

function logChecklist(core: Core, result: GateResult): void {
  core.startGroup('Checklist')
  for (const i of result.checklist) {
    const mark = i.status === 'pass' ? '✅' : i.status === 'fail' ? '❌' : '➖'
    core.info(`${mark} ${i.id}: ${i.item} — ${i.detail}`)
  }
  core.endGroup()
  core.info(`Decision: ${result.decision}`)
}

/** The main step: the one place that decides the step's outcome. */
export async function run(given: Partial<MainDeps> = {}): Promise<RunStatus | undefined> {
  // Defaults are the real runner's, so that `run()` alone works (e.g. under @github/local-action).
  const env = given.env ?? process.env
  const fromEnv = clockFromEnv(env)
  const deps: MainDeps = {
    core: given.core ?? actionsCore,
    env,
    clock: given.clock ?? fromEnv.clock,
    writeSummary: given.writeSummary ?? writeJobSummary,
    signal: given.signal
  }
  const { core, clock } = deps
  const unsupported = unsupportedRunner(given.platform ?? process.platform)
  if (unsupported) {
    core.setOutput('status', 'aborted')
    core.setFailed(unsupported)
    return undefined
  }
  if (!given.clock && fromEnv.shifted)
    core.warning(`RED_BUTTON_NOW: evaluating as if it were ${fromEnv.shifted}`)
  const startedAt = clock.now()
  let settings: Settings
  let ctx: RunContext
  try {
    ctx = readRunContext(deps.env)
    settings = loadSettings(core, ctx.workspace)
  } catch (e) {
    if (e instanceof SettingsError || e instanceof ContextError) {
      core.setOutput('status', 'aborted')
      core.setFailed(e.message)
      return undefined
    }
    throw e
  }

  const version = settings.version ?? defaultVersion(ctx)
  const recordFile = recordFilePath(ctx, settings, version, startedAt)
  const api = GitHubApi.forRun(ctx, settings.githubToken, core)
  const partial = { settings, ctx, version, startedAt, recordFile }
  const state: RunState = { ...partial, record: baseRecord(partial, clock) }
  core.info(
    `Red Button: ${version} → ${settings.environment}${settings.dryRun ? ' (dry run)' : ''}`
  )

  // the PR comment's reads start now and overlap the gate and the deployment
  const commentTargets = settings.prComment
    ? import('./report/comment.js').then(({ findCommentTargets }) =>
        findCommentTargets(api, {
          pulls: api.listPullsForCommit(ctx.sha),
          pullNumber: ctx.pullNumber,
          environment: settings.environment
        })
      )
    : undefined

  try {
    const gate = await runGate(settings, ctx, {
      api,
      clock,
      log: core,
      signal: deps.signal,
      probeUrl: monitoringProbe(settings, ctx, core),
      checkMigrations: async () => {
        const r = await runCommand({
          command: settings.commands.migrateCheck ?? 'false',
          cwd: ctx.workspace,
          env: commandEnv({ ...partial }, 'migrate-check'),
          timeoutMs: settings.commandTimeoutMs,
          signal: deps.signal,
          log: core,
          label: 'migrate-check'
        })
        return { ok: r.ok, durationMs: r.durationMs, reason: r.reason }
      }
    })
    state.gate = gate
    state.record = baseRecord(state, clock)
    logChecklist(core, gate)

    if (deps.signal?.aborted) {
      // cancelled while the gate waited: nothing has changed yet
      state.record.status = 'cancelled'
      state.record.error = 'cancelled by the runner before anything ran'
    } else if (settings.dryRun) {
      state.record.status = 'planned'
    } else if (gate.decision !== 'go') {
      state.record.status = gate.decision === 'postpone' ? 'postponed' : 'aborted'
      const { ChatAnnouncer } = await import('./notify/announcer.js')
      await new ChatAnnouncer({ clock, core }).refused(state)
    } else {
      // loaded only when there is something to deploy: dry runs and refusals start faster
      const [{ Process }, { ChatAnnouncer }] = await Promise.all([
        import('./run/process.js'),
        import('./notify/announcer.js')
      ])
      const announcer = new ChatAnnouncer({ clock, core, signal: deps.signal })
      const recheckLock = (ourId: number) =>
        recheckLockOf(api, {
          environment: settings.environment,
          ourId,
          known: gate.facts.deployments.target,
          now: clock.now(),
          ownRunId: ctx.runId
        })
      await new Process(state, {
        api,
        clock,
        core,
        signal: deps.signal,
        announcer,
        recheckLock
      }).run()
    }
    if (commentTargets) {
      const { publishPrComments } = await import('./report/comment.js')
      const done = await publishPrComments(api, {
        targets: commentTargets,
        record: state.record,
        language: settings.language,
        log: core
      })
      if (done.length > 0)
        state.record.notifications = [
          ...(state.record.notifications ?? []),
          `pr-comment: ${done.join(', ')}`
        ]
    }
  } catch (e) {
    // A bug of ours: still leave outputs, a record and, if one was created, a final status
    // (the process itself never throws once a deployment exists).
    state.record.status = state.record.deployment_id !== undefined ? 'rollback-failed' : 'aborted'
    state.record.error = `unexpected error: ${(e as Error).message}`
  }
  await finish(state, deps)
  return state.record.status as RunStatus
}
