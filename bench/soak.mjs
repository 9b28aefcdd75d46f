// `npm run soak`: is the action's memory flat over a long monitoring window? Runs the bundled
// action (dist/index.js, copied out of the repository as a runner checks it out) for a real
// deployment against loopback stand-ins (GitHub API, the deployed service and its
// Prometheus), with a watch window of many rounds at a fast interval, and samples the action
// process's resident memory (VmRSS in /proc/<pid>/status) and open file descriptors every
// second. The target is 10 minutes at a 1 s interval (600 rounds); the default compresses it
// to 600 rounds at 100 ms, about a minute in all.
//
// Each sample is taken right after a full garbage collection: the action runs with
// --expose-gc and a three-line probe (--import) that calls gc() every second and reports the
// heap still in use. Without it, V8 lets garbage and its young generation grow for as long as
// nothing presses it to collect, and at 10 rounds a second that alone adds 10-15 MB of RSS
// in a minute while the heap that survives a full GC stays flat: RSS then measures V8's
// laziness, not what the action holds on to. --no-gc runs the action untouched (the RSS of
// a real run, for comparison).
//
// Prints one verdict line:
//   soak: N rounds, RSS first X MB, last Y MB, peak Z MB, growth G MB — FLAT|GROWING
// where growth is the mean RSS of the last third of the window minus that of the first
// third, and FLAT means growth below 10 MB. Exits 1 when GROWING or when the deployment
// did not succeed with every round run.
//
// Options: --rounds N (default 600), --interval D (100ms, 1s, or a number of ms; default
// 100ms), --limit-mb M (growth still called flat, default 10), --no-gc (see above),
// --node-arg X (repeatable: a node flag for the action, e.g. --max-semi-space-size=1).
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { inputEnv, newJob, prepareScript, runStep, runnerEnv } from './action-runner.mjs'

const argv = process.argv.slice(2)
const flag = (name) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
function parseInterval(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(String(text).trim())
  if (!m) return undefined
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1))
}
const ROUNDS = Math.floor(Number(flag('--rounds') ?? 600))
const INTERVAL_MS = parseInterval(flag('--interval') ?? '100ms')
const LIMIT_MB = Number(flag('--limit-mb') ?? 10)
const GC = !argv.includes('--no-gc')
/** node flags for the action, for diagnosis (repeatable): --node-arg --max-semi-space-size=1 */
const NODE_ARGS = argv.flatMap((a, i) => (argv[i - 1] === '--node-arg' ? [a] : []))
if (!(ROUNDS >= 3 && ROUNDS <= 100_000) || !(INTERVAL_MS >= 10) || !(LIMIT_MB > 0)) {
  console.error(
    'usage: node bench/soak.mjs [--rounds N>=3] [--interval 100ms|1s|N>=10] [--limit-mb M] [--no-gc] [--node-arg X]...'
  )
  process.exit(2)
}
const WINDOW_MS = ROUNDS * INTERVAL_MS
/** the run is killed if it has not ended by then (the window plus start, smoke and end) */
const HARD_LIMIT_MS = WINDOW_MS * 1.5 + 120_000
const SAMPLE_MS = 1000
const NOW = '2026-11-24T10:00:00Z' // a Tuesday: outside the default Friday freeze
const TOKEN = 'ghs_soak-token-0123456789'

const t0 = performance.now()
const log = (msg) =>
  process.stderr.write(`[soak ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`)
const mb = (kB) => kB / 1024
const fmt = (x) => x.toFixed(1)
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length

// ---------------------------------------------------------------- stand-ins, the action as checked out

const { fixtures, scratch, actionDir } = await prepareScript(
  'red-button-soak-',
  ['github-api', 'sample-service', 'start-stand-ins'],
  log
)
const { DEFAULT_SHA, startProductionApi, startSampleService } = fixtures
const job = newJob({ dir: scratch })

