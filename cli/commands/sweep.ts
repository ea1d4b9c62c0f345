/**
 * `swarmscope sweep <input-dir> --out <sweep-dir>`: import, detect, profile, and save a sweep; prints the top
 * clusters by risk and where the files are. Exit 0 clean, 1 when input rows were rejected, 2 bad input.
 */
import type { Command } from 'commander';
import { EXIT, swarmscopeError } from '../../src/core/errors';
import { checkNeo4jUri, NEO4J_TIMEOUT_DEFAULT_SECONDS } from '../../src/neo4j/connect';
import { gdsAlgorithm, gdsEngine } from '../../src/neo4j/gds';
import { RENDERERS } from '../../src/report';
import { runSweep } from '../../src/sweep/run';
import { runSweepWithHistory } from '../../src/sweep/history';
import { lineageOptionsFromFlags } from './diff';
import type { SweepOptions } from '../../src/sweep/types';
import { action } from '../run';
import { printOut } from '../print';
import { integerOption, numberOption, RANGES } from '../options';

export interface SweepFlags {
  out?: string;
  map?: string;
  rejects?: string;
  algorithm?: string;
  resolution?: string;
  seed?: string;
  hubLimit?: string;
  minClusterSize?: string;
  top?: string;
  quiet?: boolean;
  /** --engine neo4j-gds (src/neo4j/gds.ts) with --uri/--user/--database; password from NEO4J_PASSWORD. */
  engine?: string;
  uri?: string;
  user?: string;
  database?: string;
  neo4jTimeout?: string;
  /** --state: weekly history (src/sweep/history, docs/state-dir.md) and its lineage thresholds. */
  state?: string;
  stateWait?: string;
  linkThreshold?: string;
  minOverlap?: string;
  growthRatio?: string;
  growthMin?: string;
  allowOlder?: boolean;
}

/** The detection engine the flags choose: undefined (embedded) or Neo4j GDS. */
function engineFromFlags(flags: SweepFlags): SweepOptions['engine'] {
  if (flags.engine === undefined || flags.engine === 'embedded') return undefined;
  if (flags.engine !== 'neo4j-gds') throw swarmscopeError('BAD_ARGUMENT', `--engine ${flags.engine}: use embedded or neo4j-gds`);
  gdsAlgorithm(flags.algorithm, numberOption('--resolution', flags.resolution, RANGES.resolution));
  if (!flags.uri) throw swarmscopeError('BAD_ARGUMENT', '--engine neo4j-gds needs --uri bolt://host:7687');
  checkNeo4jUri(flags.uri);
  const timeoutSeconds = numberOption('--neo4j-timeout', flags.neo4jTimeout, RANGES.neo4jTimeout);
  const password = process.env.NEO4J_PASSWORD;
  if (!password) throw swarmscopeError('BAD_ARGUMENT', '--engine neo4j-gds: set the Neo4j password in NEO4J_PASSWORD (never on the command line)');
  return gdsEngine({ uri: flags.uri, user: flags.user ?? 'neo4j', password, database: flags.database, timeoutSeconds });
}

/** --top: how many clusters to list, an integer of at least 1 (shared by sweep and report). */
export function topFlag(value: string | undefined): number | undefined {
  return integerOption('--top', value, RANGES.top);
}

