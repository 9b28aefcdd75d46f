import type { Clock } from '../clock.js'
import type { Core } from '../core.js'
import { formatDuration } from '../duration.js'
import type { DeploymentState, GitHubApi } from '../github/api.js'
import type { RunState } from '../main.js'
import { commandEnv, writeRecordFile } from '../main.js'
import { phrases } from '../report/wording.js'
import type { RunStatus, StepName, StepRecord } from '../report/types.js'
import { formatInZone } from '../schedule/windows.js'
import { runCommand, type CommandResult } from './command.js'
import { watch } from './monitor.js'
import { toCheckRecord, type ProbeContext } from './probes.js'
import { runSmokeTests } from './smoke.js'
import { STATE, saveProgress } from './progress.js'

/** Told before the first change and after the last one; never throws, never fails the run. */
export interface Announcer {
  before(state: RunState): Promise<void>
  after(state: RunState): Promise<void>
  /** the run was refused after all (another run holds the lock) */
  refused(state: RunState): Promise<void>
}

/** The deployment that holds the environment, as the lock's re-check names it. */
export interface LockHolder {
  id: number
  creator: string
  createdAt: Date
  state?: string
  logUrl?: string
}

export interface ProcessDeps {
  api: GitHubApi
  clock: Clock
  core: Core
  /** aborted when the runner cancels the job */
  signal?: AbortSignal
  announcer: Announcer
  /**
   * The lock judged again once our deployment `ourId` exists (the gate's own rule, given as a
   * seam: the process does not re-decide). Needed by `run()` only.
   */
  recheckLock?: (ourId: number) => Promise<LockHolder | undefined>
}

const FORWARD: Array<{ name: StepName; rollback?: StepName }> = [
  { name: 'backup' },
  { name: 'migrate', rollback: 'migrate-rollback' },
  { name: 'deploy', rollback: 'rollback' }
]

/** Final deployment status and its description for each way a run can end. */
export function finalDeploymentState(status: RunStatus): DeploymentState {
  if (status === 'deployed') return 'success'
  if (status === 'rollback-failed') return 'error'
  return 'failure'
}

export class Process {
  private readonly started = new Set<StepName>()

  constructor(
    private readonly state: RunState,
    private readonly deps: ProcessDeps
  ) {}

  private get record() {
    return this.state.record
  }

  private now(): Date {
    return this.deps.clock.now()
  }

  private stamp(d: Date): string {
    return formatInZone(d, this.state.settings.timeZone)
  }

  private get cancelled(): boolean {
    return this.deps.signal?.aborted === true
  }

  /** Runs one shell command as a step; the cancel signal stops forward steps only. */
  private async command(
    name: StepName,
    command: string,
    cancellable: boolean
  ): Promise<CommandResult> {
    const { settings, ctx } = this.state
    const started = this.now()
    this.started.add(name)
    // commands may read the record so far (DEPLOY_RECORD_FILE)
    writeRecordFile(this.state, this.deps.core)
    saveProgress(this.deps.core, { [STATE.started]: [...this.started].join(',') })
    const result = await runCommand({
      command,
      cwd: ctx.workspace,
      env: commandEnv(this.state, name),
      timeoutMs: settings.commandTimeoutMs,
      signal: cancellable ? this.deps.signal : undefined,
      log: this.deps.core,
      label: `${name}: ${command.split('\n')[0]}`,
      onStart: (pgid) => saveProgress(this.deps.core, { [STATE.pgid]: String(pgid) })
    })
    saveProgress(this.deps.core, { [STATE.pgid]: '' })
    this.pushStep(
      {
        name,
        status: result.ok ? 'pass' : 'fail',
        duration_ms: Math.round(result.durationMs),
        exit_code: result.exitCode ?? undefined,
        reason: result.ok
          ? undefined
          : `${result.reason}${result.tail.length ? `: ${result.tail.slice(-3).join(' / ')}` : ''}`
      },
      started
    )
    return result
  }

  private pushStep(step: Omit<StepRecord, 'started_at' | 'offset_ms'>, started: Date): void {
    this.record.steps.push({
      ...step,
      started_at: this.stamp(started),
      offset_ms: started.getTime() - this.state.startedAt.getTime()
    })
    this.checkpoint()
  }

  /** The step of the smoke tests or the watch: passed, cancelled, or what failed. */
  private pushWatchStep(
    name: StepName,
    started: Date,
    outcome: { ok: boolean; cancelled?: boolean },
    failure: () => string
  ): void {
    this.pushStep(
      {
        name,
        status: outcome.ok ? 'pass' : 'fail',
        duration_ms: this.now().getTime() - started.getTime(),
        reason: outcome.ok ? undefined : outcome.cancelled ? 'cancelled' : failure()
      },
      started
    )
  }

  /** Saves the record so far: the post step starts from it if the main step is killed. */
  checkpoint(): void {
    saveProgress(this.deps.core, { [STATE.record]: JSON.stringify(this.record) })
  }

  private skip(name: StepName, reason: string): void {
    this.pushStep(
      {
        name,
        status: 'skipped',
        duration_ms: 0,
        reason
      },
      this.now()
    )
  }

