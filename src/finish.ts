import type { Clock } from './clock.js'
import type { Core } from './core.js'
import { writeRecordFile } from './record/file.js'
import type { RunState } from './record/state.js'
import type { RunStatus } from './record/types.js'
import { renderSummary } from './report/summary.js'
import { failedItemsLine } from './report/why.js'
import { formatInZone } from './schedule/windows.js'

/** What a step (main or post) is given to work with: the runner's seams. */
export interface MainDeps {
  core: Core
  env: Record<string, string | undefined>
  clock: Clock
  /** appends Markdown to the job summary */
  writeSummary(markdown: string): Promise<void>
  /** aborted when the runner cancels the job (SIGINT/SIGTERM) */
  signal?: AbortSignal
  /** the runner's operating system; `process.platform` unless a test says otherwise */
  platform?: NodeJS.Platform
}

const SUCCESS: RunStatus[] = ['deployed', 'planned']

/** Writes the outputs, the record file and the summary: done once, at the very end. */
export async function finish(state: RunState, deps: MainDeps): Promise<void> {
  const { core } = deps
  // over now: a process that never reached a final state ends rollback-failed (what
  // production runs is unknown), as the record's owner derives it
  state.run.ended(formatInZone(deps.clock.now(), state.settings.timeZone))
  const d = state.record
  const yamlText = writeRecordFile(state, core)
  core.setOutput('status', d.status)
  core.setOutput('decision', d.decision)
  core.setOutput('record', yamlText)
  core.setOutput('record-file', state.recordFile)
  core.setOutput(
    'next-window',
    d.next_window && (d.status === 'postponed' || d.dry_run) ? d.next_window : ''
  )
  core.setOutput('deployment-id', d.deployment_id !== undefined ? String(d.deployment_id) : '')
  core.setOutput('previous-version', d.previous_version)
  try {
    await deps.writeSummary(renderSummary(d, state.settings.language))
  } catch (e) {
    core.warning(`Could not write the job summary: ${(e as Error).message}`)
  }
  core.info(`Record written to ${state.recordFile}`)
  if (!SUCCESS.includes(d.status as RunStatus)) {
    const why = d.error ?? failedItemsLine(d.checklist)
    core.setFailed(`Red Button: ${d.status}${why ? ` — ${why}` : ''}`)
  }
}
