/**
 * Shared seams for the hardening tests: a fake Core that collects what a run reports, and a
 * job directory (workspace, runner temp) with the environment a runner would give `run()`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import type { InputOptions } from '@actions/core'
import { fixedClock, type Clock } from '../../src/clock.js'
import type { Core } from '../../src/core.js'
import { run } from '../../src/main.js'
import type { RunStatus } from '../../src/record/types.js'
import { DEFAULT_SHA } from '../../__fixtures__/github-api.js'

export interface FakeCore extends Core {
  inputs: Record<string, string>
  outputs: Record<string, string>
  failures: string[]
  /** every line logged (info, debug, warning, error, notice, group titles) */
  logs: string[]
  warnings: string[]
  errors: string[]
  secrets: string[]
  state: Record<string, string>
}

function text(message: string | Error): string {
  return message instanceof Error ? message.message : message
}

/** Core as the runner gives it: inputs are read like @actions/core reads INPUT_* (trimmed). */
export function fakeCore(inputs: Record<string, string>): FakeCore {
  const core: FakeCore = {
    inputs,
    outputs: {},
    failures: [],
    logs: [],
    warnings: [],
    errors: [],
    secrets: [],
    state: {},
    getInput(name: string, options?: InputOptions): string {
      const value = inputs[name] ?? ''
      if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`)
      return options?.trimWhitespace === false ? value : value.trim()
    },
    setOutput(name, value) {
      core.outputs[name] = typeof value === 'string' ? value : JSON.stringify(value)
    },
    setFailed(message) {
      core.failures.push(text(message))
    },
    setSecret(secret) {
      core.secrets.push(secret)
    },
    info(message) {
      core.logs.push(message)
    },
    debug(message) {
      core.logs.push(message)
    },
    warning(message) {
      core.warnings.push(text(message))
      core.logs.push(text(message))
    },
    error(message) {
      core.errors.push(text(message))
      core.logs.push(text(message))
    },
    notice(message) {
      core.logs.push(text(message))
    },
    startGroup(name) {
      core.logs.push(name)
    },
    endGroup() {},
    saveState(name, value) {
      core.state[name] = typeof value === 'string' ? value : JSON.stringify(value)
    },
    getState(name) {
      return core.state[name] ?? ''
    }
  }
  return core
}

export interface Job {
  dir: string
  workspace: string
  temp: string
  remove(): void
  /** files the commands left in the workspace (markers) */
  markers(): string[]
  clearMarkers(): void
}

export function newJob(): Job {
  const dir = mkdtempSync(join(tmpdir(), 'red-button-hardening-'))
  const workspace = join(dir, 'workspace')
  const temp = join(dir, 'temp')
  mkdirSync(workspace)
  mkdirSync(temp)
  const markers = (): string[] =>
    existsSync(workspace) ? readdirSync(workspace).filter((f) => f.startsWith('ran-')) : []
  return {
    dir,
    workspace,
    temp,
    remove: () => rmSync(dir, { recursive: true, force: true }),
    markers,
    clearMarkers: () => {
      for (const f of markers()) rmSync(join(workspace, f), { force: true })
    }
  }
}

/** The variables the runner sets for a push of `main` by alice, pointed at the stand-in. */
export function runnerEnv(job: Job, apiUrl: string, extra: Record<string, string> = {}) {
  return {
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'alice',
    GITHUB_RUN_ID: '7001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_WORKSPACE: job.workspace,
    RUNNER_TEMP: job.temp,
    // a GitHub back-off second lasts BACKOFF_UNIT_MS here: retried 5xx cost no real seconds
    RED_BUTTON_BACKOFF_UNIT_MS: String(BACKOFF_UNIT_MS),
    ...extra
  }
}

/** What one second of the GitHub client's back-off lasts in these tests, in ms. */
export const BACKOFF_UNIT_MS = 20

// Tuesday 2026-11-24 10:00 UTC: outside every default freeze window.
export const TUESDAY = new Date('2026-11-24T10:00:00Z')

export interface Outcome {
  core: FakeCore
  status: RunStatus | 'resumed' | 'idle' | undefined
  summaries: string[]
  /** what `run()` threw, if it threw */
  thrown?: unknown
}

/** Runs `run()` with a fake core; never rejects (a throw is returned as `thrown`). */
export async function runAction(
  inputs: Record<string, string>,
  o: {
    job: Job
    apiUrl: string
    env?: Record<string, string>
    clock?: Clock
    /** the runner's operating system (process.platform when not given) */
    platform?: NodeJS.Platform
    /** to watch or steer the run through its core (e.g. act once a state is saved) */
    onCore?: (core: FakeCore) => void
  }
): Promise<Outcome> {
  const core = fakeCore(inputs)
  o.onCore?.(core)
  const summaries: string[] = []
  try {
    const status = await run({
      core,
      env: runnerEnv(o.job, o.apiUrl, o.env),
      clock: o.clock ?? fixedClock(TUESDAY),
      platform: o.platform,
      writeSummary: async (markdown) => {
        summaries.push(markdown)
      }
    })
    return { core, status, summaries }
  } catch (thrown) {
    return { core, status: undefined, summaries, thrown }
  }
}

export interface RecordView {
  status: string
  decision: string
  checklist: Array<{ id: string; status: string; detail: string }>
  steps: Array<{ name: string; status: string; reason?: string }>
  warnings?: string[]
  error?: string
  [key: string]: unknown
}

export function recordOf(outputs: Record<string, string>): RecordView {
  const parsed = yaml.load(outputs.record ?? '') as { deployment?: RecordView } | undefined
  if (!parsed?.deployment) throw new Error(`no record in the outputs: ${JSON.stringify(outputs)}`)
  return parsed.deployment
}

/** A fixed clock that also keeps every wait it was asked for (retries, polls). */
export function recordingClock(start: Date = TUESDAY): Clock & { sleeps: number[] } {
  const base = fixedClock(start)
  const sleeps: number[] = []
  return {
    now: () => base.now(),
    sleep: async (ms, signal) => {
      sleeps.push(ms)
      await base.sleep(ms, signal)
    },
    sleeps
  }
}

/** A stack trace line as Node prints it. */
export const STACK_LINE = /\n\s+at /
