import { actionsCore, writeJobSummary } from './actions-core.js'
import { clockFromEnv } from './clock.js'
import type { Core } from './core.js'
import { finish, type MainDeps } from './finish.js'
import { isProductionTarget, runGate, type GateResult } from './gate/index.js'
import { recheckLock as recheckLockOf } from './gate/lock.js'
import { reviewWanted } from './gate/review.js'
import type { UrlAnswer } from './gate/monitoring.js'
import { MONITORING_TIMEOUT_MS } from './gate/monitoring.js'
import { GitHubApi } from './github/api.js'
import { ContextError, defaultVersion, readRunContext, type RunContext } from './github/context.js'
import { recordFilePath } from './record/file.js'
import { changeLines, changeWords } from './report/changes.js'
import { makeRecord } from './record/make.js'
import { RunRecord } from './record/owner.js'
import { runState, type RunSubject } from './record/state.js'
import type { RunStatus } from './record/types.js'
import { runCommand } from './run/command.js'
import { recordPostponement } from './run/postpone.js'
import { failResumed, findResumed } from './run/resumed.js'
import { commandEnv } from './run/env.js'
import { probe } from './run/probes.js'
import {
  loadSettings,
  refuseUnknownHolidays,
  settingsForRefusal,
  settingsWarnings
} from './settings/load.js'
import { SettingsError, type Settings } from './settings/schema.js'

export type { MainDeps } from './finish.js'

/**
 * Commands run with bash in their own process group, and stopping them needs POSIX signals:
 * Windows runners are refused before anything runs.
 */
