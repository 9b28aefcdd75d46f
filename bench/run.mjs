// `npm run bench`: measures the bundled action (dist/) the way a GitHub runner runs it,
// against loopback stand-ins only (GitHub API, deployed service, monitoring), and prints
// each figure next to its target. With --write it also writes bench/RESULTS.md and, when
// README.md has the `<!-- bench:start -->` / `<!-- bench:end -->` markers, the same table
// between them; without it, no tracked file changes.
//
// Options: --runs N (start-up samples per side, default 5), --write.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  ROOT,
  inputEnv,
  jsFilesIn,
  newJob as newRunnerJob,
  prepareScript,
  runPost,
  runStep,
  runnerEnv as baseEnv,
  spawnNode
} from './action-runner.mjs'

const BENCH = join(ROOT, 'bench')
const argv = process.argv.slice(2)
const RUNS = Math.max(3, Math.min(51, Number(argv[argv.indexOf('--runs') + 1]) || 5))
const WRITE = argv.includes('--write')

/** The chunks of the holiday library and its data: loaded only by a run with `holidays`. */
// the holiday library's data (its French names among them); not the code that loads it: a
// match on that code's names once counted index.js, which names it, as holiday data
const isHolidayChunk = (file) => /Lundi de P/.test(readFileSync(file, 'utf8'))
const REACTION_RUNS = 3
const LINT_FILES = 200
const LINT_STATEMENTS = 50
const NOW = '2026-11-24T10:00:00Z' // a Tuesday: outside the default Friday freeze
const TOKEN = 'ghs_bench-token-0123456789'
const STEP_TIMEOUT_MS = 60_000
const TIME_BIN = '/usr/bin/time'
const STAND_INS = ['github-api', 'sample-service', 'start-stand-ins']

const TARGETS = {
  dryRunTrips: 3,
  dryRunCommentTrips: 4,
  deployTrips: 7,
  // issue 6 set 8 and 12; docs/design.md section 11 then added GET compare (the change list) to
  // every run with a previous deployment: one request more, no round trip more (it goes out
  // with the status reads)
  dryRunRequests: 9,
  deployRequests: 13,
  countedWhileWaiting: 4,
  // docs/design.md section 14: one list of deployments and one status read per waiting release
  resumeIdleCounted: 2,
  reactionMs: 1500,
  bundleKB: 1024
}
/** the API latency of the round-trip measures */
const LATENCY_MS = 300
/** how long the wait for a pending check lasts */
const WAIT_MS = 60_000

