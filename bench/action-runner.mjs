// Runs the bundled action (dist/) the way a GitHub runner runs it: a copy of dist/ and
// action.yml outside this repository (so no node_modules can be found from it), a job
// folder with the GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files, INPUT_* and
// GITHUB_* variables, main (dist/index.js), then post (dist/post.js) with the state main
// saved as STATE_* variables.
//
// One piece for every caller: the benchmark (bench/run.mjs), the soak (bench/soak.mjs), the
// demo (scripts/demo.mjs) and the end-to-end tests (__tests__/e2e/action-runner.ts, typed
// by action-runner.d.mts next to this file).
import { spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { loadFixtures } from './compile-fixtures.mjs'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The entry points of action.yml (`main` and `post`). */
const ENTRIES = ['index.js', 'post.js']

/** Every JavaScript file (.js, .mjs, .cjs) below `dir`. */
export function jsFilesIn(dir) {
  const files = []
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f)
      if (statSync(p).isDirectory()) walk(p)
      else if (/\.[cm]?js$/.test(f)) files.push(p)
    }
  }
  walk(dir)
  return files
}

/**
 * Whether `distDir` holds a whole build: index.js and post.js exist, no file is empty and
 * every relative import of every file resolves. `rm -rf dist && rollup` leaves it
 * missing or half written for a while.
 */
export function distComplete(distDir) {
  let files
  try {
    files = jsFilesIn(distDir)
    if (!ENTRIES.every((e) => existsSync(join(distDir, e)))) return false
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      if (!text.trim()) return false
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g))
        if (!existsSync(resolve(dirname(f), m[1]))) return false
    }
  } catch {
    return false // dist/ vanished while being read
  }
  return true
}

/**
 * Copies dist/ and action.yml into `dir`, as a runner checks the action out. dist/ may be
 * being rebuilt by someone else: the copy is taken again, once a second, until it is whole.
 * Rejects when it is not whole after `attempts` tries. Resolves to `dir`.
 *
 * @param {string} dir
 * @param {{ attempts?: number, log?: (msg: string) => void }} [opts]
 */
export async function copyAction(dir, { attempts = 60, log } = {}) {
  const dist = join(dir, 'dist')
  for (let attempt = 1; ; attempt++) {
    rmSync(dist, { recursive: true, force: true })
    try {
      cpSync(join(ROOT, 'dist'), dist, { recursive: true })
      if (distComplete(dist)) break
    } catch {
      // dist/ vanished while being copied
    }
    if (attempt >= attempts)
      throw new Error('dist/ is missing or incomplete: run `npm run build` first')
    if (attempt === 1)
      log?.('dist/ is missing or incomplete (a build running?): waiting for it ...')
    await new Promise((r) => setTimeout(r, 1000))
  }
  cpSync(join(ROOT, 'action.yml'), join(dir, 'action.yml'))
  return dir
}

/**
 * A new temporary folder (`prefix` and random letters) holding a copy of the action in
 * `action/` (copyAction): resolves to both. When no whole copy can be taken, the folder is
 * removed and the error passed on.
 *
 * @param {string} prefix
 * @param {{ attempts?: number, log?: (msg: string) => void }} [opts]
 */
export async function actionScratch(prefix, opts) {
  const scratch = mkdtempSync(join(tmpdir(), prefix))
  try {
    return { scratch, actionDir: await copyAction(join(scratch, 'action'), opts) }
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true })
    throw e
  }
}

/**
 * How the benchmark and the soak start: the stand-ins of __fixtures__ compiled and loaded
 * (`names`, as loadFixtures takes them), and a scratch folder with the action copy
 * (actionScratch). Exits 2 when dist/ is not whole.
 *
 * @param {string} prefix
 * @param {string[]} names
 * @param {(msg: string) => void} log
 */
export async function prepareScript(prefix, names, log) {
  log('compiling __fixtures__ ...')
  const fixtures = await loadFixtures(...names)
  const { scratch, actionDir } = await actionScratch(prefix, { log }).catch((e) => {
    console.error(e.message)
    process.exit(2)
  })
  return { fixtures, scratch, actionDir }
}

/**
 * A job folder: workspace, runner temp, empty output, state and summary files, and the
 * event file. `dir` defaults to a new temporary folder; `workspace` to `dir`/workspace.
 *
 * @param {{ dir?: string, workspace?: string, event?: unknown }} [opts]
 */
