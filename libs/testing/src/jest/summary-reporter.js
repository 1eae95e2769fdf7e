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
    const line = `${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
    // jest prints its own summary after custom reporters; CI prints this file last so the line ends the log.
    if (process.env.NWD_TEST_SUMMARY_FILE) require('node:fs').writeFileSync(process.env.NWD_TEST_SUMMARY_FILE, `${line}\n`);
  }
}
module.exports = SummaryReporter;
