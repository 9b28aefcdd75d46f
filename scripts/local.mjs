// `npm run local -- --scene friday`: Red Button tried on this machine, offline. Starts the
// loopback stand-ins (GitHub API, a sample service, a webhook receiver that plays Slack, a Slack
// Web API stand-in for the one message of bot-token mode), runs
// the bundled action (dist/) against them as a runner would — main, then post — and prints
// the outputs and where the summary, the record and the log are. Exits with the step's code.
// `--help` lists the scenes and options.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  inputEnv,
  newJob,
  prepareScript,
  runPost,
  runStep,
  runnerEnv
} from '../bench/action-runner.mjs'

const ZONE = 'Europe/Paris'
// Each scene's clock; `what` says what is released, the day comes from the clock itself.
const SCENES = {
  green: {
    now: '2026-11-24T10:00:00+01:00',
    what: 'a green, reviewed commit released to production',
    ends: 'deployed'
  },
  friday: {
    now: '2026-11-27T15:00:00+01:00',
    what: 'the same release, inside the Friday-afternoon freeze',
    ends: 'postponed until Monday'
  },
  'failed-ci': {
    now: '2026-11-24T10:00:00+01:00',
    what: 'a commit whose e2e check run failed',
    ends: 'aborted before anything runs'
  },
  rollback: {
    now: '2026-11-24T10:00:00+01:00',
    what: 'a release that breaks the service',
    ends: 'the smoke test fails: rolled back'
  },
  p1: {
    now: '2026-11-27T19:30:00+01:00',
    what: "a maintainer's P1 hotfix (with its reason) inside the Friday-evening freeze",
    ends: 'deployed: P1 lifts the time rules'
  },
  queue: {
    now: '2026-11-27T15:00:00+01:00',
    what: 'postponed on Friday, then the queue of postponed releases as a resume step sees it on Monday 09:10',
    ends: 'postponed, then due: its job re-run'
  },
  holiday: {
    now: '2027-03-29T10:00:00+02:00',
    what: 'a release with the public holidays of France frozen (holidays: FR)',
    ends: 'on Easter Monday, postponed until Tuesday'
  },
  bake: {
    now: '2026-11-24T10:00:00+01:00',
    what: 'a release whose staging deployment succeeded 20 min ago, with bake-time 30m',
    ends: 'postponed until the bake completes, 10 min later'
  }
}
// the queue scene's resume step runs 9 h 10 min after the window opens (Monday 09:10 for a
// Friday release), or 10 minutes after the release when it was not postponed
const RESUME_AFTER_MS = (9 * 60 + 10) * 60_000
/** `iso` + `ms`, written with `iso`'s own offset (no DST change within a morning) */
const later = (iso, ms) => {
  const offset = /([+-]\d{2}):(\d{2})$/.exec(iso)
  const offsetMs = offset
    ? Math.sign(+offset[1] || 1) * (Math.abs(+offset[1]) * 60 + +offset[2]) * 60_000
    : 0
  const local = new Date(Date.parse(iso) + ms + offsetMs).toISOString().slice(0, 19)
  return offset ? `${local}${offset[0]}` : `${local}Z`
}
const OPTIONS = [
  ['--scene NAME', 'the scene to play (default green)'],
  ['--now ISO', "the scene's clock, e.g. 2026-11-27T16:00:00+01:00 (or RED_BUTTON_NOW)"],
  ['--help', 'this help; runs nothing']
]
const TOKEN = 'ghs_local-token-0123456789'

const argv = process.argv.slice(2)
if (argv.includes('--help') || argv.includes('-h')) {
  const width = Math.max(
    ...Object.keys(SCENES).map((n) => n.length),
    ...OPTIONS.map(([o]) => o.length)
  )
  console.log('npm run local -- [--scene NAME] [--now ISO]')
  console.log(
    'Red Button run offline against loopback stand-ins (build dist/ first: npm run build).'
  )
  console.log('')
  console.log('Scenes:')
  for (const [name, s] of Object.entries(SCENES))
    console.log(`  ${name.padEnd(width)}  ${s.what}: ${s.ends}`)
  console.log('')
  console.log('Options:')
  for (const [o, what] of OPTIONS) console.log(`  ${o.padEnd(width)}  ${what}`)
  process.exit(0)
}
const flag = (name) => {
  const i = argv.indexOf(name)
  return i === -1 ? undefined : argv[i + 1]
}
const sceneName = flag('--scene') ?? 'green'
const scene = SCENES[sceneName]
if (!scene) {
  console.error(`unknown scene "${sceneName}": one of ${Object.keys(SCENES).join(', ')}`)
  process.exit(2)
}
const now = flag('--now') ?? process.env.RED_BUTTON_NOW ?? scene.now
if (Number.isNaN(Date.parse(now))) {
  console.error(`--now: expected an ISO instant such as 2026-11-27T15:00:00+01:00, got "${now}"`)
  process.exit(2)
}
/** The scene's clock as a reader says it, in the team's zone: "Friday 27 November 2026, 15:00". */
const spoken = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit'
}).format(new Date(now))

