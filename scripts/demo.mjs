/**
 * npm run demo — Red Button's bundled dist/ deploying a real little service (the Acme shop,
 * examples/demo/) with a real PostgreSQL database (PGlite), everything on 127.0.0.1:
 *
 *   1. v1 → staging      deployed (Red Button itself records the staging deployment)
 *   2. v1 → production   deployed (the staging rule now passes)
 *   3. an order is placed, then broken v2 → production: its migration applies, it passes
 *      its smoke tests, then fails the watch; Red Button rolls the code back to v1 and the
 *      migration back; the order placed before the deploy is still there.
 *   4. v3 → staging, whose migration drops a column: refused before anything runs.
 *
 * Each run's workspace is the repository as a runner checks it out at that version's commit
 * (checkouts/<version>: the demo with the migrations of that version and the ones before),
 * and the GitHub stand-in knows the commits between versions, so `migrations-path` finds each
 * release's own migration files (GET compare) and the SQL lint reads them.
 *
 * A copy of dist/ runs as a runner runs it (main, then post; bench/action-runner.mjs, the
 * runner of the benchmark and the end-to-end tests too): INPUT_* variables, the
 * GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, GITHUB_* variables, with the
 * GitHub API answered by the loopback stand-in of __fixtures__/ and Slack, the webhook and
 * the monitoring URL by its receiver. The demo then checks the outcome and exits 1 when
 * anything is not as it should be. It builds dist/ only when dist/ is missing.
 *
 * The stand-ins are TypeScript and this script is plain Node: bench/compile-fixtures.mjs
 * transpiles __fixtures__/*.ts with TypeScript's transpileModule (types stripped, no
 * type-check: about a second, mostly loading `typescript`, then cached by content) and the
 * demo imports them from there. So it runs the very stand-in the tests use, with no copy
 * to keep in step, no build step to remember, and no full `tsc` program (several seconds)
 * or rollup bundle.
 *
 * RED_BUTTON_NOW fixes the action's clock on a Tuesday morning (honoured outside GitHub
 * Actions: GITHUB_ACTIONS is not passed on), so the demo never meets the Friday freeze.
 * Every process it starts (databases, shops, the action) is stopped at the end, on failure,
 * and on Ctrl-C (which first cancels the run in progress as a runner would: SIGINT).
 *
 * Environment: DEMO_KEEP=1 keeps the whole demo folder (databases, backups) afterwards.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { columnsOf, connect, waitForDatabase } from '../examples/demo/lib/db-client.mjs'
import { environmentPaths, portVariable, DEFAULT_PORTS } from '../examples/demo/lib/config.mjs'
import { latestBackup } from '../examples/demo/lib/backups.mjs'
import { isShop, readPid, stopService } from '../examples/demo/lib/service-control.mjs'
import { compareVersions } from '../examples/demo/lib/migrations.mjs'
import {
  ROOT,
  actionScratch,
  inputEnv,
  newJob,
  runPost,
  runStep,
  runnerEnv
} from '../bench/action-runner.mjs'
import { loadFixtures } from '../bench/compile-fixtures.mjs'

const DEMO = join(ROOT, 'examples', 'demo')

/** Tuesday 2026-11-24 10:00 in Paris: outside every default freeze window. */
const NOW = '2026-11-24T09:00:00Z'
const TIMEZONE = 'Europe/Paris'
const REPOSITORY = 'acme/shop'
const sha = (label) => createHash('sha1').update(`${REPOSITORY} ${label}`).digest('hex')
const SHA = { v1: sha('v1'), v2: sha('v2'), v3: sha('v3') }
/** the glob of every run: the up migrations of the demo (down ones are the rollback's) */
const MIGRATIONS_PATH = 'examples/demo/migrations/*/*.up.sql'
const RELEASE_TITLES = {
  v1: 'Orders list',
  v2: 'Coupons on orders',
  v3: 'Customers in a table of their own'
}
const WEBHOOK_SECRET = 'demo-webhook-secret'
const SLACK_TOKEN = 'xoxb-demo-0000-bot-token'
const SLACK_CHANNEL = 'C0DEMO0001'
/** action.yml's only default, passed by the runner as if the workflow had set it */
const TOKEN = 'ghs_demo0000000000000000000000000000000'
/** hard limit for one run of dist/index.js */
const RUN_TIMEOUT_MS = 50_000
const ENVIRONMENTS = ['staging', 'production']

