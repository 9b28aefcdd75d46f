import { spawn, type ChildProcess } from 'node:child_process'
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
  mkdirSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Runs the bundled action the way a runner does: a copy of dist/ outside this repository
 * (so no node_modules can be found), INPUT_* variables, and the GITHUB_OUTPUT, GITHUB_STATE
 * and GITHUB_STEP_SUMMARY files; main, then post with the state main saved.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

let actionDir: string | undefined

/** One copy of dist/ and action.yml per test file, as a runner checks out the action. */
export function actionCopy(): string {
  if (actionDir) return actionDir
  actionDir = mkdtempSync(join(tmpdir(), 'red-button-action-'))
  cpSync(join(ROOT, 'dist'), join(actionDir, 'dist'), { recursive: true })
  cpSync(join(ROOT, 'action.yml'), join(actionDir, 'action.yml'))
  return actionDir
}

export interface RunnerJob {
  dir: string
  workspace: string
  temp: string
  outputFile: string
  stateFile: string
  summaryFile: string
  eventFile: string
}

export function newJob(event: unknown = {}): RunnerJob {
  const dir = mkdtempSync(join(tmpdir(), 'red-button-job-'))
  const job: RunnerJob = {
    dir,
    workspace: join(dir, 'workspace'),
    temp: join(dir, 'runner-temp'),
    outputFile: join(dir, 'output'),
    stateFile: join(dir, 'state'),
    summaryFile: join(dir, 'summary.md'),
    eventFile: join(dir, 'event.json')
  }
  mkdirSync(job.workspace)
  mkdirSync(job.temp)
  for (const f of [job.outputFile, job.stateFile, job.summaryFile]) writeFileSync(f, '')
  writeFileSync(job.eventFile, JSON.stringify(event))
  return job
}

export function removeJob(job: RunnerJob): void {
  rmSync(job.dir, { recursive: true, force: true })
}

/** Parses the `name<<DELIMITER` file format of GITHUB_OUTPUT / GITHUB_STATE. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!m) continue
    const [, name, delimiter] = m
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
    out[name as string] = value.join('\n')
  }
  return out
}

export interface StepResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
}

export interface StepOptions {
  inputs: Record<string, string>
  env?: Record<string, string>
  /** called with the child once it runs, e.g. to send signals */
  onSpawn?: (child: ChildProcess, output: { text: () => string }) => void
  timeoutMs?: number
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  // action.yml's only default: the runner passes it as if the workflow had set it.
  env['INPUT_GITHUB-TOKEN'] = 'ghs_e2e-test-token-0123456789'
  for (const [k, v] of Object.entries(inputs))
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  return env
}

export function baseEnv(job: RunnerJob, apiUrl: string, sha: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'alice',
    GITHUB_RUN_ID: '7001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: job.eventFile,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_WORKSPACE: job.workspace,
    RUNNER_TEMP: job.temp,
    GITHUB_OUTPUT: job.outputFile,
    GITHUB_STATE: job.stateFile,
    GITHUB_STEP_SUMMARY: job.summaryFile
  }
}

function runStep(
  entry: 'index.js' | 'post.js',
  job: RunnerJob,
  env: Record<string, string>,
  opts: StepOptions
): Promise<StepResult> {
  const dir = actionCopy()
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(dir, 'dist', entry)], {
      cwd: job.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(
          `${entry} did not finish within ${opts.timeoutMs ?? 60_000} ms:\n${stdout}\n${stderr}`
        )
      )
    }, opts.timeoutMs ?? 60_000)
    opts.onSpawn?.(child, { text: () => stdout })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseCommandFile(readFileSync(job.outputFile, 'utf8')),
        state: parseCommandFile(readFileSync(job.stateFile, 'utf8')),
        summary: existsSync(job.summaryFile) ? readFileSync(job.summaryFile, 'utf8') : ''
      })
    })
  })
}

/** The main step. */
export function runMain(
  job: RunnerJob,
  env: Record<string, string>,
  opts: StepOptions
): Promise<StepResult> {
  return runStep('index.js', job, { ...env, ...inputEnv(opts.inputs), ...opts.env }, opts)
}

/** The post step: the runner hands it the state that main saved, as STATE_* variables. */
export function runPost(
  job: RunnerJob,
  env: Record<string, string>,
  opts: StepOptions
): Promise<StepResult> {
  const saved = parseCommandFile(readFileSync(job.stateFile, 'utf8'))
  const stateEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries(saved)) stateEnv[`STATE_${k}`] = v
  return runStep(
    'post.js',
    job,
    { ...env, ...inputEnv(opts.inputs), ...opts.env, ...stateEnv },
    opts
  )
}
