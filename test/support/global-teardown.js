/** jest globalTeardown: removes the run's temporary directory made by global-setup.js (KEEP_TEST_TMP=1 keeps it). */
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.SWARMSCOPE_TEST_TMPDIR;
  if (!dir || process.env.KEEP_TEST_TMP) return;
  fs.rmSync(dir, { recursive: true, force: true });
};
