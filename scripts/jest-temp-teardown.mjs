// Jest's globalTeardown: fails the run when a test left something in the run's temp folder
// (see jest-temp-setup.mjs), naming what was left, then removes the folder.
import { readdirSync, rmSync } from 'node:fs'

export default function teardown() {
  const dir = process.env.RED_BUTTON_TESTS_TMPDIR
  if (!dir) return
  const left = readdirSync(dir)
  rmSync(dir, { recursive: true, force: true })
  if (left.length > 0)
    throw new Error(
      `the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp folder: ${left.join(', ')}`
    )
}
