// `npm run local -- --scene friday`: Red Button tried on this machine, offline. Starts the
// loopback stand-ins (GitHub API, a sample service, a webhook receiver that plays Slack, a Slack
// Web API stand-in for the one message of bot-token mode), runs
// the bundled action (dist/) against them as a runner would — main, then post — and prints
// the outputs and where the summary and the record are.
//
// Scenes:
//   green      a production release of a green, reviewed commit: deployed
//   friday     the same on Friday 2026-11-27 15:00 in Paris: postponed until Monday
//   failed-ci  a check run of the commit failed: aborted before anything runs
//   rollback   the service breaks right after the deploy: the smoke test fails, rolled back
//   queue      postponed on Friday 15:00 in Paris, then the queue as a resume step sees it on
//              Monday 09:10 (resume-postponed: true): the release is due and its job re-run
// Options: --scene NAME (default green), --now ISO (or RED_BUTTON_NOW).
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  inputEnv,
  newJob,
  prepareScript,
  runPost,
  runStep,
  runnerEnv
} from '../bench/action-runner.mjs'

const SCENES = {
  green: {
    now: '2026-11-24T10:00:00+01:00',
    what: 'a green, reviewed commit on a Tuesday morning'
  },
  friday: { now: '2026-11-27T15:00:00+01:00', what: 'the same, on Friday at 15:00 in Paris' },
  'failed-ci': { now: '2026-11-24T10:00:00+01:00', what: 'a commit whose tests failed' },
  rollback: { now: '2026-11-24T10:00:00+01:00', what: 'a release that breaks the service' },
  queue: {
    now: '2026-11-27T15:00:00+01:00',
    what: 'postponed on Friday, then the queue of postponed releases on Monday 09:10'
  }
}
const RESUME_AT = '2026-11-30T09:10:00+01:00'
const TOKEN = 'ghs_local-token-0123456789'

const argv = process.argv.slice(2)
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

const started = Date.now()
const say = (msg) => console.log(msg)
const { fixtures, scratch, actionDir } = await prepareScript(
  'red-button-local-',
  ['github-api', 'sample-service', 'webhook-receiver', 'start-stand-ins', 'slack-api'],
  (msg) => say(`  ${msg}`)
)
const {
  DEFAULT_SHA,
  startReleasableApi,
  seedLiveDeployment,
  startSampleService,
  startReceiver,
  startSlackApi
} = fixtures
const SLACK_TOKEN = 'xoxb-local-0000-bot-token'
const SLACK_CHANNEL = 'C0LOCAL001'

const api = await startReleasableApi()
seedLiveDeployment(api)
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
const service = await startSampleService()
const monitoring = await startSampleService()
const chat = await startReceiver()
// the one message per release of bot-token mode, beside the webhook
const slack = await startSlackApi({ token: SLACK_TOKEN, channels: [SLACK_CHANNEL] })
// the release breaks the service: its smoke test fails (after the retries of its 10 s)
if (sceneName === 'rollback') service.break()
const job = newJob({ dir: join(scratch, 'job') })

say(`Scene "${sceneName}": ${scene.what} (as if it were ${now})`)
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
  'slack-api-url': slack.url
}
const env = {
  ...runnerEnv(job, { apiUrl: api.url, sha: DEFAULT_SHA }),
  RED_BUTTON_NOW: now,
  ...inputEnv(inputs, TOKEN)
}
let code
try {
  const main = await runStep('index.js', job, env, { actionDir, timeoutMs: 120_000 })
  await runPost(job, env, { actionDir, timeoutMs: 60_000 })
  code = main.code ?? 1
  const o = main.outputs
  say('')
  for (const line of main.stdout
    .split('\n')
    .filter((l) => /^(::error::|Decision:|Red Button:)/.test(l)))
    say(`  ${line.replace(/^::error::/, 'error: ')}`)
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
  say(`Slack messages received: ${chat.requests.length}`)
  if (sceneName === 'queue') {
    // the postponed job is over (it failed: postponed); a resume step reads the queue
    const run = api.state.runs.find((r) => String(r.id) === env.GITHUB_RUN_ID)
    if (run) run.status = 'completed'
    api.state.clock = () => new Date(RESUME_AT)
    const resumeJob = newJob({ dir: join(scratch, 'resume-job') })
    const resume = await runStep(
      'index.js',
      resumeJob,
      {
        ...runnerEnv(resumeJob, { apiUrl: api.url, sha: DEFAULT_SHA, runId: '9100' }),
        GITHUB_EVENT_NAME: 'schedule',
        RED_BUTTON_NOW: RESUME_AT,
        ...inputEnv({ 'resume-postponed': 'true', timezone: 'Europe/Paris' }, TOKEN)
      },
      { actionDir, timeoutMs: 60_000 }
    )
    say('')
    say(`Resume step at ${RESUME_AT} (resume-postponed: true)`)
    for (const line of readFileSync(resumeJob.summaryFile, 'utf8').split('\n'))
      if (line.startsWith('|')) say(`  ${line.replace(/\\(.)/g, '$1')}`)
    say(`  status   ${resume.outputs.status || '—'}`)
    say(`  resumed  ${resume.outputs.resumed || '—'}`)
    say(`  re-runs requested: ${api.state.reruns.length}`)
  }
  for (const m of slack.topLevel(SLACK_CHANNEL)) {
    say('Slack message (bot token: one, edited in place), its successive states:')
    for (const text of [...m.edits, m.text]) say(`  ${text.split('\n')[0]}`)
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
process.exit(sceneName === 'green' ? code : 0)
