import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals'
import { DEFAULT_SHA, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { startReceiver, type Receiver } from '../../__fixtures__/webhook-receiver.js'
import {
  baseEnv,
  newJob,
  removeJob,
  runMain,
  type RunnerJob,
  type StepResult
} from './action-runner.js'

/**
 * The gate as a runner runs it (dist/index.js, a dry run by default), for the gate, bake and
 * calendar tests: one piece for their stand-ins, their job and the inputs they share; each file
 * says its own inputs.
 */

/**
 * The inputs of a dry run to production that only the gate decides (no review, commands that
 * are never run), with `monitoring-url` on the receiver; a test's own inputs last.
 */
export function dryRunInputs(
  monitoringUrl: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.0',
    'dry-run': 'true',
    timezone: 'Europe/Paris',
    'monitoring-url': monitoringUrl,
    'deploy-command': './deploy.sh',
    'rollback-command': './deploy.sh rollback',
    'checks-timeout': '5s',
    ...extra
  }
}

/**
 * Starts, before each test, a GitHub stand-in with a releasable commit (that passed staging
 * unless `staged` is false) and a fresh job (`prepare` may fill its workspace); a receiver
 * answers the monitoring URL for the whole file. Closed and removed after. Call it at the top
 * of the file; `main` runs the action at `now` with the file's inputs and the test's.
 */
export function gateStandIns(
  o: {
    staged?: boolean
    inputs?: Record<string, string>
    prepare?: (job: RunnerJob) => void
  } = {}
) {
  let api: GitHubApi | undefined
  let monitoring: Receiver | undefined
  let job: RunnerJob | undefined
  beforeAll(async () => {
    monitoring = await startReceiver()
  })
  afterAll(async () => {
    await monitoring?.close()
  })
  beforeEach(async () => {
    // this job's own check run is still running there: it must not be waited for
    api = await startReleasableApi(o.staged === false ? { staging: false } : {})
    job = newJob()
    o.prepare?.(job)
  })
  afterEach(async () => {
    await api?.close()
    if (job) removeJob(job)
  })
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the stand-ins start before each test')
    return x
  }
  const inputs = (extra: Record<string, string> = {}) =>
    dryRunInputs(started(monitoring).url, { ...o.inputs, ...extra })
  return {
    get api(): GitHubApi {
      return started(api)
    },
    get monitoring(): Receiver {
      return started(monitoring)
    },
    get job(): RunnerJob {
      return started(job)
    },
    inputs,
    main: (
      now: string,
      extra: Record<string, string> = {},
      env: Record<string, string> = {}
    ): Promise<StepResult> =>
      runMain(
        started(job),
        { ...baseEnv(started(job), started(api).url, DEFAULT_SHA), RED_BUTTON_NOW: now, ...env },
        { inputs: inputs(extra) }
      )
  }
}
