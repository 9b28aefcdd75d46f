// A closing line for CI: `N passed, N failed` (and `, N skipped` when some were), alone on its
// line after Jest's own summary (on stderr, where Jest writes it, so it closes the output).
import { writeSync } from 'node:fs'

class CountReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    const line = `${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`
    // Jest prints its summary after every reporter is done: the line goes out as the process
    // ends, so it is the last one
    process.once('exit', () => writeSync(2, line))
  }
}
export default CountReporter