const started = Date.now()
const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code) => (s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s)
const bold = paint('1')
const dim = paint('2')
const green = paint('32')
const red = paint('31')
const yellow = paint('33')
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`

function banner(text) {
  console.log(`\n${bold(`━━ ${text} ${'━'.repeat(Math.max(3, 86 - text.length))}`)}`)
}
function indent(text, prefix = '    ') {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n')
}

// ---------------------------------------------------------------------------------------
// Clean-up: every process the demo starts is stopped, on success, failure or Ctrl-C.

const cleanups = []
const childPids = new Set()
let demoDir

function killQuietly(pid, signal) {
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}
function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
async function waitGone(pid, ms) {
  const deadline = Date.now() + ms
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  return !alive(pid)
}
/** SIGTERM, then SIGKILL after `graceMs`. */
async function stopPid(pid, graceMs = 3000) {
  if (!alive(pid)) return
  killQuietly(pid, 'SIGTERM')
  if (!(await waitGone(pid, graceMs))) {
    killQuietly(pid, 'SIGKILL')
    await waitGone(pid, 2000)
  }
}
/** pids of the shops that deploy.mjs started (detached, known by their pid files) */
function servicePids() {
  if (!demoDir) return []
  return ENVIRONMENTS.map((env) => readPid(environmentPaths(demoDir, env).servicePidFile)).filter(
    (pid) => pid !== undefined && isShop(pid)
  )
}

let cleaning
function cleanUp() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn()
      } catch (e) {
        console.error(`clean-up: ${e.message}`)
      }
    }
  })()
  return cleaning
}
// Last resort (an exception escaped, or exit was called): kill synchronously.
process.on('exit', () => {
  for (const pid of [...servicePids(), ...childPids]) killQuietly(pid, 'SIGKILL')
})
/** the run of dist/ in progress: a signal cancels it as a runner would, before clean-up */
let current
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
async function cancelCurrentRun() {
  if (!current) return
  const { child, closed } = current
  // the runner's cancellation: SIGINT, SIGTERM 7.5 s later, then it gives up
  killQuietly(child.pid, 'SIGINT')
  if (await Promise.race([closed.then(() => true), sleep(7500).then(() => false)])) return
  killQuietly(child.pid, 'SIGTERM')
  if (await Promise.race([closed.then(() => true), sleep(5000).then(() => false)])) return
  killQuietly(child.pid, 'SIGKILL')
  await closed
}
let interrupted = false
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return
    interrupted = true
    console.error(`\n${sig}: cancelling the run in progress, then stopping the demo`)
    void cancelCurrentRun()
      .then(cleanUp)
      .finally(() => process.exit(130))
  })
}

// ---------------------------------------------------------------------------------------
// Preparation

/**
 * A copy of dist/ and action.yml in a new demo folder, as a runner checks out the action: no
 * node_modules next to it, and a rebuild of dist/ during the demo changes nothing. Builds
 * only when dist/ is missing.
 */
async function prepareAction() {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    console.log('dist/ is missing: npm run build')
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('npm run build failed')
  }
  return actionScratch('red-button-demo-', { log: (msg) => console.log(dim(`  ${msg}`)) })
}

/**
 * The repository as a runner checks it out at `version`'s commit: the demo with the
 * migrations of that version and of the ones before it (later ones do not exist yet there).
 */
function checkout(version) {
  const dir = join(demoDir, 'checkouts', version)
  if (existsSync(dir)) return dir
  const migrations = join(DEMO, 'migrations')
  cpSync(DEMO, join(dir, 'examples', 'demo'), {
    recursive: true,
    filter: (src) => {
      if (!src.startsWith(`${migrations}/`)) return true
      const [folder = ''] = src.slice(migrations.length + 1).split('/')
      return compareVersions(folder, version) <= 0
    }
  })
  return dir
}

function portFree(port) {
  return new Promise((resolvePort) => {
    const server = net.createServer()
    server.once('error', () => resolvePort(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)))
  })
}
function anyFreePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}
/** The fixed ports when they are free, else any free ones. */
async function choosePorts() {
  const ports = {}
  for (const env of ENVIRONMENTS) {
    const fixed = DEFAULT_PORTS[env]
    ports[env] = (await portFree(fixed)) ? fixed : await anyFreePort()
  }
  return ports
}

/** Starts db.mjs for one environment (from a template dump, if given) and waits until it serves. */
async function startDatabase(environment, template) {
  const paths = environmentPaths(demoDir, environment)
  mkdirSync(paths.dir, { recursive: true })
  const log = createWriteStream(paths.dbLog)
  const child = spawn(
    process.execPath,
    [join(DEMO, 'db.mjs'), paths.dir, ...(template ? [template] : [])],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  childPids.add(child.pid)
  const exited = new Promise((r) => child.once('exit', r))
  cleanups.push(async () => {
    await stopPid(child.pid, 5000)
    childPids.delete(child.pid)
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000).unref())])
  })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  let failed
  child.once('exit', (code, signal) => (failed ??= `exited (${signal ?? `code ${code}`})`))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (failed) throw new Error(`the ${environment} database ${failed}: see ${paths.dbLog}`)
    try {
      await waitForDatabase(paths.dbSocket, 200)
      return connect(paths.dbSocket)
    } catch (e) {
      if (Date.now() > deadline) throw e
    }
  }
}

// ---------------------------------------------------------------------------------------
// The runner

/** How a runner shows workflow commands; masks and debug lines are not shown. */
function renderLogLine(line, secrets) {
  for (const s of secrets) if (s) line = line.split(s).join('***')
  if (line.startsWith('::add-mask::') || line.startsWith('::debug::')) return undefined
  if (line === '::endgroup::') return undefined
  let m
  if ((m = /^::group::(.*)$/.exec(line))) return bold(`▸ ${m[1]}`)
  if ((m = /^::error(?: [^:]*)?::(.*)$/.exec(line))) return red(`Error: ${m[1]}`)
  if ((m = /^::warning(?: [^:]*)?::(.*)$/.exec(line))) return yellow(`Warning: ${m[1]}`)
  if ((m = /^::notice(?: [^:]*)?::(.*)$/.exec(line))) return `Notice: ${m[1]}`
  return line
}

/**
 * One step of the action (index.js for main, post.js for post), its log shown as a runner
 * shows it and appended to the job's log file.
 */
async function runActionStep(entry, job, env, secrets, cwd) {
  const log = createWriteStream(job.log, { flags: 'a' })
  let pid
  const opts = {
    actionDir,
    cwd,
    timeoutMs: RUN_TIMEOUT_MS,
    onTimeout: () =>
      console.error(
        red(`  dist/${entry} did not finish within ${RUN_TIMEOUT_MS / 1000}s: killing it`)
      ),
    onSpawn: (child) => {
      pid = child.pid
      childPids.add(pid)
      current = { child, closed: new Promise((r) => child.once('close', r)) }
    },
    onLine: (line) => {
      log.write(`${line}\n`)
      const shown = renderLogLine(line, secrets)
      if (shown !== undefined) console.log(`  ${dim('│')} ${shown}`)
    }
  }
  try {
    return await (entry === 'post.js' ? runPost(job, env, opts) : runStep(entry, job, env, opts))
  } finally {
    childPids.delete(pid)
    current = undefined
    log.end()
  }
}

const runs = []
let runNumber = 0
/** the copy of the action that the runs use */
let actionDir

/** One workflow job running the action: main, then post, as a runner does. */
async function runAction({ title, inputs, sha: commit, standIn, printRecord = false }) {
  if (interrupted) throw new Error('interrupted')
  runNumber += 1
  const runId = 7000 + runNumber
  standIn.api.addRun({ id: runId, check_suite_id: 9000 + runNumber, head_sha: commit })
  const dir = join(demoDir, 'runs', `${runNumber}-${inputs.version}-${inputs.environment}`)
  const workspace = checkout(inputs.version)
  const job = { ...newJob({ dir, workspace }), log: join(dir, 'log.txt') }

  const env = {
    ...runnerEnv(job, {
      apiUrl: standIn.api.url,
      sha: commit,
      runId,
      eventName: 'workflow_dispatch'
    }),
    LANG: 'C.UTF-8',
    // what the workflow gives the job: where the demo lives, the ports of the shops
    DEMO_DIR: demoDir,
    ...Object.fromEntries(ENVIRONMENTS.map((e) => [portVariable(e), String(standIn.ports[e])])),
    // a fixed Tuesday morning: honoured because this is not GitHub Actions
    RED_BUTTON_NOW: NOW,
    CI: 'true',
    ...inputEnv(inputs, TOKEN)
  }
  const secrets = [
    TOKEN,
    inputs['slack-webhook'],
    inputs['slack-token'],
    inputs['webhook-url'],
    inputs['webhook-secret']
  ]

  banner(`Run ${runNumber}: ${title}`)
  printInputs(inputs)
  console.log(dim(`  dist/index.js  (${elapsed()} since start)`))
  const receivedBefore = standIn.receiver.requests.length
  const slackBefore = standIn.slack.topLevel(SLACK_CHANNEL).length
  const main = await runActionStep('index.js', job, env, secrets, workspace)
  console.log(dim('  dist/post.js'))
  const post = await runActionStep('post.js', job, env, secrets, workspace)

  const { outputs } = post
  let record = {}
  try {
    record = yaml.load(outputs.record ?? '')?.deployment ?? {}
  } catch (e) {
    console.error(red(`  the record output is not YAML: ${e.message}`))
  }
  const result = {
    title,
    inputs,
    code: main.code,
    postCode: post.code,
    outputs,
    record,
    summaryFile: job.summaryFile,
    notifications: standIn.receiver.requests.slice(receivedBefore)
  }
  runs.push(result)

  const status = outputs.status ?? '(none)'
  const shade = ['deployed', 'planned'].includes(status)
    ? green
    : status === 'rolled-back'
      ? yellow
      : red
  console.log(
    `\n  ${bold('status')}: ${shade(status)}   decision: ${outputs.decision ?? '-'}   ` +
      `exit code: ${main.code}${post.code ? `   post exit code: ${post.code}` : ''}`
  )
  if (outputs['previous-version']) console.log(`  previous-version: ${outputs['previous-version']}`)
  if (outputs['deployment-id']) console.log(`  deployment-id: ${outputs['deployment-id']}`)
  // the whole record once (the run that rolls back shows the most); the others by path
  if (printRecord) {
    console.log(`  ${bold('record')} (${outputs['record-file'] ?? 'no record file'}):`)
    console.log(indent(outputs.record ?? '(no record output)', '    '))
  } else console.log(`  ${bold('record')}: ${outputs['record-file'] ?? 'no record file'}`)
  const mine = result.notifications.filter((r) => !r.path.startsWith('/monitoring'))
  if (mine.length > 0) {
    console.log(`  ${bold('notifications received')}:`)
    for (const r of mine) console.log(`    ${describeNotification(r, standIn)}`)
  }
  result.slack = printSlackMessages(standIn.slack.topLevel(SLACK_CHANNEL).slice(slackBefore))
  console.log(`  ${bold('job summary')}: ${job.summaryFile}`)
  return result
}

/** The release's one Slack message (bot-token mode) as it changed, then its thread. */
function printSlackMessages(messages) {
  for (const m of messages) {
    console.log(`  ${bold('Slack message')} (one, edited in place; its successive states):`)
    for (const text of [...m.edits, m.text]) console.log(`    ${text.split('\n')[0]}`)
    for (const r of m.replies) console.log(`      ↳ ${r.text}`)
  }
  return messages
}

function describeNotification(request, standIn) {
  const body = request.json ?? {}
  if (request.path.startsWith('/slack')) return `Slack: ${JSON.stringify(body.text ?? '')}`
  if (request.path.startsWith('/hooks')) {
    const signed = standIn.hasValidSignature(request, WEBHOOK_SECRET)
    const d = body.deployment ?? body
    return `webhook (${signed ? 'valid signature' : 'BAD SIGNATURE'}): record with status ${d.status ?? '?'}`
  }
  return `${request.method} ${request.path}`
}

// ---------------------------------------------------------------------------------------
// The story

function baseInputs(standIn, environment, version) {
  const url = `http://127.0.0.1:${standIn.ports[environment]}`
  const smoke = [
    {
      name: 'Homepage shows the shop',
      url: `${url}/`,
      status: 200,
      'max-ms': 2000,
      contains: 'Welcome to the Acme shop'
    },
    { name: 'Health endpoint is green', url: `${url}/health`, status: 200 },
    { name: 'No order lost', run: 'node examples/demo/smoke-orders.mjs' }
  ]
  return {
    environment,
    version,
    timezone: TIMEZONE,
    'migrate-check-command': 'node examples/demo/migrate-check.mjs',
    'backup-command': 'node examples/demo/backup.mjs',
    'migrate-command': 'node examples/demo/migrate.mjs',
    'deploy-command': 'node examples/demo/deploy.mjs',
    'rollback-command': 'node examples/demo/rollback.mjs',
    'migrate-rollback-command': 'node examples/demo/migrate-rollback.mjs',
    'migrations-path': MIGRATIONS_PATH,
    'smoke-tests': yaml.dump(smoke, { lineWidth: -1 }),
    'monitor-duration': '1s',
    'monitor-interval': '1s',
    'command-timeout': '1m',
    'checks-timeout': '10s',
    'monitoring-url': `${standIn.receiver.url}/monitoring/up`,
    'slack-webhook': `${standIn.receiver.url}/slack/T0DEMO/B0DEMO/demo`,
    'slack-token': SLACK_TOKEN,
    'slack-channel': SLACK_CHANNEL,
    'slack-api-url': standIn.slack.url,
    'webhook-url': `${standIn.receiver.url}/hooks/red-button`,
    'webhook-secret': WEBHOOK_SECRET,
    // production: each release comes from a reviewed pull request, and not into an incident
    ...(environment === 'production' && {
      'required-approvals': '1',
      'alertmanager-url': standIn.alertmanager.url,
      'alert-filter': 'severity="critical", service="shop"'
    })
  }
}

