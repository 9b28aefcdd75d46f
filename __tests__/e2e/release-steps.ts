import { afterEach, beforeEach } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GitHubApi } from '../../__fixtures__/github-api.js'
import { startSampleService, type SampleService } from '../../__fixtures__/sample-service.js'
import { seedLiveDeployment, startReleasableApi } from '../../__fixtures__/start-stand-ins.js'
import { newJob, removeJob, type RunnerJob } from './action-runner.js'

/**
 * The stand-ins of a real release through dist/ (the deploy and configuration tests), started
 * before each test and closed after it: a GitHub API with a releasable commit and v1.1.9 live,
 * the sample service released to, a second one that stands for the monitoring system (it stays
 * up whatever happens to the service), and a job whose workspace holds `step.sh`, the script
 * every command of the test calls. Call it at the top of the file.
 */
export function releaseStandIns(stepScript: string) {
  let api: GitHubApi | undefined
  let service: SampleService | undefined
  let monitoring: SampleService | undefined
  let job: RunnerJob | undefined
  beforeEach(async () => {
    api = await startReleasableApi()
    seedLiveDeployment(api)
    service = await startSampleService()
    monitoring = await startSampleService()
    job = newJob()
    writeFileSync(join(job.workspace, 'step.sh'), stepScript)
  })
  afterEach(async () => {
    await Promise.all([service?.close(), monitoring?.close(), api?.close()])
    if (job) removeJob(job)
  })
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the stand-ins start before each test')
    return x
  }
  return {
    get api(): GitHubApi {
      return started(api)
    },
    get service(): SampleService {
      return started(service)
    },
    get monitoring(): SampleService {
      return started(monitoring)
    },
    get job(): RunnerJob {
      return started(job)
    }
  }
}
