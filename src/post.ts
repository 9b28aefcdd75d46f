import { actionsCore as core, writeJobSummary } from './actions-core.js'
import { clockFromEnv } from './clock.js'
import { runPost } from './run/post.js'

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
