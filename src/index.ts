import { actionsCore as core, writeJobSummary } from './actions-core.js'
import { clockFromEnv } from './clock.js'
import { run } from './main.js'

// The runner cancels with SIGINT, then SIGTERM 7.5 s later: both abort the run so that it
// can stop the running command, roll back and leave a final status.
const cancel = new AbortController()
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (!cancel.signal.aborted) core.warning(`Received ${sig}: cancelling the deployment`)
    cancel.abort()
  })
}

const { clock, shifted } = clockFromEnv(process.env)
if (shifted) core.warning(`RED_BUTTON_NOW: evaluating as if it were ${shifted}`)

try {
  await run({ core, env: process.env, clock, signal: cancel.signal, writeSummary: writeJobSummary })
} catch (e) {
  core.setFailed(`Red Button failed unexpectedly: ${(e as Error).message}`)
}
