import { afterEach, beforeEach, expect } from '@jest/globals'
import { DEFAULT_SHA, startGitHubApi, type GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { seedGreenRepo, seedStagingSuccess } from '../../__fixtures__/start-stand-ins.js'
import {
  baseEnv,
  newJob,
  removeJob,
  runMain,
  type RunnerJob,
  type StepResult
} from './action-runner.js'

/**
 * The steps of a postponed release's life, run by dist/ as a runner runs them (docs/design.md
 * section 14): the release job (first run and its re-runs) and the scheduled resume step. One
 * piece for the resume, bake-resume and Slack-resume tests; each says its own inputs.
 */
export interface Queue {
  api: GitHubApi
  /** every job made, removed by the test file after each test */
  jobs: RunnerJob[]
  /** the release workflow's run, and the resume workflow's */
  releaseRun: number
  resumeRun: number
}

/**
 * The inputs of a release to production that only the gate can stop (no review, no watch, no
 * PR comment, commands that succeed), with `monitoring-url` on the sample service; a test's own
 * inputs last, overriding these.
 */
export function releaseInputs(
  monitoringUrl: string,
  inputs: Record<string, string> = {}
): Record<string, string> {
  return {
    environment: 'production',
    version: 'v1.2.0',
    timezone: 'Europe/Paris',
    'required-approvals': '0',
    'monitoring-url': `${monitoringUrl}/health`,
    'deploy-command': 'true',
    'rollback-command': 'true',
    'monitor-duration': '0',
    'pr-comment': 'false',
    ...inputs
  }
}

/** The release job at `now` (RED_BUTTON_NOW): attempt 1 unless `env` says otherwise. */
export function releaseStep(
  q: Queue,
  now: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  prepare: (job: RunnerJob) => void = () => undefined
): Promise<StepResult> {
  const job = newJob()
  q.jobs.push(job)
  prepare(job)
  return runMain(
    job,
    {
      ...baseEnv(job, q.api.url, DEFAULT_SHA),
      GITHUB_RUN_ID: String(q.releaseRun),
      GITHUB_JOB: 'release',
      RUNNER_NAME: 'runner-7',
      RED_BUTTON_NOW: now,
      ...env
    },
    { inputs }
  )
}

/** A scheduled resume step at `now`. */
export function resumeStep(
  q: Queue,
  now: string,
  inputs: Record<string, string> = {}
): Promise<StepResult> {
  const job = newJob()
  q.jobs.push(job)
  return runMain(
    job,
    {
      ...baseEnv(job, q.api.url, DEFAULT_SHA),
      GITHUB_RUN_ID: String(q.resumeRun),
      GITHUB_EVENT_NAME: 'schedule',
      RED_BUTTON_NOW: now
    },
    { inputs: { 'resume-postponed': 'true', timezone: 'Europe/Paris', ...inputs } }
  )
}

/** A deployment of the stand-in, by id (a test fails at once when it does not exist). */
export function deploymentOf(api: GitHubApi, id: number) {
  const d = api.state.deployments.find((x) => x.id === id)
  if (!d) throw new Error(`no deployment ${id}`)
  return d
}

/** Moves the stand-in's own clock (what it stamps statuses and runs with). */
export function setStandInClock(api: GitHubApi, iso: string): void {
  api.state.clock = () => new Date(iso)
}

/**
 * The stand-ins of a queue test file, started before each test and closed after it: the GitHub
 * API with a green commit (that passed staging, unless `staged` is false) and the sample
 * service; the jobs the steps made are removed. Call it at the top of the file.
 */
export function queueStandIns(o: { releaseRun: number; resumeRun: number; staged?: boolean }) {
  const jobs: RunnerJob[] = []
  let api: GitHubApi | undefined
  let monitoring: SampleService | undefined
  beforeEach(async () => {
    api = await startGitHubApi()
    seedGreenRepo(api, DEFAULT_SHA)
    if (o.staged ?? true) seedStagingSuccess(api, DEFAULT_SHA, 'v1.2.0')
    monitoring = await startSampleService()
  })
  afterEach(async () => {
    await Promise.all([api?.close(), monitoring?.close()])
    for (const job of jobs.splice(0)) removeJob(job)
  })
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the stand-ins start before each test')
    return x
  }
  return {
    get api(): GitHubApi {
      return started(api)
    },
    get monitoring(): SampleService {
      return started(monitoring)
    },
    queue: (): Queue => ({
      api: started(api),
      jobs,
      releaseRun: o.releaseRun,
      resumeRun: o.resumeRun
    }),
    at: (iso: string): void => setStandInClock(started(api), iso)
  }
}

/** What a runner gives a re-run that a resume step asked for: attempt 2, by the resume bot. */
export const RERUN_ENV = {
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_TRIGGERING_ACTOR: 'github-actions[bot]'
} as const

/**
 * The re-run deployed on the deployment its postponed run queued (docs/design.md section 14):
 * no other deployment of `environment`, and its statuses queued (postponed), queued (resume
 * requested), in_progress, success.
 */
export function expectDeployedOnSame(
  api: GitHubApi,
  rerun: StepResult,
  id: number,
  environment: string
): void {
  expect(rerun.outputs.status).toBe('deployed')
  expect(rerun.outputs['deployment-id']).toBe(String(id))
  expect(api.state.deployments.filter((d) => d.environment === environment)).toHaveLength(1)
  expect(deploymentOf(api, id).statuses.map((s) => s.state)).toEqual([
    'queued',
    'queued',
    'in_progress',
    'success'
  ])
}