const t0 = performance.now()
const log = (msg) =>
  process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`)
/** wall clock in ms with sub-ms precision */
const wallMs = () => performance.timeOrigin + performance.now()
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

// ---------------------------------------------------------------- fixtures and the action copy

// The stand-ins, and a copy of dist/ outside the repository, as a runner checks the action
// out: no node_modules can be found from there, so the bundle must stand on its own.
const { fixtures, scratch, actionDir } = await prepareScript('red-button-bench-', STAND_INS, log)
const { DEFAULT_SHA, startProductionApi, startSampleService, sequentialRoundTrips } = fixtures

let jobCount = 0
const newJob = () => newRunnerJob({ dir: join(scratch, `job-${++jobCount}`) })

function runnerEnv(job, apiUrl, inputs) {
  return {
    ...baseEnv(job, { apiUrl, sha: DEFAULT_SHA }),
    RED_BUTTON_NOW: NOW,
    ...inputEnv(inputs, TOKEN)
  }
}

/**
 * With `measureRss`, how the peak RSS of a step is read: GNU time's -v report, or else the
 * high-water mark polled from /proc until the process is gone.
 */
function rssMeter() {
  if (existsSync(TIME_BIN)) {
    const file = join(scratch, `rss-${Math.random().toString(36).slice(2)}`)
    return {
      prefix: [TIME_BIN, '-v', '-o', file],
      rssKB: () => {
        const report = existsSync(file) ? readFileSync(file, 'utf8') : ''
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)
        return m ? Number(m[1]) : undefined
      }
    }
  }
  let hwmKB = 0
  let poll
  return {
    onSpawn: (child) => {
      poll = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
          if (m) hwmKB = Math.max(hwmKB, Number(m[1]))
        } catch {
          // gone
        }
      }, 5)
    },
    rssKB: () => {
      clearInterval(poll)
      return hwmKB || undefined
    }
  }
}

/** One step of the action: wall time (spawn → exit), exit code, outputs and, with `measureRss`, its peak RSS. */
async function step(entry, job, env, { measureRss = false, timeoutMs = STEP_TIMEOUT_MS } = {}) {
  const meter = measureRss ? rssMeter() : {}
  const r = await runStep(entry, job, env, {
    actionDir,
    timeoutMs,
    prefix: meter.prefix,
    onSpawn: meter.onSpawn
  })
  return { ...r, rssKB: meter.rssKB?.() }
}

/** main, then post with the state main saved (STATE_* variables), as a runner does */
async function runMainAndPost(job, env, opts = {}) {
  const main = await step('index.js', job, env, opts)
  const post = await runPost(job, env, { actionDir, timeoutMs: STEP_TIMEOUT_MS })
  return { main, post }
}

function describeFailure(what, r) {
  return `${what}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, status=${r.outputs?.status}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-2000)}`
}

// ---------------------------------------------------------------- the scene

const monitoring = await startSampleService() // the monitoring system: stays up
const closers = [() => monitoring.close()]

function dryRunInputs() {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.0',
    'dry-run': 'true',
    'monitoring-url': `${monitoring.url}/health`,
    'deploy-command': 'true',
    'rollback-command': 'true'
  }
}

function deployInputs(service, extra = {}) {
  return {
    environment: 'production',
    // not about code review (its own tests turn it on)
    'required-approvals': '0',
    version: 'v1.2.0',
    'monitoring-url': `${monitoring.url}/health`,
    'deploy-command': 'true',
    'rollback-command': 'true',
    'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
    'monitor-duration': '2s',
    'monitor-interval': '1s',
    'command-timeout': '20s',
    ...extra
  }
}

const results = {}
let failed = false

/** A production stand-in answering every request after `LATENCY_MS`, with a PR of the commit when asked. */
async function slowApi({ pull = false } = {}) {
  const api = await startProductionApi()
  api.state.delayMs = LATENCY_MS
  if (pull)
    api.addPull(DEFAULT_SHA, { number: 42, title: 'Add exports', head_ref: 'feature/exports' })
  closers.push(() => api.close())
  return api
}

try {
  // ------------------------------------------------------------ 1. sequential round trips at 300 ms
  log(
    `round trips at ${LATENCY_MS} ms API latency: dry run, dry run with a PR comment, deployment ...`
  )
  const trips = {}
  {
    const api = await slowApi()
    const job = newJob()
    const r = await step(
      'index.js',
      job,
      runnerEnv(job, api.url, { ...dryRunInputs(), 'pr-comment': 'false' })
    )
    if (r.code !== 0 || r.outputs.status !== 'planned')
      throw new Error(describeFailure('dry run', r))
    trips.dryRun = { trips: sequentialRoundTrips(api.requests), ms: r.ms }
  }
  {
    const api = await slowApi({ pull: true })
    const job = newJob()
    const r = await step('index.js', job, runnerEnv(job, api.url, dryRunInputs()))
    if (r.code !== 0 || !api.state.comments.length)
      throw new Error(describeFailure('dry run with a PR comment', r))
    trips.dryRunComment = { trips: sequentialRoundTrips(api.requests), ms: r.ms }
  }
  {
    const api = await slowApi({ pull: true })
    const service = await startSampleService()
    closers.push(() => service.close())
    const job = newJob()
    const { main } = await runMainAndPost(
      job,
      runnerEnv(job, api.url, deployInputs(service, { 'monitor-duration': '0' }))
    )
    if (main.code !== 0 || main.outputs.status !== 'deployed')
      throw new Error(describeFailure('deployment at 300 ms', main))
    trips.deployment = { trips: sequentialRoundTrips(api.requests), ms: main.ms }
  }
  results.trips = trips

  // ------------------------------------------------------------ 2. start-up (for information)
  log(`start-up: ${RUNS} dry runs and ${RUNS} bare \`node -e 0\`, interleaved ...`)
  const api = await startProductionApi()
  closers.push(() => api.close())
  const bare = []
  const dry = []
  let dryRequests
  for (let i = -1; i < RUNS; i++) {
    // i = -1 is a warm-up of both (file cache, loopback sockets), not counted
    const b = await spawnNode(['-e', '0'], { cwd: scratch, timeoutMs: STEP_TIMEOUT_MS })
    const job = newJob()
    const before = api.requests.length
    const r = await step('index.js', job, runnerEnv(job, api.url, dryRunInputs()))
    if (r.code !== 0 || r.outputs.status !== 'planned' || r.outputs.decision !== 'go')
      throw new Error(describeFailure('dry run', r))
    const n = api.requests.length - before
    if (dryRequests !== undefined && n !== dryRequests)
      log(`note: dry run ${i} made ${n} requests (previous: ${dryRequests})`)
    dryRequests = n
    if (i >= 0) {
      bare.push(b.ms)
      dry.push(r.ms)
    }
  }
  const dryPaths = api.requests.slice(-dryRequests).map((q) => `${q.method} ${q.path}`)
  results.startup = {
    dryRunMs: median(dry),
    nodeMs: median(bare),
    ratio: median(dry) / median(bare),
    runs: RUNS
  }

  // ------------------------------------------------------------ 3. memory of a dry run
  {
    const job = newJob()
    const r = await step('index.js', job, runnerEnv(job, api.url, dryRunInputs()), {
      measureRss: true
    })
    if (r.code !== 0) throw new Error(describeFailure('dry run (memory)', r))
    results.memory = { dryRunMB: r.rssKB / 1024 }
  }

  // ------------------------------------------------------------ 4. requests
  results.requests = { dryRun: dryRequests, dryRunPaths: dryPaths }
  log('deployment: requests and memory ...')
  {
    const dApi = await startProductionApi()
    const service = await startSampleService()
    closers.push(
      () => dApi.close(),
      () => service.close()
    )
    const job = newJob()
    const env = runnerEnv(job, dApi.url, deployInputs(service))
    const before = dApi.requests.length
    const { main, post } = await runMainAndPost(job, env, { measureRss: true })
    if (main.code !== 0 || main.outputs.status !== 'deployed')
      throw new Error(describeFailure('deployment', main))
    const mainRequests = dApi.requests.slice(before)
    results.requests.deployment = mainRequests.length
    results.requests.deploymentPaths = mainRequests.map((q) => `${q.method} ${q.path}`)
    results.requests.deploymentPostStep = dApi.requests.length - before - mainRequests.length
    results.memory.deploymentMB = main.rssKB / 1024
    results.deploymentMs = main.ms
    if (post.code !== 0) log(`note: post step exited ${post.code}`)
  }

  // ------------------------------------------------------------ 5. a 60 s wait for a pending check
  log(`rate limit: a dry run waiting ${WAIT_MS / 1000} s for a pending check ...`)
  {
    const wApi = await startProductionApi()
    closers.push(() => wApi.close())
    wApi.addCheckRun(DEFAULT_SHA, { name: 'e2e', status: 'in_progress' })
    const timer = setTimeout(
      () => wApi.setCheckRun(DEFAULT_SHA, 'e2e', { status: 'completed', conclusion: 'success' }),
      WAIT_MS
    )
    const job = newJob()
    const r = await step(
      'index.js',
      job,
      runnerEnv(job, wApi.url, {
        ...dryRunInputs(),
        'checks-timeout': '3m',
        'pr-comment': 'false'
      }),
      { timeoutMs: WAIT_MS + STEP_TIMEOUT_MS }
    ).finally(() => clearTimeout(timer))
    if (r.code !== 0 || r.outputs.status !== 'planned')
      throw new Error(describeFailure('dry run waiting for a check', r))
    const polls = wApi.requests.filter((q) => /\/(check-runs|status)$/.test(q.path))
    results.waiting = {
      requests: wApi.requests.length,
      counted: polls.filter((q) => q.counted).length,
      polls: polls.length,
      notModified: polls.filter((q) => q.status === 304).length,
      ms: r.ms
    }
  }

  // ------------------------------------------------------------ 5b. postponed, and resumed
  log('postponed on Friday, resume steps on Saturday (nothing due) and Monday (one due) ...')
  {
    const FRIDAY = '2026-11-27T14:00:00Z'
    const pApi = await startProductionApi()
    closers.push(() => pApi.close())
    pApi.state.clock = () => new Date(FRIDAY)
    const runId = 7001
    const ownJob = pApi.addJob({ run_id: runId, name: 'release', runner_name: 'bench-runner' })
    const at = (now, inputs, extra = {}) => {
      const job = newJob()
      return step('index.js', job, {
        ...runnerEnv(job, pApi.url, inputs),
        RED_BUTTON_NOW: now,
        GITHUB_JOB: 'release',
        RUNNER_NAME: 'bench-runner',
        ...extra
      })
    }
    const paris = { timezone: 'Europe/Paris', 'pr-comment': 'false' }
    // the same run as a dry run, to tell what postponing adds
    let before = pApi.requests.length
    const dry = await at(FRIDAY, { ...dryRunInputs(), ...paris })
    if (dry.outputs.decision !== 'postpone')
      throw new Error(describeFailure('dry run on Friday afternoon', dry))
    const dryRequests = pApi.requests.length - before
    before = pApi.requests.length
    const postponed = await at(FRIDAY, { ...deployInputs(monitoring), ...paris })
    if (postponed.outputs.status !== 'postponed' || !postponed.outputs['deployment-id'])
      throw new Error(describeFailure('postponed run', postponed))
    const postponedPaths = pApi.requests.slice(before).map((q) => `${q.method} ${q.path}`)
    pApi.state.runs.find((r) => r.id === runId).status = 'completed'
    ownJob.status = 'completed'
    const resume = async (now) => {
      pApi.state.clock = () => new Date(now)
      const from = pApi.requests.length
      const r = await at(
        now,
        { 'resume-postponed': 'true', timezone: 'Europe/Paris' },
        {
          GITHUB_RUN_ID: '9100'
        }
      )
      const sent = pApi.requests.slice(from)
      return {
        r,
        requests: sent.length,
        counted: sent.filter((q) => q.counted).length,
        paths: sent.map((q) => `${q.method} ${q.path}`)
      }
    }
    const idle = await resume('2026-11-28T10:00:00Z')
    if (idle.r.code !== 0 || idle.r.outputs.status !== 'idle')
      throw new Error(describeFailure('resume step, nothing due', idle.r))
    const due = await resume('2026-11-30T08:10:00Z')
    if (due.r.code !== 0 || due.r.outputs.status !== 'resumed')
      throw new Error(describeFailure('resume step, one due', due.r))
    results.resume = {
      postponedExtra: postponedPaths.length - dryRequests,
      postponedPaths,
      idle: { requests: idle.requests, counted: idle.counted, paths: idle.paths },
      due: { requests: due.requests, counted: due.counted, paths: due.paths }
    }
  }

  // ------------------------------------------------------------ 6. reaction time
  log(`reaction time: ${REACTION_RUNS} deployments broken during the watch window ...`)
  const reactions = []
  for (let i = 0; i < REACTION_RUNS; i++) {
    const rApi = await startProductionApi()
    const service = await startSampleService()
    const job = newJob()
    const stampFile = join(job.dir, 'rollback-at')
    const env = runnerEnv(
      job,
      rApi.url,
      deployInputs(service, {
        'monitor-duration': '30s',
        'monitor-interval': '1s',
        'rollback-command': `date +%s%N > '${stampFile}'`
      })
    )
    let brokeAt
    let firstFailAt
    // one smoke request, then let two monitoring rounds pass healthy, then break it:
    // the next request to arrive is the first to be answered 503
    const breaking = service.waitForRequests(3).then(() => {
      service.break()
      brokeAt = wallMs()
      return service.waitForRequests(service.requests + 1).then(() => {
        firstFailAt = wallMs()
      })
    })
    const main = await step('index.js', job, env)
    await Promise.race([breaking, new Promise((r) => setTimeout(r, 100))])
    await rApi.close()
    await service.close()
    if (main.outputs.status !== 'rolled-back' || !existsSync(stampFile) || !firstFailAt)
      throw new Error(describeFailure('reaction run', main))
    const rollbackAt = Number(readFileSync(stampFile, 'utf8').trim()) / 1e6
    reactions.push({
      ms: rollbackAt - firstFailAt,
      brokenToFirstFailMs: firstFailAt - brokeAt
    })
  }
  results.reaction = {
    ms: median(reactions.map((r) => r.ms)),
    maxMs: Math.max(...reactions.map((r) => r.ms)),
    samplesMs: reactions.map((r) => Math.round(r.ms)),
    brokenToFirstFailMs: reactions.map((r) => Math.round(r.brokenToFirstFailMs)),
    interval: '1s'
  }

  // ------------------------------------------------------------ 7. the SQL lint
  log(`SQL lint: ${LINT_FILES} migration files of ${LINT_STATEMENTS} statements, in a dry run ...`)
  {
    const lApi = await startProductionApi()
    closers.push(() => lApi.close())
    // the running version (its previous deployment), then the commit that adds the files
    const fileName = (f) => `db/migrations/${String(f).padStart(4, '0')}_t${f}.sql`
    lApi.addCommit({
      sha: lApi.state.deployments.find((d) => d.environment === 'production').sha,
      message: 'Release v1.1.9 (#1)'
    })
    lApi.addCommit({
      sha: DEFAULT_SHA,
      message: 'Add the tables (#2)',
      files: Array.from({ length: LINT_FILES }, (_, f) => ({
        filename: fileName(f),
        status: 'added'
      }))
    })
    const sample = [
      (t) => `CREATE TABLE ${t} (id bigint PRIMARY KEY, name text NOT NULL DEFAULT '');`,
      (t, i) => `ALTER TABLE ${t} ADD COLUMN c${i} text;`,
      // not CONCURRENTLY: the files are transactions, where PostgreSQL refuses it (and the lint
      // says so: concurrent-index-in-transaction); the table is new, so no finding either way
      (t, i) => `CREATE INDEX ${t}_c${i} ON ${t} (c${i});`,
      (t, i) => `INSERT INTO ${t} (id, name) VALUES (${i}, 'it''s ${i}');`,
      (t, i) => `UPDATE ${t} SET name = 'x' WHERE id = ${i};`
    ]
    const timed = async (inputs, files) => {
      const times = []
      for (let i = 0; i < 3; i++) {
        const job = newJob()
        if (files) {
          const dir = join(job.workspace, 'db', 'migrations')
          mkdirSync(dir, { recursive: true })
          for (let f = 0; f < LINT_FILES; f++) {
            const t = `t${f}`
            const lines = Array.from({ length: LINT_STATEMENTS }, (_, n) =>
              sample[n % sample.length](t, n)
            )
            writeFileSync(
              join(job.workspace, fileName(f)),
              `BEGIN;\n${lines.join('\n')}\nCOMMIT;\n`
            )
          }
        }
        const r = await step(
          'index.js',
          job,
          runnerEnv(job, lApi.url, { ...dryRunInputs(), 'pr-comment': 'false', ...inputs })
        )
        if (r.code !== 0 || r.outputs.status !== 'planned')
          throw new Error(describeFailure('dry run with the SQL lint', r))
        if (files && !/200 migration files of this release checked/.test(r.outputs.record ?? ''))
          throw new Error(describeFailure('the lint did not read the 200 files', r))
        times.push(r.ms)
      }
      return median(times)
    }
    const withLint = await timed({ 'migrations-path': 'db/migrations/*.sql' }, true)
    const without = await timed({}, false)
    // a copy of the action without the parser's files: a dry run without migrations-path
    // never loads them, so it still plans
    const bare = join(scratch, 'action-without-parser')
    cpSync(actionDir, bare, { recursive: true })
    const parserFiles = ['lint.js', 'libpg-query.cjs', 'libpg-query.wasm']
    for (const f of parserFiles) rmSync(join(bare, 'dist', 'chunks', f))
    const job = newJob()
    const plain = await runStep(
      'index.js',
      job,
      runnerEnv(job, lApi.url, { ...dryRunInputs(), 'pr-comment': 'false' }),
      {
        actionDir: bare,
        timeoutMs: STEP_TIMEOUT_MS
      }
    )
    const chunkKB = (f) => statSync(join(actionDir, 'dist', 'chunks', f)).size / 1024
    // the holiday library's data: a chunk of its own, loaded only when `holidays` is set
    const withHolidays = await timed({ holidays: 'FR, DE-BY, US-CA' }, false)
    const holidayChunks = jsFilesIn(join(actionDir, 'dist', 'chunks')).filter(isHolidayChunk)
    results.holidays = {
      ms: withHolidays - without,
      KB: holidayChunks.reduce((n, f) => n + statSync(f).size, 0) / 1024,
      files: holidayChunks.length
    }
    results.lint = {
      ms: withLint - without,
      withLintMs: withLint,
      withoutMs: without,
      parserJsKB: chunkKB('lint.js') + chunkKB('libpg-query.cjs'),
      parserWasmKB: chunkKB('libpg-query.wasm'),
      dryRunWithoutParser: plain.code === 0 && plain.outputs.status === 'planned'
    }
  }

  // ------------------------------------------------------------ 8. bundle size
  // the copy that was measured (dist/ may be rebuilt meanwhile)
  // the holiday library's data is a chunk loaded only with `holidays`: its own row below
  const jsFiles = jsFilesIn(join(actionDir, 'dist')).filter((f) => !isHolidayChunk(f))
  const bytes = jsFiles.reduce((s, f) => s + statSync(f).size, 0)
  results.bundle = {
    KB: bytes / 1024,
    files: jsFiles.length,
    largest: jsFiles
      .map((f) => ({ file: f.slice(actionDir.length + 1), KB: statSync(f).size / 1024 }))
      .sort((a, b) => b.KB - a.KB)
      .slice(0, 3)
  }
} catch (e) {
  failed = true
  console.error(`bench failed: ${e.stack ?? e}`)
} finally {
  for (const c of closers) await c().catch(() => {})
  rmSync(scratch, { recursive: true, force: true })
}
if (failed) process.exit(1)