export function unsupportedRunner(platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return undefined
  return 'Red Button runs on Linux and macOS runners (GitHub-hosted or self-hosted), not on Windows: use runs-on: ubuntu-latest (or a Linux/macOS self-hosted runner) for this job'
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

function logChecklist(core: Core, result: GateResult): void {
  core.startGroup('Checklist')
  for (const i of result.checklist) {
    const mark = i.status === 'pass' ? '✅' : i.status === 'fail' ? '❌' : '➖'
    core.info(`${mark} ${i.id}: ${i.item} — ${i.detail}`)
  }
  core.endGroup()
  core.info(`Decision: ${result.decision}`)
}

/**
 * Inputs were refused before anything ran: still outputs, a record (`aborted`, with the
 * problems as its error) and a summary that says what to fix.
 */
async function refuseInputs(
  e: SettingsError,
  ctx: RunContext,
  deps: MainDeps,
  startedAt: Date
): Promise<RunStatus> {
  const settings = settingsForRefusal((name) => deps.core.getInput(name))
  const given = deps.core.getInput('version').trim()
  const version =
    given && given.length <= 255 && !/[\r\n]/.test(given) ? given : defaultVersion(ctx)
  const recordFile = recordFilePath(ctx, settings, version, startedAt)
  const subject: RunSubject = { settings, ctx, version, startedAt, recordFile }
  const state = runState(subject, new RunRecord(makeRecord(subject, deps.clock)))
  state.run.inputRefused(e.message)
  await finish(state, deps)
  return 'aborted'
}

/** The main step: the one place that decides the step's outcome. */
export async function run(
  given: Partial<MainDeps> = {}
): Promise<RunStatus | 'resumed' | 'idle' | undefined> {
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
  let ctx: RunContext
  try {
    ctx = readRunContext(deps.env)
  } catch (e) {
    if (!(e instanceof ContextError)) throw e
    core.setOutput('status', 'aborted')
    core.setFailed(e.message)
    return undefined
  }
  let settings: Settings
  try {
    settings = loadSettings(core, ctx.workspace, deps.env)
    await refuseUnknownHolidays(settings)
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e
    return refuseInputs(e, ctx, deps, startedAt)
  }

  if (settings.resumePostponed) {
    const { runResume } = await import('./resume/index.js')
    return runResume(settings, ctx, deps)
  }

  const version = settings.version ?? defaultVersion(ctx)
  const recordFile = recordFilePath(ctx, settings, version, startedAt)
  const api = GitHubApi.forRun(ctx, settings.githubToken, core)
  // the re-run of a postponed release continues it, in the name of the one who started it
  const resumedFrom = settings.dryRun
    ? undefined
    : await findResumed(api, ctx, settings.environment, core)
  if (resumedFrom) {
    ctx = { ...ctx, actor: resumedFrom.actor ?? ctx.actor }
    core.info(
      `Resuming the release postponed by ${resumedFrom.fromRun} (deployment #${resumedFrom.deploymentId})`
    )
  }
  const subject: RunSubject = { settings, ctx, version, startedAt, recordFile, resumedFrom }
  const state = runState(subject, new RunRecord(makeRecord(subject, clock)))
  const warnings = settingsWarnings(settings)
  for (const w of warnings) core.warning(w)
  core.info(
    `Red Button: ${version} → ${settings.environment}${settings.dryRun ? ' (dry run)' : ''}`
  )

  // One read of the commit's pull requests serves the review item and the PR comment; the
  // comment's reads start now and overlap the gate and the deployment.
  const needsPulls = settings.prComment || reviewWanted(settings, isProductionTarget(settings))
  const pulls = needsPulls ? api.listPullsForCommit(ctx.sha) : undefined
  pulls?.catch(() => undefined) // each reader handles its failure
  const commentTargets =
    settings.prComment && pulls
      ? import('./notify/pr-comment.js').then(({ findCommentTargets }) =>
          findCommentTargets(api, {
            pulls,
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
      pulls,
      probeUrl: monitoringProbe(settings, ctx, core),
      checkMigrations: async () => {
        const r = await runCommand({
          command: settings.commands.migrateCheck ?? 'false',
          cwd: ctx.workspace,
          env: commandEnv(subject, 'migrate-check'),
          timeoutMs: settings.commandTimeoutMs,
          signal: deps.signal,
          log: core,
          label: 'migrate-check'
        })
        return { ok: r.ok, durationMs: r.durationMs, reason: r.reason }
      }
    })
    state.gate = gate
    state.run.gateDecided(makeRecord(state, clock), gate.decision)
    // the record is made anew from the gate: the settings' warnings join the gate's there
    state.run.warned(...warnings)
    logChecklist(core, gate)
    const changes = changeLines(state.record, settings.language)
    if (changes.length > 0) {
      core.startGroup(changeWords(settings.language).title)
      for (const line of changes) core.info(line)
      core.endGroup()
    }

    if (deps.signal?.aborted) {
      // cancelled while the gate waited: nothing has changed yet
      state.run.cancelledBeforeStart()
    } else if (settings.dryRun) {
      // planned: the record says what would happen, nothing more is done
    } else if (gate.decision !== 'go') {
      const { ChatAnnouncer } = await import('./notify/announcer.js')
      const announcer = new ChatAnnouncer({ clock, core, existing: resumedFrom?.slack })
      // postponed: a queued deployment that starts again by itself, carrying the Slack message
      // its resumed run edits (posted first for that); a resumed one aborted: failure
      if (gate.decision === 'postpone')
        await recordPostponement(state, {
          api,
          core,
          messageFirst: () => announcer.postFirst(state)
        })
      else await failResumed(state, api, core)
      await announcer.refused(state)
    } else {
      // loaded only when there is something to deploy: dry runs and refusals start faster
      const [{ Process }, { ChatAnnouncer }] = await Promise.all([
        import('./run/process.js'),
        import('./notify/announcer.js')
      ])
      // a resumed release edits the Slack message of the run that postponed it
      const announcer = new ChatAnnouncer({
        clock,
        core,
        signal: deps.signal,
        existing: resumedFrom?.slack
      })
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
      const { publishPrComments } = await import('./notify/pr-comment.js')
      const done = await publishPrComments(api, {
        targets: commentTargets,
        record: state.record,
        language: settings.language,
        log: core
      })
      if (done.length > 0) state.run.noted(`pr-comment: ${done.join(', ')}`)
    }
  } catch (e) {
    // A bug of ours: still leave outputs, a record and, if one was created, a final status
    // (the process itself never throws once a deployment exists).
    state.run.failedUnexpectedly((e as Error).message)
  }
  await finish(state, deps)
  return state.record.status as RunStatus
}