export function newJob({ dir, workspace, event = {} } = {}) {
  dir ??= mkdtempSync(join(tmpdir(), 'red-button-job-'))
  const job = {
    dir,
    workspace: workspace ?? join(dir, 'workspace'),
    temp: join(dir, 'runner-temp'),
    outputFile: join(dir, 'output'),
    stateFile: join(dir, 'state'),
    summaryFile: join(dir, 'summary.md'),
    eventFile: join(dir, 'event.json')
  }
  mkdirSync(job.workspace, { recursive: true })
  mkdirSync(job.temp, { recursive: true })
  for (const f of [job.outputFile, job.stateFile, job.summaryFile]) writeFileSync(f, '')
  writeFileSync(job.eventFile, JSON.stringify(event))
  return job
}

export function removeJob(job) {
  rmSync(job.dir, { recursive: true, force: true })
}

/** Parses the `name<<DELIMITER` file format of GITHUB_OUTPUT / GITHUB_STATE. */
export function parseCommandFile(text) {
  const out = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const value = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
    out[m[1]] = value.join('\n')
  }
  return out
}

/**
 * As the runner turns inputs into variables: INPUT_ + upper case, spaces to _, hyphens
 * kept. `token` is action.yml's only default (github-token), passed by the runner as if the
 * workflow had set it.
 */
export function inputEnv(inputs, token) {
  const env = {}
  if (token !== undefined) env['INPUT_GITHUB-TOKEN'] = token
  for (const [k, v] of Object.entries(inputs))
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  return env
}

/**
 * The variables a runner sets for a job of acme/shop on `main` by alice, with the job's
 * files, pointed at `apiUrl`.
 */
export function runnerEnv(job, { apiUrl, sha, runId = '7001', eventName = 'push' }) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    // the temp folder of whoever runs the step (the test run's own, scripts/jest-temp-setup.mjs)
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'alice',
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: eventName,
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

/** The state main saved, as the runner hands it to post: STATE_* variables. */
export function stateEnv(state) {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
}

/**
 * Runs `node ...args` and resolves once it has closed: exit code or signal, its output, and
 * its wall time (spawn to exit, not to the end of its pipes).
 *
 * Options: cwd, env; `prefix`, a command and its arguments put before node (e.g. GNU time);
 * `timeoutMs` (default 60 s), after which it is killed with SIGKILL, `onTimeout` is called
 * and the result says `timedOut`; `onSpawn(child, { text })`, with `text()` the stdout so
 * far; `onLine(line, stream)`, each line of stdout or stderr as it comes.
 */
export function spawnNode(args, opts = {}) {
  const { cwd, env = process.env, prefix = [], timeoutMs = 60_000 } = opts
  const [cmd, ...cmdArgs] = [...prefix, process.execPath, ...args]
  return new Promise((resolvePromise, reject) => {
    const start = performance.now()
    const child = spawn(cmd, cmdArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const out = { stdout: '', stderr: '' }
    const pending = { stdout: '', stderr: '' }
    for (const stream of ['stdout', 'stderr']) {
      child[stream].setEncoding('utf8')
      child[stream].on('data', (chunk) => {
        out[stream] += chunk
        if (!opts.onLine) return
        const lines = (pending[stream] + chunk).split('\n')
        pending[stream] = lines.pop()
        for (const line of lines) opts.onLine(line, stream)
      })
    }
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      opts.onTimeout?.()
      child.kill('SIGKILL')
    }, timeoutMs)
    opts.onSpawn?.(child, { text: () => out.stdout })
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', () => {
      const ms = performance.now() - start
      clearTimeout(timer)
      child.once('close', (code, signal) => {
        for (const stream of ['stdout', 'stderr'])
          if (pending[stream]) opts.onLine?.(pending[stream], stream)
        resolvePromise({ code, signal, timedOut, ms, ...out })
      })
    })
  })
}

/**
 * Runs one step of the action copy in `actionDir` (`entry`: index.js for main, post.js for
 * post) in `job` with `env`, and adds what it left in the job's files: `outputs`, `state`
 * (parsed) and `summary`. Options: those of spawnNode (cwd defaults to the workspace), and
 * `nodeArgs`, node flags put before the entry.
 */
export async function runStep(entry, job, env, { actionDir, nodeArgs = [], ...opts }) {
  const r = await spawnNode([...nodeArgs, join(actionDir, 'dist', entry)], {
    cwd: job.workspace,
    env,
    ...opts
  })
  return {
    ...r,
    outputs: parseCommandFile(readFileSync(job.outputFile, 'utf8')),
    state: parseCommandFile(readFileSync(job.stateFile, 'utf8')),
    summary: existsSync(job.summaryFile) ? readFileSync(job.summaryFile, 'utf8') : ''
  }
}

/** The post step, with the state that main saved in the job (STATE_* variables). */
export function runPost(job, env, opts) {
  const saved = parseCommandFile(readFileSync(job.stateFile, 'utf8'))
  return runStep('post.js', job, { ...env, ...stateEnv(saved) }, opts)
}
