import { actionsCore as core, prepareCommandFiles, writeJobSummary } from './actions-core.js'
import { clockFromEnv } from './clock.js'
import { runPost } from './run/post.js'

prepareCommandFiles(process.env)

try {
  await runPost({
    core,
    env: process.env,
    clock: clockFromEnv(process.env).clock,
    writeSummary: writeJobSummary
  })
} catch (e) {
  core.setFailed(`Red Button post step failed: ${(e as Error).message}`)
}
