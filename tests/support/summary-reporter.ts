/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`, that tools reading
 * CI logs understand whatever the test runner. A skipped test is reported, never hidden:
 * .ci/run fails the run on any.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      // A file whose set-up failed leaves its tests unrun: they count as failed, not skipped.
      const moduleFailed = module.state() === 'failed';
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests++;
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed' || moduleFailed) counts.failed++;
        else counts.skipped++;
      }
      if (moduleFailed && tests === 0) counts.failed++;
    }
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);

  }
}