  /**
   * Creates the GitHub deployment, then looks at the environment again: if an older run's
   * deployment is in progress, that run holds the lock and this one yields.
   */
  private async open(): Promise<boolean> {
    const { settings, ctx, gate } = this.state
    const { api, core } = this.deps
    const deployment = await api.createDeployment({
      ref: ctx.sha,
      environment: settings.environment,
      description: `${this.state.version} by Red Button`,
      production_environment: gate?.facts.isProduction ?? false,
      payload: {
        tool: 'red-button',
        version: this.state.version,
        urgency: settings.urgency,
        previous_version: this.record.previous_version,
        run_url: ctx.runUrl
      }
    })
    this.record.deployment_id = deployment.id
    saveProgress(core, { [STATE.deploymentId]: String(deployment.id) })
    this.checkpoint()

    // the re-check and our in_progress status go out together: a run that then yields sets
    // its deployment to error right after, and the older run wins either way (lower id)
    const [holder] = await Promise.all([
      this.olderHolder(deployment.id),
      this.setStatus('in_progress', `Deploying ${this.state.version}`)
    ])
    if (holder) {
      const p = phrases(settings.language)
      const detail = p.lockHeld(
        holder.id,
        holder.creator,
        formatDuration(Math.max(0, this.now().getTime() - holder.createdAt.getTime())),
        holder.state ?? 'starting'
      )
      const lock = this.record.checklist.find((i) => i.id === 'lock')
      if (lock)
        Object.assign(lock, {
          status: 'fail',
          detail: `${detail} (seen after creating #${deployment.id})`
        })
      this.record.decision = 'abort'
      this.record.status = 'aborted'
      this.record.error = `yielded to deployment #${holder.id}${holder.logUrl ? ` (${holder.logUrl})` : ''}, which holds ${settings.environment}`
      return false
    }
    return true
  }

  private olderHolder(ourId: number): Promise<LockHolder | undefined> {
    if (!this.deps.recheckLock) throw new Error('no lock re-check was given to the process')
    return this.deps.recheckLock(ourId)
  }

  private async setStatus(state: DeploymentState, description: string): Promise<void> {
    const id = this.record.deployment_id
    if (id === undefined) return
    try {
      await this.deps.api.createDeploymentStatus(id, {
        state,
        description,
        log_url: this.state.ctx.runUrl
      })
      saveProgress(this.deps.core, { [STATE.lastStatus]: state })
    } catch (e) {
      const msg = `Could not set deployment #${id} to ${state}: ${(e as Error).message}`
      this.deps.core.warning(msg)
      ;(this.record.warnings ??= []).push(msg)
    }
  }

  /** The whole process of DESIGN.md section 2, steps 2 to 8, and the rollback. */
  async run(): Promise<void> {
    const { settings } = this.state
    const { core, clock } = this.deps
    let opened = false
    try {
      opened = await this.open()
      if (!opened) await this.setStatus('error', this.record.error ?? 'refused')
    } catch (e) {
      this.record.status = 'aborted'
      this.record.error = `could not start the GitHub deployment: ${(e as Error).message}`
      await this.setStatus('error', 'could not start')
    }
    if (!opened) {
      saveProgress(core, { [STATE.finished]: 'true' })
      await this.deps.announcer.refused(this.state)
      return
    }

    this.record.status = 'in-progress'
    this.checkpoint()
    await this.deps.announcer.before(this.state)
    if (settings.notifyLeadTimeMs > 0 && !this.cancelled) {
      core.info(`Waiting ${Math.round(settings.notifyLeadTimeMs / 1000)} s after the announcement`)
      await clock.sleep(settings.notifyLeadTimeMs, this.deps.signal)
    }

    let failure: string | undefined
    try {
      failure = await this.forward()
    } catch (e) {
      // a bug of ours must still end in a rollback and a final status
      failure = `unexpected error: ${(e as Error).message}`
    }
    if (failure === undefined) {
      this.record.status = 'deployed'
      await this.setStatus('success', `${this.state.version} deployed`)
    } else {
      await this.rollBack(failure)
    }
    saveProgress(core, { [STATE.finished]: 'true' })
    this.record.finished_at = this.stamp(this.now())
    await this.deps.announcer.after(this.state)
  }