const started = Date.now()
const say = (msg) => console.log(msg)
const { fixtures, scratch, actionDir } = await prepareScript(
  'red-button-local-',
  ['github-api', 'sample-service', 'webhook-receiver', 'start-stand-ins', 'slack-api'],
  (msg) => say(`  ${msg}`)
)
const {
  DEFAULT_SHA,
  DEFAULT_RUN_CHECK_SUITE_ID,
  startGitHubApi,
  seedGreenRepo,
  seedStagingSuccess,
  seedDeploymentAgo,
  seedLiveDeployment,
  startSampleService,
  startReceiver,
  startSlackApi
} = fixtures
const SLACK_TOKEN = 'xoxb-local-0000-bot-token'
const SLACK_CHANNEL = 'C0LOCAL001'
/** what production runs before the release (seedLiveDeployment's commit) */
const LIVE_SHA = 'a'.repeat(40)

// The stand-in dates what was there before the run by the scene's clock: v1.1.9 went live
// three days before, staging took v1.2.0 two hours before (20 minutes before in the bake
// scene); what the run writes follows the scene's clock from there.
const sceneStart = Date.parse(now)
const before = (hours) => () => new Date(sceneStart - hours * 3_600_000)
const api = await startGitHubApi({ clock: before(72) })
seedGreenRepo(api, DEFAULT_SHA)
api.addCheckRun(DEFAULT_SHA, {
  name: 'deploy',
  status: 'in_progress',
  check_suite_id: DEFAULT_RUN_CHECK_SUITE_ID
})
seedLiveDeployment(api)
if (sceneName === 'bake')
  seedDeploymentAgo(api, 'staging', now, [
    ['in_progress', 24],
    ['success', 20]
  ])
else {
  api.state.clock = before(2)
  seedStagingSuccess(api, DEFAULT_SHA, 'v1.2.0')
}
api.state.clock = () => new Date(sceneStart + (Date.now() - started))
// the line of history between what is live and the release: the change list reads it
api.addCommit({ sha: LIVE_SHA, message: 'Release v1.1.9', author: 'bob' })
api.addCommit({
  sha: DEFAULT_SHA,
  message: 'Add customer exports (#42)',
  author: 'alice',
  files: [{ filename: 'src/exports.ts', status: 'added', changes: 120 }]
})
api.addPull(DEFAULT_SHA, {
  number: 42,
  title: 'Add customer exports',
  head_ref: 'feature/exports',
  state: 'merged',
  user: 'alice'
})
api.addReview(42, 'bob', 'APPROVED')
if (sceneName === 'failed-ci')
  api.addCheckRun(DEFAULT_SHA, { name: 'e2e', status: 'completed', conclusion: 'failure' })
// alice, who presses the button, maintains the repository: her P1 is honoured
if (sceneName === 'p1')
  api.state.collaborators.alice = { role_name: 'maintain', permission: 'write' }
const service = await startSampleService()
const monitoring = await startSampleService()
const chat = await startReceiver()
// the one message per release of bot-token mode, beside the webhook
const slack = await startSlackApi({ token: SLACK_TOKEN, channels: [SLACK_CHANNEL] })
// the release breaks the service: its smoke test fails (after the retries of its 10 s)
if (sceneName === 'rollback') service.break()
const job = newJob({ dir: join(scratch, 'job') })

say(`Scene "${sceneName}": ${scene.what}, on ${spoken} (${ZONE}; ${now})`)
say(`  GitHub API stand-in ${api.url}, service ${service.url}, Slack stand-in ${chat.url}`)

