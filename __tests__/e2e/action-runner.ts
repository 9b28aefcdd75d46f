import type { ChildProcess } from 'node:child_process'
import { afterAll } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  copyAction,
  inputEnv,
  newJob as newRunnerJob,
  runPost as runPostStep,
  runStep,
  runnerEnv,
  type Job,
  type StepResult
} from '../../bench/action-runner.mjs'

/**
 * Runs the bundled action the way a runner does, with bench/action-runner.mjs (the runner of
 * the benchmark and the demo too): a copy of dist/ outside this repository (so no
 * node_modules can be found), INPUT_* variables, and the GITHUB_OUTPUT, GITHUB_STATE and
 * GITHUB_STEP_SUMMARY files; main, then post with the state main saved. What this file adds:
 * the test token, and a step that does not end in time fails the test.
 */

export { parseCommandFile, removeJob } from '../../bench/action-runner.mjs'
export type { StepResult }
export type RunnerJob = Job

/** action.yml's only default: the runner passes it as if the workflow had set it. */
const TOKEN = 'ghs_e2e-test-token-0123456789'

let actionDir: Promise<string> | undefined

/**
 * One copy of dist/ and action.yml per test file, as a runner checks out the action; removed
 * once the file's tests are done.
 */
export function actionCopy(): Promise<string> {
  actionDir ??= copyAction(mkdtempSync(join(tmpdir(), 'red-button-action-')))
  return actionDir
}

afterAll(async () => {
  const dir = await actionDir?.catch(() => undefined)
  if (dir) rmSync(dir, { recursive: true, force: true })
  actionDir = undefined
})

export function newJob(event: unknown = {}): RunnerJob {
  return newRunnerJob({ event })
}

/**
 * The runner's variables for `job`, and a GitHub back-off second of BACKOFF_UNIT_MS (a
 * retried 5xx costs no real seconds; see RunContext.backoffUnitMs).
 */
export function baseEnv(job: RunnerJob, apiUrl: string, sha: string): Record<string, string> {
  return { ...runnerEnv(job, { apiUrl, sha }), RED_BUTTON_BACKOFF_UNIT_MS: String(BACKOFF_UNIT_MS) }
}

/** What one second of the GitHub client's back-off lasts in the end-to-end tests, in ms. */
export const BACKOFF_UNIT_MS = 20

export interface StepOptions {
  inputs: Record<string, string>
  env?: Record<string, string>
  /** called with the child once it runs, e.g. to send signals */
  onSpawn?: (child: ChildProcess, output: { text: () => string }) => void
  timeoutMs?: number
}

/** A step with the test token; one that does not end within its time fails the test. */
async function step(
  entry: 'index.js' | 'post.js',
  job: RunnerJob,
  env: Record<string, string>,
  opts: StepOptions
): Promise<StepResult> {
  const stepEnv = { ...env, ...inputEnv(opts.inputs, TOKEN), ...opts.env }
  const stepOpts = {
    actionDir: await actionCopy(),
    timeoutMs: opts.timeoutMs,
    onSpawn: opts.onSpawn
  }
  const r = await (entry === 'index.js'
    ? runStep(entry, job, stepEnv, stepOpts)
    : runPostStep(job, stepEnv, stepOpts))
  if (r.timedOut)
    throw new Error(
      `${entry} did not finish within ${opts.timeoutMs ?? 60_000} ms:\n${r.stdout}\n${r.stderr}`
    )
  return r
}

type Step = (job: RunnerJob, env: Record<string, string>, opts: StepOptions) => Promise<StepResult>

/** The main step. */
export const runMain: Step = (job, env, opts) => step('index.js', job, env, opts)

/** The post step: the runner hands it the state that main saved, as STATE_* variables. */
export const runPost: Step = (job, env, opts) => step('post.js', job, env, opts)

/** An `onSpawn` that sends `signal` to the step once its log shows `text` (as a runner cancels). */
export function signalWhen(
  text: string,
  signal: NodeJS.Signals
): NonNullable<StepOptions['onSpawn']> {
  return (child, out) => {
    const poll = setInterval(() => {
      if (!out.text().includes(text)) return
      clearInterval(poll)
      child.kill(signal)
    }, 20)
    child.once('close', () => clearInterval(poll))
  }
}