  /** Runs steps 3 to 7; returns what failed, or undefined when all went well. */
  private async forward(): Promise<string | undefined> {
    const { settings } = this.state
    const { core, clock } = this.deps
    const commands: Record<string, string | undefined> = {
      backup: settings.commands.backup,
      migrate: settings.commands.migrate,
      deploy: settings.commands.deploy
    }
    for (const step of FORWARD) {
      if (this.cancelled) return 'cancelled'
      const command = commands[step.name]
      if (!command) continue
      const result = await this.command(step.name, command, true)
      if (!result.ok) return result.aborted ? 'cancelled' : `${step.name} failed (${result.reason})`
    }

    const probeCtx: ProbeContext = {
      cwd: this.state.ctx.workspace,
      env: commandEnv(this.state, 'smoke'),
      signal: this.deps.signal,
      log: core,
      commandTimeoutMs: settings.commandTimeoutMs
    }
    if (settings.smokeTests.length > 0) {
      if (this.cancelled) return 'cancelled'
      const t0 = this.now()
      this.started.add('smoke')
      core.info(`Smoke tests: ${settings.smokeTests.map((c) => c.name).join(', ')}`)
      const smoke = await runSmokeTests(settings.smokeTests, { ...probeCtx, clock })
      this.record.smoke_results = smoke.results.map(toCheckRecord)
      const failed = smoke.results.find((r) => !r.ok && !r.skipped)
      this.pushWatchStep('smoke', t0, smoke, () => `${failed?.name}: ${failed?.detail}`)
      if (smoke.cancelled) return 'cancelled'
      if (!smoke.ok) return `smoke test "${failed?.name}" failed (${failed?.detail})`
    }

    if (settings.monitorDurationMs === 0 || settings.monitorChecks.length === 0) {
      const why =
        settings.monitorDurationMs === 0
          ? 'monitor-duration is 0'
          : 'no monitor-checks or HTTP smoke tests to watch'
      core.warning(`No monitoring window after the deploy: ${why}`)
      this.skip('monitor', why)
      return this.cancelled ? 'cancelled' : undefined
    }
    const t0 = this.now()
    this.started.add('monitor')
    const outcome = await watch(settings.monitorChecks, {
      durationMs: settings.monitorDurationMs,
      intervalMs: settings.monitorIntervalMs,
      failuresAllowed: settings.monitorFailures,
      clock,
      signal: this.deps.signal,
      log: core,
      probeCtx: { ...probeCtx, env: commandEnv(this.state, 'monitor') }
    })
    const last = outcome.lastResults ?? []
    const failing = last.filter((r) => !r.ok && !r.skipped)
    this.record.monitor = {
      rounds: outcome.rounds,
      failed_rounds: outcome.failedRounds,
      duration_ms: this.now().getTime() - t0.getTime(),
      results: last.map(toCheckRecord)
    }
    this.pushWatchStep(
      'monitor',
      t0,
      outcome,
      () => outcome.reason ?? failing.map((r) => `${r.name}: ${r.detail}`).join('; ')
    )
    if (outcome.cancelled) return 'cancelled'
    if (!outcome.ok)
      return `monitoring failed in round ${outcome.rounds} (${failing.map((r) => r.name).join(', ')})`
    return undefined
  }

  /**
   * The post step's part when the main step was killed: the steps that had started are
   * known from the saved state; roll them back and leave a final status.
   */
  async finishKilled(started: StepName[]): Promise<void> {
    for (const s of started) this.started.add(s)
    await this.rollBack('cancelled')
    saveProgress(this.deps.core, { [STATE.finished]: 'true' })
    await this.deps.announcer.after(this.state)
  }

  /** Code first, then schema; each only if its forward step had started. Never cancelled. */
  private async rollBack(failure: string): Promise<void> {
    const { settings } = this.state
    const { core } = this.deps
    const cancelled = failure === 'cancelled' || this.cancelled
    core.error(`Rolling back: ${failure}`)
    this.record.error = failure
    let rollbackOk = true
    const needs = FORWARD.filter((s) => s.rollback && this.started.has(s.name)).reverse()
    for (const step of needs) {
      const rollbackStep = step.rollback as StepName
      const command =
        rollbackStep === 'rollback' ? settings.commands.rollback : settings.commands.migrateRollback
      if (!command) {
        const manual = rollbackStep === 'rollback' ? settings.rollbackPlan : undefined
        this.skip(
          rollbackStep,
          manual ? `manual rollback: ${manual}` : `no ${rollbackStep}-command`
        )
        rollbackOk = false
        continue
      }
      const result = await this.command(rollbackStep, command, false)
      if (!result.ok) rollbackOk = false
    }
    if (needs.length === 0) core.info('Nothing had changed: no rollback needed')

    if (!rollbackOk) {
      this.record.status = 'rollback-failed'
      const changed = needs.map((s) => s.name).join(' and ')
      core.error(
        `Rollback did not complete: ${settings.environment} may be running ${this.state.version} ` +
          `(${changed} had started) or a mix with ${this.record.previous_version || 'the previous version'}. ` +
          `Follow the rollback plan by hand: ${this.record.rollback_plan}`,
        { title: 'Red Button: rollback failed' }
      )
      await this.setStatus('error', `Rollback failed after: ${failure}`)
      return
    }
    // nothing to undo: stopped before migrate or deploy began (a failed backup, an early cancel)
    const untouched = needs.length === 0
    this.record.status = cancelled ? 'cancelled' : untouched ? 'aborted' : 'rolled-back'
    if (cancelled) {
      this.record.error = untouched
        ? 'cancelled by the runner before anything changed'
        : 'cancelled by the runner; rolled back'
    }
    const what = cancelled ? 'Cancelled' : failure
    await this.setStatus(
      'failure',
      untouched ? `Stopped before any change: ${what}` : `Rolled back: ${what}`
    )
  }
}
