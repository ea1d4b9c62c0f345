/** The tests' CLI runner kills a CLI that does not finish and fails naming it, instead of stalling the run. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureBuilt, runCli } from './support';

beforeAll(() => ensureBuilt(), 300_000);

test('a CLI that outlives its timeout is killed and the test fails naming the command', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-timeout-'));
  try {
    expect(() => runCli(['generate', '--out', path.join(out, 'world'), '--accounts', '200000', '--quiet'], { timeoutMs: 200 })).toThrow(
      /^swarmscope generate --out .* did not finish within 0\.2 s and was killed$/,
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
