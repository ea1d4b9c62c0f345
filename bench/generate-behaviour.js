#!/usr/bin/env node
/**
 * Runs the generator on a --behaviour world in one process, for bench/generate-behaviour.sh to time:
 * `generateWorld({ out, accounts, seed, behaviour: true })` from the build (dist/), the JSON summary on stdout.
 * (The library call stands in for `swarmscope generate --behaviour`: same code path, no CLI parsing.)
 *
 *   node bench/generate-behaviour.js OUT [ACCOUNTS] [SEED]
 */
const path = require('path');
const { generateWorld } = require(path.join(__dirname, '..', 'dist', 'src', 'generate'));

const [out, accounts = '1000000', seed = '1'] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: node bench/generate-behaviour.js OUT [ACCOUNTS] [SEED]\n');
  process.exit(2);
}
generateWorld({ out, accounts: Number(accounts), seed: Number(seed), behaviour: true }).then(
  (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