let firstInputs
/** The inputs as a workflow would give them: all of them once, then what changed. */
function printInputs(inputs) {
  const changed = firstInputs
    ? Object.entries(inputs).filter(([k, v]) => firstInputs[k] !== v)
    : Object.entries(inputs)
  console.log(`  ${bold('inputs')}${firstInputs ? ' (as in run 1, but)' : ''}:`)
  firstInputs ??= inputs
  for (const [k, v] of changed) {
    const shown = ['slack-webhook', 'slack-token', 'webhook-url', 'webhook-secret'].includes(k)
      ? '***'
      : v
    if (shown.includes('\n')) console.log(`    ${k}: |\n${indent(shown, '      ')}`)
    else console.log(`    ${k}: ${shown}`)
  }
}

const checks = []
function check(ok, what, detail = '') {
  checks.push({ ok, what })
  console.log(`  ${ok ? green('✔') : red('✘')} ${what}${detail ? dim(`  (${detail})`) : ''}`)
  return ok
}

async function getJson(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
    return { status: res.status, body: await res.json().catch(() => undefined) }
  } catch (e) {
    return { status: 0, error: e.message }
  }
}

function latestDeploymentStatus(api, commit, environment) {
  const d = api.state.deployments
    .filter((x) => x.sha === commit && x.environment === environment)
    .at(-1)
  return d?.statuses.at(-1)?.state
}