function readProc(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rss = /VmRSS:\s+(\d+) kB/.exec(status)
    let fds
    try {
      fds = readdirSync(`/proc/${pid}/fd`).length
    } catch {
      fds = undefined
    }
    return rss ? { rssKB: Number(rss[1]), fds } : undefined
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------- the run

const api = await startProductionApi()
const service = await startSampleService()
const monitoring = await startSampleService()

const monitorChecks = [
  `- name: Health\n  url: ${service.url}/health\n  timeout: 5s`,
  `- name: Home\n  url: ${service.url}/\n  contains: Welcome\n  timeout: 5s`,
  `- name: Error rate\n  prometheus: ${service.prometheusUrl}\n  query: sum(rate(http_errors_total[5m]))\n  max: 0.01\n  timeout: 5s`,
  `- name: Command\n  run: "true"`
].join('\n')
const inputs = {
  environment: 'production',
  // not about code review (its own tests turn it on)
  'required-approvals': '0',
  version: 'v1.2.0',
  'monitoring-url': `${monitoring.url}/health`,
  'deploy-command': 'true',
  'rollback-command': 'true',
  'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
  'monitor-checks': monitorChecks,
  'monitor-duration': `${WINDOW_MS}ms`,
  'monitor-interval': `${INTERVAL_MS}ms`,
  'command-timeout': '20s'
}
const env = {
  ...runnerEnv(job, { apiUrl: api.url, sha: DEFAULT_SHA }),
  RED_BUTTON_NOW: NOW,
  ...inputEnv(inputs, TOKEN)
}

log(
  `deploying with a ${WINDOW_MS / 1000}s window at ${INTERVAL_MS}ms (${ROUNDS} rounds), ` +
    `sampling RSS every ${SAMPLE_MS / 1000}s${GC ? ' after a full GC' : ''} ...`
)
/** { t (ms since spawn), rssKB, fds, inWindow, heapKB (after a full GC) } */
const samples = []
let windowStart
let windowEnd
let roundsSeen = 0
/** every second, a full GC, then the heap still in use, on the action's stderr */
const HEAP_TAG = 'soak-heap-used '
const heapArgs = []
if (GC) {
  const probe = join(scratch, 'heap-probe.mjs')
  writeFileSync(
    probe,
    `setInterval(() => { globalThis.gc(); process.stderr.write('\\n${HEAP_TAG}' + process.memoryUsage().heapUsed + '\\n') }, ${SAMPLE_MS}).unref()\n`
  )
  heapArgs.push('--expose-gc', `--import=${pathToFileURL(probe).href}`)
}
let child
let spawnedAt = performance.now()
const since = () => performance.now() - spawnedAt
let sampler
function onLine(line, stream) {
  if (stream === 'stderr') {
    // the GC has just run: the RSS now is what the action holds
    if (line.startsWith(HEAP_TAG)) sample(Number(line.slice(HEAP_TAG.length)) / 1024)
    return
  }
  if (/monitor round \d+/.test(line)) {
    roundsSeen++
    if (windowStart === undefined) windowStart = since()
  }
  if (/monitoring (passed|failed)|monitoring cancelled/.test(line)) windowEnd ??= since()
}

function sample(heapKB) {
  const s = readProc(child.pid)
  if (!s) return
  const t = since()
  const inWindow = windowStart !== undefined && windowEnd === undefined
  samples.push({ t, ...s, inWindow, heapKB })
  if (samples.length % 10 === 0) {
    const heap = heapKB !== undefined ? `, heap ${fmt(mb(heapKB))} MB` : ''
    log(
      `${Math.round(t / 1000)}s: RSS ${fmt(mb(s.rssKB))} MB${heap}, ${s.fds} fds, ${roundsSeen} rounds`
    )
  }
}
const exit = await runStep('index.js', job, env, {
  actionDir,
  nodeArgs: [...heapArgs, ...NODE_ARGS],
  timeoutMs: HARD_LIMIT_MS,
  onTimeout: () => log(`no end after ${HARD_LIMIT_MS / 1000}s: killing the action`),
  onSpawn: (c) => {
    child = c
    spawnedAt = performance.now()
    if (!GC) sampler = setInterval(() => sample(), SAMPLE_MS)
  },
  onLine
}).catch((error) => ({ code: null, signal: null, error, stdout: '', stderr: '', outputs: {} }))
clearInterval(sampler)
await Promise.all([api.close(), service.close(), monitoring.close()])
const { outputs } = exit
const stdoutTail = exit.stdout.slice(-4000)
const stderrTail = exit.stderr
  .split('\n')
  .filter((line) => line && !line.startsWith(HEAP_TAG))
  .map((line) => `${line}\n`)
  .join('')
  .slice(-2000)
rmSync(scratch, { recursive: true, force: true })

// ---------------------------------------------------------------- verdict

const window = samples.filter((s) => s.inWindow)
if (window.length < 6) {
  console.error(
    `soak: only ${window.length} RSS samples in the monitoring window (exit ${exit.code}` +
      `${exit.signal ? `, ${exit.signal}` : ''}, status ${outputs.status ?? '?'}, ` +
      `${roundsSeen} rounds): too short to judge (more --rounds or a longer --interval)\n--- stdout\n${stdoutTail}\n--- stderr\n${stderrTail}`
  )
  process.exit(1)
}
const third = Math.max(1, Math.floor(window.length / 3))
const firstThird = window.slice(0, third).map((s) => mb(s.rssKB))
const lastThird = window.slice(-third).map((s) => mb(s.rssKB))
const first = mb(window[0].rssKB)
const last = mb(window[window.length - 1].rssKB)
const peak = mb(Math.max(...samples.map((s) => s.rssKB)))
const growth = mean(lastThird) - mean(firstThird)
const flat = growth < LIMIT_MB
const fdsFirst = window[0].fds
const fdsLast = window[window.length - 1].fds
const fdsPeak = Math.max(...window.map((s) => s.fds ?? 0))

log(
  `action exited ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}, status ${outputs.status}, ` +
    `${roundsSeen} rounds in ${fmt((windowEnd ?? since()) / 1000 - (windowStart ?? 0) / 1000)}s; ` +
    `${window.length} samples in the window; open fds first ${fdsFirst}, last ${fdsLast}, peak ${fdsPeak}`
)
if (GC) {
  const heap = window.map((s) => mb(s.heapKB))
  log(
    `V8 heap in use after a full GC: first ${fmt(heap[0])} MB, last ${fmt(heap[heap.length - 1])} MB, ` +
      `peak ${fmt(Math.max(...heap))} MB, growth ${fmt(mean(heap.slice(-third)) - mean(heap.slice(0, third)))} MB`
  )
}
const deployed = exit.code === 0 && outputs.status === 'deployed' && roundsSeen >= ROUNDS
if (!deployed)
  log(`the deployment did not go as planned\n--- stdout\n${stdoutTail}\n--- stderr\n${stderrTail}`)
console.log(
  `soak: ${roundsSeen} rounds, RSS first ${fmt(first)} MB, last ${fmt(last)} MB, ` +
    `peak ${fmt(peak)} MB, growth ${fmt(growth)} MB — ${flat ? 'FLAT' : 'GROWING'}`
)
process.exit(flat && deployed ? 0 : 1)
