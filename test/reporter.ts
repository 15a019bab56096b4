/**
 * mocha's spec reporter, plus a JSON summary written to $HOOKPORT_TEST_REPORT
 * when set. .ci/run reads that file to print its "N passed, N failed" line.
 */
import fs from 'node:fs';
import Mocha from 'mocha';

const { Spec } = Mocha.reporters;

class SpecWithSummary extends Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const file = process.env.HOOKPORT_TEST_REPORT;
    if (!file) return;
    const failures: Array<{ title: string; error: string }> = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error) => {
      failures.push({ title: test.fullTitle(), error: String(error?.message ?? error) });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      fs.writeFileSync(file, JSON.stringify({ stats: runner.stats, failures }, null, 2));
    });
  }
}

export = SpecWithSummary;