const inputs = {
  environment: 'production',
  version: 'v1.2.0',
  timezone: 'Europe/Paris',
  'monitoring-url': `${monitoring.url}/health`,
  'deploy-command': 'echo "deploying $DEPLOY_VERSION to $DEPLOY_ENVIRONMENT"',
  'rollback-command': 'echo "redeploying $DEPLOY_PREVIOUS_VERSION"',
  'smoke-tests': `- name: Health\n  url: ${service.url}/health`,
  'monitor-duration': '3s',
  'monitor-interval': '1s',
  'checks-timeout': '20s',
  'slack-webhook': `${chat.url}/services/T0LOCAL/B0LOCAL/local`,
  'slack-token': SLACK_TOKEN,
  'slack-channel': SLACK_CHANNEL,
  'slack-api-url': slack.url,
  ...(sceneName === 'p1'
    ? { urgency: 'P1', reason: 'Checkout fails for every customer paying by card (INC-2291)' }
    : {}),
  ...(sceneName === 'holiday' ? { holidays: 'FR' } : {}),
  ...(sceneName === 'bake' ? { 'bake-time': '30m' } : {})
}
const env = {
  ...runnerEnv(job, { apiUrl: api.url, sha: DEFAULT_SHA }),
  RED_BUTTON_NOW: now,
  ...inputEnv(inputs, TOKEN)
}
let code
try {
  const main = await runStep('index.js', job, env, { actionDir, timeoutMs: 120_000 })
  const post = await runPost(job, env, { actionDir, timeoutMs: 60_000 })
  code = main.code ?? 1
  // the step's log as a runner would show it: main's output, then post's
  const logFile = join(job.dir, 'log.txt')
  writeFileSync(
    logFile,
    [main.stdout, main.stderr, '--- post ---', post.stdout, post.stderr].filter(Boolean).join('\n')
  )
  const o = main.outputs
  say('')
  // a postponed release fails the step with its reason as the error annotation: not an error,
  // it is said as the reason it is
  const annotation = o.status === 'postponed' ? '' : 'error: '
  for (const line of main.stdout
    .split('\n')
    .filter((l) => /^(::error::|Decision:|Red Button:)/.test(l)))
    say(`  ${line.replace(/^::error::/, annotation)}`)
  say('')
  const rows = [
    'status',
    'decision',
    'next-window',
    'previous-version',
    'deployment-id',
    'record-file'
  ]
  const width = Math.max(...rows.map((r) => r.length))
  say('Outputs')
  for (const r of rows) say(`  ${r.padEnd(width)}  ${o[r] || '—'}`)
  say('')
  // the next window as the summary words it: in the team's zone, with the ISO value beside
  const next = /^\*\*Next window:\*\* (.+)$/m.exec(readFileSync(job.summaryFile, 'utf8'))
  if (next) say(`Next window: ${next[1].replace(/\\(.)/g, '$1')}`)
  say(`Summary: ${job.summaryFile}`)
  say(`Record:  ${o['record-file'] || '—'}`)
  say(`Log:     ${logFile}`)
  say(`Slack messages received: ${chat.requests.length}`)
  if (sceneName === 'queue') {
    // the postponed job is over (it failed: postponed); a resume step reads the queue
    const run = api.state.runs.find((r) => String(r.id) === env.GITHUB_RUN_ID)
    if (run) run.status = 'completed'
    const resumeAt = o['next-window']
      ? later(o['next-window'], RESUME_AFTER_MS)
      : later(now, 600_000)
    api.state.clock = () => new Date(resumeAt)
    const resumeJob = newJob({ dir: join(scratch, 'resume-job') })
    const resume = await runStep(
      'index.js',
      resumeJob,
      {
        ...runnerEnv(resumeJob, { apiUrl: api.url, sha: DEFAULT_SHA, runId: '9100' }),
        GITHUB_EVENT_NAME: 'schedule',
        RED_BUTTON_NOW: resumeAt,
        ...inputEnv({ 'resume-postponed': 'true', timezone: 'Europe/Paris' }, TOKEN)
      },
      { actionDir, timeoutMs: 60_000 }
    )
    say('')
    say(`Resume step at ${resumeAt} (resume-postponed: true)`)
    for (const line of readFileSync(resumeJob.summaryFile, 'utf8').split('\n'))
      if (line.startsWith('|')) say(`  ${line.replace(/\\(.)/g, '$1')}`)
    say(`  status   ${resume.outputs.status || '—'}`)
    say(`  resumed  ${resume.outputs.resumed || '—'}`)
    say(`  re-runs requested: ${api.state.reruns.length}`)
  }
  for (const m of slack.topLevel(SLACK_CHANNEL)) {
    say('Slack message (bot token: one, edited in place), its successive states:')
    // each state's headline; an edit that keeps it says what it added instead
    let previous = []
    for (const text of [...m.edits, m.text]) {
      const lines = text.split('\n').filter((l) => l.trim())
      const added = lines.filter((l) => !previous.includes(l))
      if (previous.length === 0 || lines[0] !== previous[0]) say(`  ${lines[0]}`)
      else {
        const what = added.join(' / ') || 'nothing visible'
        say(`  (edited, adds: ${what.length > 160 ? `${what.slice(0, 159)}…` : what})`)
      }
      previous = lines
    }
    for (const r of m.replies) say(`    ↳ ${r.text}`)
  }
  say(
    `Exit code ${code} (${code === 0 ? 'the step passes' : 'the step fails'}) in ${((Date.now() - started) / 1000).toFixed(1)} s`
  )
} finally {
  await Promise.all([api.close(), service.close(), monitoring.close(), chat.close(), slack.close()])
  // the action's copy goes; the job folder (summary, record, outputs) stays to be read
  rmSync(actionDir, { recursive: true, force: true })
}
process.exit(code)
