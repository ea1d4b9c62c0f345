#!/usr/bin/env node
/**
 * The tactic matrix: for each tactic of the generator's catalogue (and random mixtures), generate worlds with
 * different seeds — each plants one swarm using that tactic, at a size drawn from the seed (20 to 30,000
 * accounts; `tiny` 20–50) among the legitimate look-alikes (families, resellers, enterprise teams, campus,
 * carrier NAT, VPN and residential-proxy users) — and score detection on each with evaluate.js.
 * Each world is a separate pair of processes (generate, then import + detect + score), run `--jobs` at a time.
 *
 *   node bench/tactics/run.js [--accounts 100000] [--seeds 20] [--first-seed 1] [--tactics all|random|random-behaviour|a,b]
 *                             [--jobs 2] [--out bench/tactics/results.jsonl]
 *   node bench/tactics/summarise.js bench/tactics/results.jsonl      # the table, worst case per tactic
 *
 * Build first (npx tsc -p tsconfig.json). One JSON line per world is appended to --out, so a long run can be
 * resumed: worlds already in the file are skipped.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${path.basename(args[0])} exited ${code}: ${stderr.trim().split('\n').pop()}`))));
  });
}

async function main() {
  const { TACTIC_NAMES, BEHAVIOUR_TACTIC_NAMES } = require(path.join(root, 'dist/src/generate/tactics'));
  const accounts = Number(flag('accounts', '100000'));
  const seeds = Number(flag('seeds', '20'));
  const firstSeed = Number(flag('first-seed', '1'));
  const jobs = Number(flag('jobs', '2'));
  const out = path.resolve(flag('out', path.join(__dirname, 'results.jsonl')));
  const chosen = flag('tactics', 'all');
  // 'random-behaviour': random mixtures in --behaviour worlds (templates, clients, minute-level rows), which may
  // draw the behaviour tactics too.
  const tactics = chosen === 'all' ? [...TACTIC_NAMES, ...BEHAVIOUR_TACTIC_NAMES, 'random', 'random-behaviour'] : chosen.split(',');
  const done = new Set();
  if (fs.existsSync(out)) {
    for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line);
      done.add(`${row.tactic}|${row.seed}|${row.accounts}`);
    }
  }
  const queue = [];
  for (const tactic of tactics) {
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      if (!done.has(`${tactic}|${seed}|${accounts}`)) queue.push({ tactic, seed });
    }
  }
  process.stderr.write(`${queue.length} worlds of ${accounts} accounts (${done.size} already in ${out})\n`);
  let finished = 0;
  const worker = async () => {
    for (;;) {
      const job = queue.shift();
      if (!job) return;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-tactic-'));
      const started = Date.now();
      try {
        const randomMix = job.tactic === 'random' || job.tactic === 'random-behaviour';
        const args = [cli, 'generate', '--out', dir, '--accounts', String(accounts), '--seed', String(job.seed), '--tactics', randomMix ? 'random' : job.tactic, '--quiet', '--json'];
        if (randomMix) args.push('--swarms', '3');
        if (job.tactic === 'random-behaviour') args.push('--behaviour');
        await run(process.execPath, args);
        const result = JSON.parse(await run(process.execPath, [path.join(__dirname, 'evaluate.js'), dir]));
        const row = { tactic: job.tactic, seed: job.seed, accounts, seconds: (Date.now() - started) / 1000, ...result };
        delete row.world;
        fs.appendFileSync(out, `${JSON.stringify(row)}\n`);
        finished++;
        const worst = row.swarms.reduce((min, s) => Math.min(min, s.jaccard), 1);
        process.stderr.write(`${finished}/${finished + queue.length} ${job.tactic} seed ${job.seed}: worst Jaccard ${worst}, legit inside ${row.swarms.reduce((n, s) => n + s.legitInside, 0)}, outranked ${row.outranked}\n`);
      } catch (error) {
        process.stderr.write(`${job.tactic} seed ${job.seed}: ${error.message}\n`);
        process.exitCode = 1;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
}

main();
