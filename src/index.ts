import { actionsCore as core, prepareCommandFiles, writeJobSummary } from './actions-core.js'
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

prepareCommandFiles(process.env)

try {
  await run({ core, env: process.env, signal: cancel.signal, writeSummary: writeJobSummary })
} catch (e) {
  core.setFailed(`Red Button failed unexpectedly: ${(e as Error).message}`)
}