async function story(standIn, databases) {
  const { api, receiver } = standIn
  const prodUrl = `http://127.0.0.1:${standIn.ports.production}`

  // 1. v1 to staging
  let inputs = baseInputs(standIn, 'staging', 'v1')
  const r1 = await runAction({ title: 'v1 → staging', inputs, sha: SHA.v1, standIn })

  check(
    r1.outputs.status === 'deployed' && r1.code === 0,
    'v1 deployed to staging',
    `exit ${r1.code}`
  )
  check(
    latestDeploymentStatus(api, SHA.v1, 'staging') === 'success',
    'the GitHub stand-in holds a successful staging deployment of v1, posted by the action'
  )

  // 2. v1 to production
  const prod = await databases.production
  inputs = baseInputs(standIn, 'production', 'v1')
  const r2 = await runAction({ title: 'v1 → production', inputs, sha: SHA.v1, standIn })
  check(
    r2.outputs.status === 'deployed' && r2.code === 0,
    'v1 deployed to production',
    `exit ${r2.code}`
  )
  const itemOf = (r, id) => (r.record.checklist ?? []).find((i) => i.id === id)
  const stagingItem = itemOf(r2, 'staging')
  check(stagingItem?.status === 'pass', 'the staging rule passed', stagingItem?.detail)
  const reviewItem = itemOf(r2, 'review')
  check(reviewItem?.status === 'pass', 'its pull request was approved', reviewItem?.detail)
  const incidentsItem = itemOf(r2, 'incidents')
  check(incidentsItem?.status === 'pass', 'no alert was firing', incidentsItem?.detail)
  const v1 = await getJson(`${prodUrl}/version`)
  check(v1.body?.version === 'v1', 'production serves v1', `GET /version → ${v1.status}`)

  // 3. an order before the deploy, then broken v2
  banner('A customer places an order on production (v1)')
  const order = { customer: 'Chloé Martin', item: 'Espresso machine', total_cents: 24900 }
  const placed = await fetch(`${prodUrl}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(order),
    signal: AbortSignal.timeout(5000)
  })
  const placedBody = await placed.json().catch(() => ({}))
  check(
    placed.status === 201,
    `order #${placedBody.id} placed`,
    `POST /api/orders → ${placed.status}`
  )
  const before = await prod.query('SELECT id, customer, item, total_cents FROM orders ORDER BY id')
  console.log(`  orders before the deploy: ${before.length}`)

  banner('v2 has passed staging (seeded in the stand-in, to keep the demo short)')
  standIn.seedStagingSuccess(api, SHA.v2, 'v2')
  console.log(`  deployment of ${SHA.v2.slice(0, 7)} (v2) to staging, latest status success`)

  inputs = baseInputs(standIn, 'production', 'v2')
  const r3 = await runAction({
    title: 'broken v2 → production',
    inputs,
    sha: SHA.v2,
    standIn,
    printRecord: true
  })

  banner('After the rollback')
  check(r3.outputs.status === 'rolled-back', 'v2 was rolled back', `status ${r3.outputs.status}`)
  check(r3.code === 1, 'the step failed, as it must for rolled-back', `exit ${r3.code}`)
  const [message, ...more] = r3.slack ?? []
  check(
    message !== undefined &&
      more.length === 0 &&
      message.text.includes('rolled back') &&
      message.replies.length === r3.record.steps?.filter((st) => st.status !== 'skipped').length,
    'Slack: one message, edited to "rolled back", one reply in its thread per step that ran',
    `${(r3.slack ?? []).length} message(s), ${message?.edits.length ?? 0} edits, ${message?.replies.length ?? 0} replies`
  )
  check(r3.outputs['previous-version'] === 'v1', 'previous-version is v1')
  const steps = Object.fromEntries((r3.record.steps ?? []).map((s) => [s.name, s.status]))
  console.log(
    `  steps: ${(r3.record.steps ?? []).map((s) => `${s.name} ${s.status}`).join(', ') || '(none)'}`
  )
  const watched = r3.record.monitor?.results ?? []
  // the check that answered wrong (others of its round may have been cut short)
  const failedRound =
    watched.find((c) => !c.ok && c.latency_ms !== undefined) ?? watched.find((c) => !c.ok)
  check(
    steps.smoke === 'pass' && steps.monitor === 'fail',
    'it passed its smoke tests, then failed the watch',
    failedRound ? `${failedRound.name}: ${failedRound.detail}` : `monitor ${steps.monitor}`
  )
  check(
    steps.rollback === 'pass' && steps['migrate-rollback'] === 'pass',
    'rollback then migrate-rollback ran and passed'
  )
  const ghState = latestDeploymentStatus(api, SHA.v2, 'production')
  check(['failure', 'error'].includes(ghState), 'GitHub deployment of v2 ends failed', ghState)
  const backup = latestBackup(environmentPaths(demoDir, 'production').backupsDir)
  check(backup?.takenFor === 'v2', 'a backup was taken before migrating v2', backup?.file)
  const again = await getJson(`${prodUrl}/health`)
  check(
    again.status === 200 && again.body?.version === 'v1',
    'production serves v1 again and is healthy',
    `GET /health → ${again.status} ${JSON.stringify(again.body ?? again.error)}`
  )
  const columns = await columnsOf(prod, 'orders')
  check(
    !columns.includes('coupon'),
    'the v2 migration is reverted: no orders.coupon',
    columns.join(', ')
  )
  const applied = (await prod.query('SELECT id FROM schema_migrations ORDER BY id')).map(
    (r) => r.id
  )
  check(
    applied.length === 1 && applied[0] === 'v1/001_create_orders',
    'schema_migrations is back at v1',
    applied.join(', ')
  )
  const after = await prod.query('SELECT id, customer, item, total_cents FROM orders ORDER BY id')
  const kept = before.every((b) => after.some((a) => JSON.stringify(a) === JSON.stringify(b)))
  check(
    kept && after.length === before.length,
    'every order written before the deploy is still there',
    `${after.length} orders`
  )
  const chloe = after.find((o) => o.customer === order.customer)
  check(
    Boolean(chloe),
    `${order.customer}'s order is there`,
    chloe ? `#${chloe.id} ${chloe.item}` : 'missing'
  )
  // 4. v3 to staging: its migration drops a column, and the lint refuses it before anything runs
  const stagingDb = await databases.staging
  const stagingBefore = await columnsOf(stagingDb, 'orders')
  const r4 = await runAction({
    title: 'v3 (drops a column) → staging',
    inputs: baseInputs(standIn, 'staging', 'v3'),
    sha: SHA.v3,
    standIn
  })
  banner('After the refusal')
  const migrationsItem = itemOf(r4, 'migrations')
  check(
    r4.outputs.status === 'aborted' &&
      migrationsItem?.status === 'fail' &&
      /001_customers\.up\.sql:\d+ drop-column/.test(migrationsItem.detail),
    'v3 was refused by the SQL lint, naming file, line and rule',
    migrationsItem?.detail.split(';')[0]
  )
  const stagingAfter = await columnsOf(stagingDb, 'orders')
  check(
    (r4.record.steps ?? []).length === 0 &&
      stagingAfter.join() === stagingBefore.join() &&
      latestDeploymentStatus(api, SHA.v3, 'staging') === undefined,
    'nothing ran: no step, no deployment, staging still has orders.customer',
    stagingAfter.join(', ')
  )
  // staging runs v2 (it passed there): what v3 brings is its own pull request and migration
  const pulls = (r4.record.changes?.pulls ?? []).map((p) => `#${p.number}`).join(', ')
  check(
    pulls === '#43' &&
      (r4.record.migrations ?? []).join() === 'examples/demo/migrations/v3/001_customers.up.sql',
    'its record lists what would have gone out: pull requests and migration files',
    `${pulls}; ${(r4.record.migrations ?? []).join(', ')}`
  )

  const webhooks = receiver.requests.filter((r) => r.path.startsWith('/hooks'))
  check(
    webhooks.length > 0 && webhooks.every((r) => standIn.hasValidSignature(r, WEBHOOK_SECRET)),
    'every webhook delivery carries a valid signature',
    `${webhooks.length} deliveries`
  )
}

