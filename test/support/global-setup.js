/**
 * jest globalSetup: every test run gets its own temporary directory (TMPDIR, so os.tmpdir() in the tests, their
 * workers and the CLI processes they spawn all point into it), removed by global-teardown.js when the run ends.
 * Tests create many mkdtemp folders (generated worlds, sweeps, state dirs); before this, each run left ~190 MB
 * of them in /tmp.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-test-run-'));
  process.env.SWARMSCOPE_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
