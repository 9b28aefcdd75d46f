import type { Clock } from '../clock.js'
import type { Core } from '../core.js'
import type { ReleaseNews } from '../notify/announcer.js'
import { writeRecordFile } from '../record/file.js'
import type { RunState } from '../record/state.js'
import type { StepName, StepRecord } from '../record/types.js'
import { formatInZone } from '../schedule/windows.js'
import { runCommand, type CommandResult } from './command.js'
import { commandEnv } from './env.js'
import { STATE, saveProgress } from './progress.js'

/** The forward steps that run a command, and the rollback step that undoes each. */
export const FORWARD: ReadonlyArray<{ name: StepName; rollback?: StepName }> = [
  { name: 'backup' },
  { name: 'migrate', rollback: 'migrate-rollback' },
  { name: 'deploy', rollback: 'rollback' }
]

export interface StepDeps {
  clock: Clock
  core: Core
  /** aborted when the runner cancels the job */
  signal?: AbortSignal
  /** told of the release's progress (the announcer's news); must not throw or wait */
  tell?: (news: ReleaseNews) => void
}

/**
 * Runs the steps of a run and records each one as it ends (through the record's owner),
 * keeping what the post step needs to finish a killed run: the steps that had started, the
 * command's process group, the record so far.
 */
export class StepRunner {
  readonly started = new Set<StepName>()

  constructor(
    readonly state: RunState,
    readonly deps: StepDeps
  ) {}

  now(): Date {
    return this.deps.clock.now()
  }

  stamp(d: Date): string {
    return formatInZone(d, this.state.settings.timeZone)
  }

  get cancelled(): boolean {
    return this.deps.signal?.aborted === true
  }

  /** Saves the record so far: the post step starts from it if the main step is killed. */
  checkpoint(): void {
    saveProgress(this.deps.core, { [STATE.record]: JSON.stringify(this.state.record) })
  }

  /** Runs one shell command as a step; the cancel signal stops forward steps only. */
  async command(name: StepName, command: string, cancellable: boolean): Promise<CommandResult> {
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
    this.record(
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

  /** A step has ended: into the record, and the record into the post step's state. */
  record(step: Omit<StepRecord, 'started_at' | 'offset_ms'>, started: Date): void {
    const ended: StepRecord = {
      ...step,
      started_at: this.stamp(started),
      offset_ms: started.getTime() - this.state.startedAt.getTime()
    }
    this.state.run.stepEnded(ended)
    this.checkpoint()
    this.deps.tell?.({ kind: 'step', step: ended })
  }

  /** The step of the smoke tests or the watch: passed, cancelled, or what failed. */
  recordWatch(
    name: StepName,
    started: Date,
    outcome: { ok: boolean; cancelled?: boolean },
    failure: () => string
  ): void {
    this.record(
      {
        name,
        status: outcome.ok ? 'pass' : 'fail',
        duration_ms: this.now().getTime() - started.getTime(),
        reason: outcome.ok ? undefined : outcome.cancelled ? 'cancelled' : failure()
      },
      started
    )
  }

  skip(name: StepName, reason: string): void {
    this.record({ name, status: 'skipped', duration_ms: 0, reason }, this.now())
  }
}
