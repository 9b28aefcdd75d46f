import {
  debug,
  endGroup,
  error,
  getInput,
  getState,
  info,
  notice,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  startGroup,
  summary,
  warning
} from '@actions/core'
import type { Core } from './core.js'

/**
 * The real @actions/core behind our Core interface. Named imports (not the namespace)
 * let the bundler leave out the parts we never call, such as the OIDC client and its HTTP stack.
 */
export const actionsCore: Core = {
  getInput,
  setOutput,
  setFailed,
  setSecret,
  info,
  debug,
  warning,
  error,
  notice,
  startGroup,
  endGroup,
  saveState,
  getState
}

/** Appends Markdown to the job summary; a no-op where the runner gave no summary file. */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await summary.addRaw(markdown).write()
}