async function main() {
  const prepared = await prepareAction()
  demoDir = prepared.scratch
  actionDir = prepared.actionDir
  banner('Red Button demo')
  console.log(`  demo folder: ${demoDir}`)
  console.log(`  clock: ${NOW} (Tuesday 10:00 in ${TIMEZONE}) via RED_BUTTON_NOW`)

  // The databases start first and in parallel (creating one takes seconds of CPU); only
  // staging is waited for before run 1, production comes up meanwhile.
  const ports = await choosePorts()
  // staging first, alone on the CPU (creating one takes seconds of it); production is made
  // while run 1 is mostly waiting (its watch window)
  const staging = startDatabase('staging')
  const databases = {
    staging,
    // production starts as a copy of the new staging database, not from initdb again
    production: staging.then(async (db) => {
      const template = join(demoDir, 'new-database.tar.gz')
      writeFileSync(template, await db.dump())
      return startDatabase('production', template)
    })
  }
  for (const p of Object.values(databases)) p.catch(() => undefined) // awaited later
  // the shops are stopped before their databases
  cleanups.push(async () => {
    for (const env of ENVIRONMENTS) {
      const pid = await stopService(environmentPaths(demoDir, env))
      if (pid) console.log(dim(`  stopped the ${env} shop (pid ${pid})`))
    }
  })

  const fixtures = await loadFixtures(
    'github-api',
    'webhook-receiver',
    'start-stand-ins',
    'alertmanager',
    'slack-api'
  )
  // the stand-in's clock runs with the action's: from the same fixed Tuesday morning
  const offset = Date.parse(NOW) - Date.now()
  const api = await fixtures.startGitHubApi({ clock: () => new Date(Date.now() + offset) })
  cleanups.push(() => api.close())
  const receiver = await fixtures.startReceiver()
  cleanups.push(() => receiver.close())
  for (const commit of Object.values(SHA)) fixtures.seedGreenRepo(api, commit)
  // each version is the squash of a pull request by alice, approved by bob, that adds the
  // version's migrations: the history GET compare reads
  for (const [n, [version, commit]] of Object.entries(SHA).entries()) {
    const number = 41 + n
    const title = RELEASE_TITLES[version]
    api.addPull(commit, {
      number,
      title,
      head_ref: `release/${version}`,
      state: 'merged',
      user: 'alice'
    })
    api.addReview(number, 'bob', 'APPROVED')
    const migrationFiles = readdirSync(join(DEMO, 'migrations', version)).map((f) => ({
      filename: `examples/demo/migrations/${version}/${f}`,
      status: 'added'
    }))
    api.addCommit({
      sha: commit,
      message: `${title} (#${number})`,
      author: 'alice',
      files: [...migrationFiles, { filename: 'examples/demo/lib/releases.mjs', status: 'modified' }]
    })
  }
  const alertmanager = await fixtures.startAlertmanager()
  cleanups.push(() => alertmanager.close())
  const slack = await fixtures.startSlackApi({ token: SLACK_TOKEN, channels: [SLACK_CHANNEL] })
  cleanups.push(() => slack.close())
  const standIn = {
    api,
    receiver,
    alertmanager,
    slack,
    ports,
    seedStagingSuccess: fixtures.seedStagingSuccess,
    hasValidSignature: fixtures.hasValidSignature
  }
  console.log(
    `  GitHub API stand-in: ${api.url} (${REPOSITORY}, v1 = ${SHA.v1.slice(0, 7)}, ` +
      `v2 = ${SHA.v2.slice(0, 7)}, checks green; stand-in transpiled at ${elapsed()})`
  )
  console.log(`  notifications and monitoring stand-in: ${receiver.url}`)
  console.log(`  Alertmanager stand-in: ${alertmanager.url} (no alert firing)`)
  console.log(`  Slack Web API stand-in: ${slack.url} (channel ${SLACK_CHANNEL})`)
  for (const env of ENVIRONMENTS) {
    console.log(
      `  ${env}: PostgreSQL (PGlite) in ${environmentPaths(demoDir, env).dataDir}, ` +
        `shop on http://127.0.0.1:${ports[env]}`
    )
  }
  // creating a PGlite database takes seconds of CPU: say so while it happens
  console.log('  starting the staging database (PGlite; production follows) ...')
  const ticker = setInterval(
    () => console.log(dim(`  ... still starting the databases (${elapsed()})`)),
    3000
  )
  try {
    await databases.staging
  } finally {
    clearInterval(ticker)
  }
  console.log(dim(`  staging database ready at ${elapsed()}`))
  return story(standIn, databases)
}

let failure
try {
  await main()
} catch (e) {
  failure = e
  console.error(red(`\ndemo failed: ${e.stack ?? e.message}`))
}
await cleanUp()

const failed = checks.filter((c) => !c.ok)
banner('Result')
for (const r of runs) {
  console.log(
    `  ${r.title.padEnd(30)} ${String(r.outputs.status).padEnd(12)} summary: ${r.summaryFile}`
  )
}
const keep = Boolean(failure) || failed.length > 0 || process.env.DEMO_KEEP === '1'
if (demoDir && !keep) {
  for (const env of ENVIRONMENTS) {
    const p = environmentPaths(demoDir, env)
    rmSync(p.dataDir, { recursive: true, force: true })
    rmSync(p.backupsDir, { recursive: true, force: true })
  }
  for (const d of ['action']) rmSync(join(demoDir, d), { recursive: true, force: true })
  console.log(`  records, summaries and logs kept in ${demoDir} (databases removed)`)
} else if (demoDir) {
  console.log(`  everything kept in ${demoDir}`)
}
console.log(`  ${checks.length - failed.length} of ${checks.length} checks passed in ${elapsed()}`)
process.exitCode = failure || failed.length > 0 ? 1 : 0
