/**
 * Prints the plain `N passed, N failed` line CI reads, after jest's own summary. Suites that
 * failed to run at all (a crash in beforeAll, a compile error) count their tests as failed.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    let failed = results.numFailedTests;
    for (const suite of results.testResults) {
      if (suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0)) failed += Math.max(1, suite.testResults.length);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
module.exports = SummaryReporter;