/** The SweepOptions that the sweep flags describe (shared with the history engineer's --state wrapper). */
export function sweepOptionsFromFlags(inputDir: string, flags: SweepFlags): SweepOptions {
  if (!flags.out) throw swarmscopeError('BAD_ARGUMENT', 'missing --out <sweep-dir>: where to write the sweep');
  // Checked with every other option, engine or not: a bad value is a bad command line either way.
  numberOption('--neo4j-timeout', flags.neo4jTimeout, RANGES.neo4jTimeout);
  if (flags.algorithm !== undefined && flags.algorithm !== 'leiden' && flags.algorithm !== 'louvain') {
    throw swarmscopeError('BAD_ARGUMENT', `--algorithm ${flags.algorithm}: use leiden or louvain`);
  }
  return {
    inputDir,
    outDir: flags.out,
    mapPath: flags.map,
    rejectsPath: flags.rejects,
    algorithm: flags.algorithm as SweepOptions['algorithm'],
    resolution: numberOption('--resolution', flags.resolution, RANGES.resolution),
    seed: integerOption('--seed', flags.seed, RANGES.seed),
    hubLimit: integerOption('--hub-limit', flags.hubLimit, RANGES.hubLimit),
    minClusterSize: integerOption('--min-cluster-size', flags.minClusterSize, RANGES.minClusterSize),
    progress: !flags.quiet && Boolean(process.stderr.isTTY),
    engine: engineFromFlags(flags),
  };
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description('import an input folder, find clusters, score them and save the sweep (reports, members, world snapshot)')
    .argument('<input-dir>', 'folder with accounts.csv and optionally payment_instruments.csv, ip_addresses.csv, fingerprints.csv, exchanges.csv (.csv or .csv.gz)')
    .option('--out <sweep-dir>', 'where to save the sweep (created; a previous sweep there is replaced whole)')
    .option('--map <file>', 'mapping file that renames columns and files (see docs/data-contract.md)')
    .option('--rejects <file>', 'where to write rejected rows (default: rejects.csv in the sweep dir)')
    .option('--algorithm <name>', 'leiden (default) or louvain')
    .option('--resolution <gamma>', 'modularity resolution γ (default: the detection default)')
    .option('--seed <n>', 'random seed; the same input and seed give the same clusters and ids')
    .option('--hub-limit <n>', 'identifiers linked to more than n accounts are hubs and link nothing (default: derived per kind)')
    .option('--min-cluster-size <n>', 'smallest cluster reported (default: the detection default)')
    .option('--top <n>', 'clusters listed in the terminal table (default 20)')
    .option('--quiet', 'print nothing but errors')
    .option('--engine <name>', 'detection engine: embedded (default) or neo4j-gds (Leiden in Neo4j GDS; password from NEO4J_PASSWORD)')
    .option('--uri <uri>', 'with --engine neo4j-gds: Neo4j URI, e.g. bolt://localhost:7687')
    .option('--user <user>', 'with --engine neo4j-gds: Neo4j user (default neo4j)')
    .option('--database <name>', 'with --engine neo4j-gds: database (default: the server default)')
    .option('--neo4j-timeout <seconds>', `with --engine neo4j-gds: give up connecting (TCP, Bolt handshake, login) after this long (default ${NEO4J_TIMEOUT_DEFAULT_SECONDS})`)
    .option('--state <state-dir>', 'weekly history: keep cluster ids across sweeps, report what changed since the last sweep, apply the case book (docs/state-dir.md)')
    .option('--state-wait <seconds>', 'with --state: wait this long for another sweep to release the state dir (default 0: refuse at once)')
    .option('--link-threshold <share>', 'with --state: shared share of the smaller cluster that makes a continuation (default 0.5)')
    .option('--min-overlap <accounts>', 'with --state: shared accounts needed for a continuation (default 2)')
    .option('--growth-ratio <ratio>', 'with --state: relative size change that counts as grown/shrunk (default 0.1)')
    .option('--growth-min <accounts>', 'with --state: size change below which a cluster is unchanged (default 3)')
    .option('--allow-older', 'with --state: record a sweep whose data ends before the newest committed sweep\'s (refused otherwise: it would move the history backwards)')
    .option('--dormant-sweeps <n>', 'with --state: a cluster that went dormant in the last n sweeps returns under its old id (default 4; 0 = never)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  swarmscope sweep exports/2026-w47 --out sweeps/2026-w47\n' +
        '  swarmscope sweep exports/2026-w47 --out sweeps/2026-w47 --map mapping.json --seed 7 --min-cluster-size 5\n' +
        '  NEO4J_PASSWORD=… swarmscope sweep exports/2026-w47 --out sweeps/2026-w47 --engine neo4j-gds --uri bolt://localhost:7687\n' +
        '  swarmscope sweep exports/2026-w48 --out sweeps/2026-w48 --state state   # stable ids + what changed since last week\n' +
        'Then: swarmscope report sweeps/2026-w47 --cluster C0001\n' +
        'Exit codes: 0 ok, 1 input rows were rejected (see rejects.csv), 2 bad input, 3 internal error.',
    )
    .action(
      action(async (inputDir: string, flags: SweepFlags) => {
        const options = sweepOptionsFromFlags(inputDir, flags);
        const top = topFlag(flags.top);
        const waitSeconds = numberOption('--state-wait', flags.stateWait, RANGES.waitSeconds) ?? 0;
        const result = flags.state
          ? await runSweepWithHistory(runSweep, options, {
              stateDir: flags.state,
              waitSeconds,
              allowOlder: flags.allowOlder === true,
              lineage: lineageOptionsFromFlags(flags),
            })
          : await runSweep(options);
        if (!flags.quiet) printOut(RENDERERS.table({ report: result.report, dir: result.dir, top }));
        return result.rejectedRows > 0 ? EXIT.FINDINGS : EXIT.OK;
      }),
    );
}
