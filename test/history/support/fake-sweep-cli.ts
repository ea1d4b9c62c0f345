/**
 * A process that runs one fake week against a state dir (argv: state-dir out-dir week.json), for the tests
 * that must kill a sweep mid-write or run two at once. Errors go through the CLI's reporter, so the exit
 * code and the one-line message are the real ones.
 */
import * as fs from 'fs';
import { reportError } from '../../../cli/run';
import { runSweepWithHistory } from '../../../src/sweep/history';
import { fakeRunSweep, type FakeWeek } from './fake-sweep';

async function main(): Promise<void> {
  const [stateDir, outDir, weekFile, waitSeconds] = process.argv.slice(2);
  const week = JSON.parse(fs.readFileSync(weekFile, 'utf8')) as FakeWeek;
  try {
    const holdMs = Number(process.env.FAKE_SWEEP_HOLD_MS ?? 0);
    const run = fakeRunSweep(week);
    const result = await runSweepWithHistory(
      async (options) => {
        if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
        return run(options);
      },
      { inputDir: 'fake', outDir },
      { stateDir, waitSeconds: Number(waitSeconds ?? 0) },
    );
    process.stdout.write(`${JSON.stringify({ committed: result.history.sweep_id, recovered: result.recovered })}\n`);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

void main();
