import { finish, type MainDeps } from '../finish.js'
import { GitHubApi } from '../github/api.js'
import { readRunContext } from '../github/context.js'
import { ChatAnnouncer } from '../notify/announcer.js'
import { recordFilePath } from '../record/file.js'
import { RunRecord } from '../record/owner.js'
import { runState } from '../record/state.js'
import type { DeploymentRecord, StepName } from '../record/types.js'
import { loadSettings } from '../settings/load.js'
import { groupAlive, signalProcessGroup } from './command.js'
import { Process } from './process.js'
import { STATE } from './progress.js'

const KILL_GRACE_MS = 3000

/** Stops what the killed main step left running: its command's whole process group. */
async function stopLeftover(pgid: number, deps: MainDeps): Promise<void> {
  if (!groupAlive(pgid)) return
  deps.core.warning(`Stopping the command left running by the main step (process group ${pgid})`)
  signalProcessGroup(pgid, 'SIGTERM')
  const deadline = deps.clock.now().getTime() + KILL_GRACE_MS
  while (groupAlive(pgid) && deps.clock.now().getTime() < deadline) await deps.clock.sleep(50)
  if (groupAlive(pgid)) signalProcessGroup(pgid, 'SIGKILL')
}

/**
 * The post step. When the main step finished, there is nothing to do. When it was killed
 * after creating the deployment, roll back what had started, set the final deployment
 * status, and leave the record: a deployment never stays `in_progress`.
 */
export async function runPost(deps: MainDeps): Promise<void> {
  const { core, clock } = deps
  // the main step refused this runner: nothing was started
  if (process.platform === 'win32') return
  const deploymentId = core.getState(STATE.deploymentId)
  if (!deploymentId || core.getState(STATE.finished) === 'true') {
    core.debug('Red Button post step: the main step finished; nothing to do')
    return
  }
  core.warning(
    `The main step ended before deployment #${deploymentId} was finished: finishing it now`
  )
  const pgid = Number(core.getState(STATE.pgid))
  if (pgid > 0) await stopLeftover(pgid, deps)

  const ctx = readRunContext(deps.env)
  const settings = loadSettings(core, ctx.workspace)
  const saved = JSON.parse(core.getState(STATE.record) || '{}') as DeploymentRecord
  const restored = RunRecord.restore(saved, Number(deploymentId))
  const record = restored.record
  const startedAt = new Date(record.started_at ?? clock.now())
  const state = runState(
    {
      settings,
      ctx,
      version: record.version,
      startedAt,
      recordFile: recordFilePath(ctx, settings, record.version, startedAt)
    },
    restored
  )
  const started = (core.getState(STATE.started) || '').split(',').filter(Boolean) as StepName[]
  const api = GitHubApi.forRun(ctx, settings.githubToken, core)
  const announcer = new ChatAnnouncer({ clock, core })
  await new Process(state, { api, clock, core, announcer }).finishKilled(started)
  await finish(state, deps)
}
