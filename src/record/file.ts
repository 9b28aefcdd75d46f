import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Log } from '../core.js'
import type { RunContext } from '../github/context.js'
import { recordYaml } from './yaml.js'
import type { Settings } from '../settings/schema.js'
import type { DeploymentRecord } from './types.js'

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)
}

/** Where the record is written; the post step finds the same path again. */
export function recordFilePath(
  ctx: RunContext,
  settings: Pick<Settings, 'environment'>,
  version: string,
  startedAt: Date
): string {
  const run =
    ctx.runId !== undefined ? `${ctx.runId}-${ctx.runAttempt ?? 1}` : String(startedAt.getTime())
  return join(
    ctx.tempDir,
    'red-button',
    `${safeName(settings.environment)}-${safeName(version)}-${run}.yml`
  )
}

/** Writes the record so far to the record file; returns its YAML. */
export function writeRecordFile(
  state: { record: Readonly<DeploymentRecord>; recordFile: string },
  log: Pick<Log, 'warning'>
): string {
  const yamlText = recordYaml(state.record)
  try {
    mkdirSync(dirname(state.recordFile), { recursive: true })
    writeFileSync(state.recordFile, yamlText)
  } catch (e) {
    log.warning(`Could not write the record file: ${(e as Error).message}`)
  }
  return yamlText
}