// ---------------------------------------------------------------- report

const cpuModel =
  (/^model name\s*:\s*(.+)$/m.exec(
    existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : ''
  ) ?? [])[1] ??
  cpus()[0]?.model ??
  'unknown'
const machine = {
  nproc: cpus().length,
  node: process.version,
  cpu: cpuModel.trim(),
  date: new Date().toISOString()
}
const machineLine = `Machine: ${machine.nproc} CPU(s), ${machine.cpu}, Node ${machine.node}; measured ${machine.date}.`

const verdict = (ok) => (ok === undefined ? '—' : ok ? 'PASS' : 'OVER')
const { startup, requests, reaction, bundle, memory, trips, waiting, lint, resume, holidays } =
  results
const deployRequests = requests.deployment + requests.deploymentPostStep
const checks = {
  dryRunTrips: trips.dryRun.trips <= TARGETS.dryRunTrips,
  dryRunCommentTrips: trips.dryRunComment.trips <= TARGETS.dryRunCommentTrips,
  deployTrips: trips.deployment.trips <= TARGETS.deployTrips,
  dryRunRequests: requests.dryRun <= TARGETS.dryRunRequests,
  deployRequests: deployRequests <= TARGETS.deployRequests,
  countedWhileWaiting: waiting.counted <= TARGETS.countedWhileWaiting,
  reactionMs: reaction.ms <= TARGETS.reactionMs,
  bundleKB: bundle.KB <= TARGETS.bundleKB,
  parserLazy: lint.dryRunWithoutParser,
  resumeIdle: resume.idle.counted <= TARGETS.resumeIdleCounted
}
const tripRow = (what, t, target, ok) => [
  `Sequential API round trips at ${LATENCY_MS} ms latency: ${what}`,
  `${t.trips} (${(t.ms / 1000).toFixed(1)} s in all)`,
  `≤ ${target}`,
  verdict(ok)
]
const rows = [
  tripRow('dry run', trips.dryRun, TARGETS.dryRunTrips, checks.dryRunTrips),
  tripRow(
    'dry run with a PR comment',
    trips.dryRunComment,
    TARGETS.dryRunCommentTrips,
    checks.dryRunCommentTrips
  ),
  tripRow(
    'deployment (with a PR comment)',
    trips.deployment,
    TARGETS.deployTrips,
    checks.deployTrips
  ),
  [
    'GitHub API requests per dry run',
    String(requests.dryRun),
    `≤ ${TARGETS.dryRunRequests}`,
    verdict(checks.dryRunRequests)
  ],
  [
    'GitHub API requests per deployment (main + post)',
    String(deployRequests),
    `≤ ${TARGETS.deployRequests}`,
    verdict(checks.deployRequests)
  ],
  [
    `Polls counted against the rate limit while waiting ${WAIT_MS / 1000} s for a pending check`,
    `${waiting.counted} of ${waiting.polls} (${waiting.notModified} answered 304; ${waiting.requests} requests in the run)`,
    `≤ ${TARGETS.countedWhileWaiting}`,
    verdict(checks.countedWhileWaiting)
  ],
  [
    'Resume step with one release waiting, nothing due: requests counted against the rate limit',
    `${resume.idle.counted} (${resume.idle.requests} requests)`,
    `≤ ${TARGETS.resumeIdleCounted}`,
    verdict(checks.resumeIdle)
  ],
  [
    'Resume step with one release due (re-run requested): requests',
    `${resume.due.requests} (${resume.due.counted} counted)`,
    '—',
    '—'
  ],
  [
    'A postponed run: requests more than the same run as a dry run (its job, the queued deployment, its status)',
    `${resume.postponedExtra}`,
    '—',
    '—'
  ],
  [
    'Reaction: first failed health answer → rollback starts (interval 1s; median of ' +
      REACTION_RUNS +
      ')',
    `${(reaction.ms / 1000).toFixed(3)} s (max ${(reaction.maxMs / 1000).toFixed(3)} s)`,
    `≤ ${(TARGETS.reactionMs / 1000).toFixed(1)} s`,
    verdict(checks.reactionMs)
  ],
  [
    `Bundle size: dist/**/*.js (${bundle.files} files; the holiday data apart, in its own row)`,
    `${bundle.KB.toFixed(1)} KB`,
    `≤ ${TARGETS.bundleKB} KB`,
    verdict(checks.bundleKB)
  ],
  [
    `SQL lint of ${LINT_FILES} migration files of ${LINT_STATEMENTS} statements (dry run with migrations-path − without; median of 3)`,
    `${(lint.ms / 1000).toFixed(2)} s (${(lint.withLintMs / 1000).toFixed(2)} s vs ${(lint.withoutMs / 1000).toFixed(2)} s)`,
    '—',
    '—'
  ],
  [
    'SQL parser chunk, loaded only with migrations-path (lint.js, libpg-query.cjs; WebAssembly apart)',
    `${lint.parserJsKB.toFixed(1)} KB + ${(lint.parserWasmKB / 1024).toFixed(2)} MB .wasm`,
    '—',
    '—'
  ],
  [
    `Holidays (FR, DE-BY, US-CA): chunk${holidays.files === 1 ? '' : 's'} loaded only with holidays; dry run with − without (median of 3)`,
    `${holidays.KB.toFixed(1)} KB; ${(holidays.ms / 1000).toFixed(2)} s`,
    '—',
    '—'
  ],
  [
    'Dry run without migrations-path, with the parser files removed from dist/',
    lint.dryRunWithoutParser
      ? 'planned: the parser is never loaded'
      : 'FAILED: it needs the parser',
    'planned',
    verdict(checks.parserLazy)
  ],
  ['Peak memory (max RSS), dry run', `${memory.dryRunMB.toFixed(1)} MB`, '—', '—'],
  ['Peak memory (max RSS), deployment', `${memory.deploymentMB.toFixed(1)} MB`, '—', '—'],
  [
    'Start-up, for information: dry run ÷ bare `node -e 0` (median of ' + startup.runs + ')',
    `${startup.ratio.toFixed(2)}× (${startup.dryRunMs.toFixed(0)} ms vs ${startup.nodeMs.toFixed(0)} ms)`,
    '—',
    '—'
  ]
]

