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
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
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

/** The files a runner creates for every step, through which outputs, state and the summary go. */
const COMMAND_FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'] as const

/**
 * Outside GitHub Actions (a local run with `node --env-file=.env dist/index.js`), creates the
 * command files the environment names, as a runner would: @actions/core refuses to write to a
 * file that does not exist. On a runner they exist already and nothing is touched.
 */
export function prepareCommandFiles(env: Record<string, string | undefined>): string[] {
  if (env.GITHUB_ACTIONS === 'true') return []
  const made: string[] = []
  for (const name of COMMAND_FILES) {
    const path = env[name]
    if (!path || existsSync(path)) continue
    mkdirSync(dirname(path), { recursive: true })
    closeSync(openSync(path, 'a'))
    made.push(path)
  }
  return made
}
