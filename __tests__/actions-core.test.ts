import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { prepareCommandFiles } from '../src/actions-core.js'

describe('prepareCommandFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'red-button-command-files-'))
  const env = (extra: Record<string, string> = {}) => ({
    GITHUB_OUTPUT: join(dir, 'a', 'output'),
    GITHUB_STATE: join(dir, 'a', 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'b', 'summary.md'),
    ...extra
  })

  it('leaves a runner’s files alone on GitHub Actions', () => {
    expect(prepareCommandFiles(env({ GITHUB_ACTIONS: 'true' }))).toEqual([])
    expect(existsSync(join(dir, 'a'))).toBe(false)
  })

  it('makes them, folders included, in a local run', () => {
    const made = prepareCommandFiles(env())
    expect(made).toHaveLength(3)
    for (const f of made) expect(existsSync(f)).toBe(true)
    // and only once
    expect(prepareCommandFiles(env())).toEqual([])
    rmSync(dir, { recursive: true, force: true })
  })
})