function textTable(header, body) {
  const all = [header, ...body]
  const w = header.map((_, c) => Math.max(...all.map((r) => r[c].length)))
  const line = (r) => r.map((cell, c) => cell.padEnd(w[c])).join('  ')
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n')
}
function mdTable(header, body) {
  const esc = (s) => s.replace(/\|/g, '\\|')
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.map(esc).join(' | ')} |`)
  ].join('\n')
}
const header = ['Measure', 'Result', 'Target', 'Verdict']

console.log()
console.log(textTable(header, rows))
console.log()
console.log(machineLine)
console.log(`Dry-run requests:    ${requests.dryRunPaths.join(', ')}`)
console.log(`Deployment requests: ${requests.deploymentPaths.join(', ')}`)

const md = `${mdTable(header, rows)}\n\n${machineLine}`
if (WRITE) {
  writeFileSync(
    join(BENCH, 'RESULTS.md'),
    `# Benchmark results\n\nProduced by \`npm run bench\` (bench/run.mjs): dist/ run as a GitHub runner runs it, against loopback stand-ins.\n\n${md}\n\n` +
      `- Machine: \`nproc\` = ${machine.nproc}; CPU: ${machine.cpu}; \`node --version\` = ${machine.node}; date: ${machine.date}\n` +
      `- Dry-run requests (${requests.dryRun}): ${requests.dryRunPaths.map((p) => `\`${p}\``).join(', ')}\n` +
      `- Deployment requests (${requests.deployment} in main, ${requests.deploymentPostStep} in post): ${requests.deploymentPaths.map((p) => `\`${p}\``).join(', ')}\n` +
      `- Reaction samples: ${reaction.samplesMs.join(', ')} ms (service broken → first 503 answer: ${reaction.brokenToFirstFailMs.join(', ')} ms, the wait for the next round)\n`
  )
  const readme = join(ROOT, 'README.md')
  if (existsSync(readme)) {
    const text = readFileSync(readme, 'utf8')
    const start = text.indexOf('<!-- bench:start -->')
    const end = text.indexOf('<!-- bench:end -->')
    if (start !== -1 && end > start) {
      const head = text.slice(0, start + '<!-- bench:start -->'.length)
      writeFileSync(readme, `${head}\n${md}\n${text.slice(end)}`)
      log('README.md: bench section updated')
    }
  }
}

const json = {
  machine,
  targets: TARGETS,
  trips,
  requests: { dryRun: requests.dryRun, deployment: deployRequests },
  waiting,
  reaction,
  bundle: { KB: bundle.KB, files: bundle.files },
  lint,
  memory,
  startup,
  pass: Object.values(checks).every(Boolean),
  benchSeconds: (performance.now() - t0) / 1000
}
console.log()
console.log(JSON.stringify(json))
if (!json.pass) {
  console.error(
    `over target: ${Object.keys(checks)
      .filter((k) => !checks[k])
      .join(', ')}`
  )
  process.exit(1)
}
