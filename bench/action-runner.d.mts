// Types of action-runner.mjs, for the TypeScript that imports it (the end-to-end tests).
import type { ChildProcess } from 'node:child_process'

export declare const ROOT: string

export declare function jsFilesIn(dir: string): string[]

export declare function distComplete(distDir: string): boolean

export declare function copyAction(
  dir: string,
  opts?: { attempts?: number; log?: (msg: string) => void }
): Promise<string>

export declare function actionScratch(
  prefix: string,
  opts?: { attempts?: number; log?: (msg: string) => void }
): Promise<{ scratch: string; actionDir: string }>

export declare function prepareScript(
  prefix: string,
  names: string[],
  log: (msg: string) => void
): Promise<{ fixtures: Record<string, unknown>; scratch: string; actionDir: string }>

export interface Job {
  dir: string
  workspace: string
  temp: string
  outputFile: string
  stateFile: string
  summaryFile: string
  eventFile: string
}

export declare function newJob(opts?: { dir?: string; workspace?: string; event?: unknown }): Job

export declare function removeJob(job: Job): void

export declare function parseCommandFile(text: string): Record<string, string>

export declare function inputEnv(
  inputs: Record<string, string>,
  token?: string
): Record<string, string>

export declare function runnerEnv(
  job: Job,
  opts: { apiUrl: string; sha: string; runId?: string | number; eventName?: string }
): Record<string, string>

export declare function stateEnv(state: Record<string, string>): Record<string, string>

export interface SpawnOptions {
  cwd?: string
  env?: Record<string, string | undefined>
  /** a command and its arguments put before node, e.g. GNU time */
  prefix?: string[]
  /** default 60 s; then SIGKILL, `onTimeout` and `timedOut` */
  timeoutMs?: number
  onTimeout?: () => void
  onSpawn?: (child: ChildProcess, output: { text: () => string }) => void
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
}

export interface SpawnResult {
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  /** wall time from spawn to exit */
  ms: number
  stdout: string
  stderr: string
}

export declare function spawnNode(args: string[], opts?: SpawnOptions): Promise<SpawnResult>

export interface StepOptions extends SpawnOptions {
  /** the copy made by copyAction */
  actionDir: string
  /** node flags put before the entry */
  nodeArgs?: string[]
}

export interface StepResult extends SpawnResult {
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
}

export declare function runStep(
  entry: 'index.js' | 'post.js',
  job: Job,
  env: Record<string, string>,
  opts: StepOptions
): Promise<StepResult>

export declare function runPost(
  job: Job,
  env: Record<string, string>,
  opts: StepOptions
): Promise<StepResult>
