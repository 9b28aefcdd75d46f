// Jest's globalSetup: the whole run (tests, their subprocesses, the bundled action they start)
// gets a temp folder of its own through TMPDIR, so that jest-temp-teardown.mjs can tell what a
// test left behind (issue 23: nothing is left in the temp folder). Workers and subprocesses
// inherit the variable; os.tmpdir() reads it.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'red-button-tests-'))
  process.env.RED_BUTTON_TESTS_TMPDIR = dir
  process.env.TMPDIR = dir
}
