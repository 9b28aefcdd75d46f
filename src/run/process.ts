import type { GitHubApi } from '../github/api.js'
import type { Announcer } from '../notify/announcer.js'
import type { RunState } from '../record/state.js'
import type { StepName } from '../record/types.js'
import { GitHubDeployment, type RecheckLock } from './deployment.js'
import { goForward } from './forward.js'
import { STATE, saveProgress } from './progress.js'
import { rollBack } from './rollback.js'
import { StepRunner, type StepDeps } from './steps.js'
import { watchStep } from './watch-step.js'

export interface ProcessDeps extends StepDeps {
  api: GitHubApi
  announcer: Announcer
  /** needed by `run()` only: the post step never creates a deployment */
  recheckLock?: RecheckLock
}

/** The process of docs/design.md section 2, steps 2 to 8, and the rollback. */
export class Process {
  private readonly steps: StepRunner
  private readonly deployment: GitHubDeployment

  constructor(
    private readonly state: RunState,
    private readonly deps: ProcessDeps
  ) {
    const { announcer } = deps
    this.steps = new StepRunner(state, {
      ...deps,
      tell: deps.tell ?? ((news) => announcer.news?.(state, news))
    })
    this.deployment = new GitHubDeployment(this.steps, deps.api, deps.recheckLock)
  }

  async run(): Promise<void> {
    const { settings, run } = this.state
    const { core, clock } = this.deps
    let opened = false
    try {
      opened = await this.deployment.open()
      if (!opened) await this.deployment.setStatus('error', this.state.record.error ?? 'refused')
    } catch (e) {
      run.notStarted(`could not start the GitHub deployment: ${(e as Error).message}`)
      await this.deployment.setStatus('error', 'could not start')
    }
    if (!opened) {
      saveProgress(core, { [STATE.finished]: 'true' })
      await this.deps.announcer.refused(this.state)
      return
    }

    run.processStarted()
    this.steps.checkpoint()
    await this.deps.announcer.before(this.state)
    this.steps.checkpoint() // with the Slack message, should the post step have to finish
    if (settings.notifyLeadTimeMs > 0 && !this.steps.cancelled) {
      core.info(`Waiting ${Math.round(settings.notifyLeadTimeMs / 1000)} s after the announcement`)
      await clock.sleep(settings.notifyLeadTimeMs, this.deps.signal)
      if (!this.steps.cancelled) this.steps.deps.tell?.({ kind: 'phase', phase: 'deploying' })
    }

    let failure: string | undefined
    try {
      failure = (await goForward(this.steps)) ?? (await watchStep(this.steps))
    } catch (e) {
      // a bug of ours must still end in a rollback and a final status
      failure = `unexpected error: ${(e as Error).message}`
    }
    if (failure === undefined) {
      run.deployed()
      await this.deployment.setStatus('success', `${this.state.version} deployed`)
    } else {
      await rollBack(this.steps, this.deployment, failure)
    }
    saveProgress(core, { [STATE.finished]: 'true' })
    run.finishedAt(this.steps.stamp(this.steps.now()))
    await this.deps.announcer.after(this.state)
  }

  /**
   * The post step's part when the main step was killed: the steps that had started are
   * known from the saved state; roll them back and leave a final status.
   */
  async finishKilled(started: StepName[]): Promise<void> {
    for (const s of started) this.steps.started.add(s)
    await rollBack(this.steps, this.deployment, 'cancelled')
    saveProgress(this.deps.core, { [STATE.finished]: 'true' })
    await this.deps.announcer.after(this.state)
  }
}
