import { formatDuration } from '../duration.js'
import type { DeploymentState, GitHubApi } from '../github/api.js'
import type { RunState } from '../record/state.js'
import { phrases } from '../report/wording.js'
import { STATE, saveProgress } from './progress.js'
import type { StepRunner } from './steps.js'

/** What every deployment of Red Button carries in its payload (a postponed one adds `red_button`). */
export function deploymentPayload(state: RunState): Record<string, unknown> {
  return {
    tool: 'red-button',
    version: state.version,
    urgency: state.settings.urgency,
    previous_version: state.record.previous_version,
    run_url: state.ctx.runUrl
  }
}

/** The deployment that holds the environment, as the lock's re-check names it. */
export interface LockHolder {
  id: number
  creator: string
  createdAt: Date
  state?: string
  logUrl?: string
}

/** The lock judged again once our deployment `ourId` exists (the gate's rule, as a seam). */
export type RecheckLock = (ourId: number) => Promise<LockHolder | undefined>

/** The deployment's life on GitHub: created, re-checked against the lock, its statuses. */
export class GitHubDeployment {
  constructor(
    private readonly steps: StepRunner,
    private readonly api: GitHubApi,
    private readonly recheckLock?: RecheckLock
  ) {}

  private get state() {
    return this.steps.state
  }

  /**
   * Creates the GitHub deployment, then looks at the environment again: if an older run's
   * deployment is in progress, that run holds the lock and this one yields (false).
   */
  async open(): Promise<boolean> {
    const { settings, version, run } = this.state
    const { core } = this.steps.deps
    if (!this.recheckLock) throw new Error('no lock re-check was given to the process')
    // the re-run of a postponed release continues its queued deployment (section 14)
    const continued = this.state.resumedFrom?.deploymentId
    const deployment = continued !== undefined ? { id: continued } : await this.create()
    run.deploymentCreated(deployment.id)
    saveProgress(core, { [STATE.deploymentId]: String(deployment.id) })
    this.steps.checkpoint()

    // the re-check and our in_progress status go out together: a run that then yields sets
    // its deployment to error right after, and the older run wins either way (lower id)
    const [holder] = await Promise.all([
      this.recheckLock(deployment.id),
      this.setStatus('in_progress', `Deploying ${version}`)
    ])
    if (!holder) return true
    const detail = phrases(settings.language).lockHeld(
      holder.id,
      holder.creator,
      formatDuration(Math.max(0, this.steps.now().getTime() - holder.createdAt.getTime())),
      holder.state ?? 'starting'
    )
    run.lockLost(
      `${detail} (seen after creating #${deployment.id})`,
      `yielded to deployment #${holder.id}${holder.logUrl ? ` (${holder.logUrl})` : ''}, which holds ${settings.environment}`
    )
    return false
  }

  private create() {
    const { settings, ctx, gate, version } = this.state
    return this.api.createDeployment({
      ref: ctx.sha,
      environment: settings.environment,
      description: `${version} by Red Button`,
      production_environment: gate?.facts.isProduction ?? false,
      payload: deploymentPayload(this.state)
    })
  }

  /** Sets a status of our deployment; a failure is a warning, never the end of the run. */
  async setStatus(state: DeploymentState, description: string): Promise<void> {
    const id = this.state.record.deployment_id
    if (id === undefined) return
    const { core } = this.steps.deps
    try {
      await this.api.createDeploymentStatus(id, {
        state,
        description,
        log_url: this.state.ctx.runUrl,
        // GitHub's "View deployment" link, on every status (a later one without it clears it)
        ...(this.state.settings.environmentUrl
          ? { environment_url: this.state.settings.environmentUrl }
          : {})
      })
      saveProgress(core, { [STATE.lastStatus]: state })
    } catch (e) {
      const msg = `Could not set deployment #${id} to ${state}: ${(e as Error).message}`
      core.warning(msg)
      this.state.run.warned(msg)
    }
  }
}
