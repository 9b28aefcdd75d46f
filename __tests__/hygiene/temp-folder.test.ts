import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error: plain JavaScript, Jest's globalTeardown (scripts/jest-temp-teardown.mjs)
import teardown from '../../scripts/jest-temp-teardown.mjs'

/**
 * The guard that the suite leaves nothing in the temp folder: the teardown fails the run and
 * names what was left, then removes the run's folder either way.
 */
describe('jest-temp-teardown', () => {
  /** What the teardown throws for the run's folder `dir`, if anything. */
  const teardownOf = (dir: string): unknown => {
    const saved = process.env.RED_BUTTON_TESTS_TMPDIR
    process.env.RED_BUTTON_TESTS_TMPDIR = dir
    try {
      ;(teardown as () => void)()
      return undefined
    } catch (e) {
      return e
    } finally {
      process.env.RED_BUTTON_TESTS_TMPDIR = saved
    }
  }

  it('fails naming what a test left, and removes the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-'))
    mkdirSync(join(dir, 'red-button-action-x1'))
    expect((teardownOf(dir) as Error).message).toBe(
      'the tests left 1 entry in the temp folder: red-button-action-x1'
    )
    expect(existsSync(dir)).toBe(false)
  })

  it('passes when the folder is empty, and removes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teardown-'))
    expect(teardownOf(dir)).toBeUndefined()
    expect(existsSync(dir)).toBe(false)
  })
})
