/** `swarmscope generate`: write a synthetic world (five contract CSVs) and its planted truth. */
import type { Command } from 'commander';
import { TACTIC_CATALOGUE, generateWorld, type GenerateOptions, type GenerateSummary } from '../../src/generate';
import { action } from '../run';
import { printOut } from '../print';
import { terminalText } from '../../src/core/terminal';
import { decimalOption } from '../options';
import { maxOf } from '../../src/core/max';

/** Commander's parser for a knob: the syntax here, the range in src/generate/options.ts (see cli/options.ts). */
function numberFlag(flag: string) {
  return (value: string): number => decimalOption(flag, value);
}

/** [flag, GenerateOptions field, description] for every numeric knob; docs/generator.md explains each. */
const KNOBS: Array<[string, keyof GenerateOptions, string]> = [
  ['--accounts <n>', 'accounts', 'accounts in week 1, all groups together (default 100000)'],
  ['--seed <n>', 'seed', 'random seed; the same seed writes byte-identical files (default 1)'],
  ['--week <n>', 'week', '1, or 2 = one week later: big swarm +20%, a new 1,200-account swarm, 1% new sign-ups (default 1)'],
  ['--swarm-size <n>', 'swarmSize', 'big residential-proxy swarm (default 2.5% of accounts, at most 25000; up to 25% allowed)'],
  ['--swarm-cards <n>', 'swarmCards', 'prepaid/virtual cards shared in the big swarm (default 1800 x size/25000)'],
  ['--swarm-unique-card-share <x>', 'swarmUniqueCardShare', 'share of big-swarm accounts with a card of their own (default 0.25)'],
  ['--swarm-isolated-share <x>', 'swarmIsolatedShare', 'share of big-swarm accounts sharing nothing but hubs: invisible to the graph (default 0)'],
  ['--swarm-daily-exchanges <x>', 'swarmDailyExchanges', 'exchanges per big-swarm account-day (default 25.6 = 28.8M / 25,000 / 45)'],
  ['--swarm-exits <n>', 'swarmExits', 'residential proxy exits of the big swarm (default 16% of its size)'],
  ['--swarm-exit-proxy-share <x>', 'swarmExitProxyShare', 'share of those exits flagged is_proxy=true (default 0.7)'],
  ['--bystander-households <n>', 'bystanderHouseholds', 'households whose home line is also a swarm exit (default 5% of exits)'],
  ['--swarm-fingerprints <n>', 'swarmFingerprints', 'automation fingerprints of the big swarm (default min(24, size/100), at least 2)'],
  ['--datacenter-swarm-size <n>', 'datacenterSwarmSize', 'datacenter swarm, one card per account (default min(2000, 1% of accounts))'],
  ['--payment-ring-size <n>', 'paymentRingSize', 'swarm sharing three payment instruments (default min(150, 1% of accounts))'],
  ['--new-swarm-size <n>', 'newSwarmSize', 'week 2: the new virtual-card swarm (default min(1200, 2% of accounts))'],
  ['--campus-size <n>', 'campusSize', 'students behind the campus NAT (default min(2000, 0.8% of accounts))'],
  ['--campus-nat-ips <n>', 'campusNatIps', 'campus NAT addresses (default 4)'],
  ['--enterprise-teams <n>', 'enterpriseTeams', 'developer teams on one corporate card each (default 1 per 15,000 accounts)'],
  ['--mobile-share <x>', 'mobileShare', 'share of organic accounts behind mobile carrier NAT (default 0.35)'],
  ['--mobile-nat-ips <n>', 'mobileNatIps', 'mobile carrier NAT addresses (default accounts/6000, at least 3)'],
  ['--vpn-share <x>', 'vpnShare', 'share of organic accounts using a commercial VPN (default 0.03)'],
  ['--vpn-exits <n>', 'vpnExits', 'commercial VPN exits (default one per 60 VPN users, at least 5)'],
  ['--tls-fingerprints <n>', 'tlsFingerprints', 'common browser TLS fingerprints (hubs) (default 12)'],
  ['--raw-exchange-share <x>', 'rawExchangeShare', 'share of small exchange cells written one row per exchange (default 0.3)'],
  ['--swarms <n>', 'swarms', 'with --tactics: tactic swarms to plant (default one per listed item; 3 for random)'],
  ['--tactic-swarm-size <n>', 'tacticSwarmSize', 'with --tactics: every tactic swarm\'s size, tiny ones excepted (default drawn from the seed, log-uniform 20-30000)'],
  ['--resellers <n>', 'resellers', 'resellers paying for 10-500 ordinary clients with one card (default 0; with --tactics max(3, accounts/20000))'],
  ['--sdk-share <x>', 'sdkShare', 'share of active organic developers showing a public SDK\'s default fingerprint (default 0; with --tactics 0.25)'],
  ['--largest-team <n>', 'largestTeam', 'size of enterprise_team_01; above 0 the other teams are 5-2000 (default 0; with --tactics 2% of accounts, 50-2000)'],
];

/** --tactics: `random`, or a comma-separated list (empty items ignored). */
export function parseTacticsFlag(value: string): string[] | 'random' {
  if (value.trim() === 'random') return 'random';
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** `word` for 1, `word`s otherwise, padded to the plural's length so the columns after it stay aligned. */
function unit(value: number, word: string): string {
  return (value === 1 ? word : `${word}s`).padEnd(word.length + 1);
}

/** Legitimate kinds with many groups, summed into one row each: kind → the row's noun. */
const COLLAPSED_KINDS: Record<string, string> = { enterprise_team: 'enterprise team', reseller: 'reseller' };

export function renderSummary(summary: GenerateSummary): string {
  const lines = [
    `wrote ${terminalText(summary.out)} (seed ${summary.seed}, week ${summary.week}, window ${summary.window.start} … ${summary.window.end}, ${summary.seconds.toFixed(1)} s)`,
  ];
  for (const [file, stats] of Object.entries(summary.files)) {
    lines.push(`  ${file.padEnd(24)} ${String(stats.rows).padStart(11)} ${unit(stats.rows, 'row')} ${(stats.bytes / 1e6).toFixed(1).padStart(9)} MB`);
  }
  lines.push(`  link rows ${summary.link_rows}, exchanges ${summary.exchanges}`);
  lines.push('planted groups (truth in truth/, never read by detection):');
  // One row per group, except enterprise teams and resellers (often dozens), one row per kind: [tag, name, accounts, exchanges].
  const rows: Array<[string, string, number, number]> = summary.groups
    .filter((group) => !group.legitimate || !(group.kind in COLLAPSED_KINDS))
    .map((group) => [group.legitimate ? 'legit' : 'SWARM', group.name, group.size, group.exchanges]);
  for (const [kind, word] of Object.entries(COLLAPSED_KINDS)) {
    const members = summary.groups.filter((group) => group.legitimate && group.kind === kind);
    if (members.length === 0) continue;
    rows.push([
      'legit',
      members.length === 1 ? `${word} x1` : `${word}s x${members.length}`,
      members.reduce((sum, group) => sum + group.size, 0),
      members.reduce((sum, group) => sum + group.exchanges, 0),
    ]);
  }
  const nameWidth = maxOf(rows.map(([, name]) => name.length), 26);
  for (const [tag, name, accounts, exchanges] of rows) {
    lines.push(
      `  ${tag} ${name.padEnd(nameWidth)} ${String(accounts).padStart(8)} ${unit(accounts, 'account')} ${String(exchanges).padStart(11)} ${unit(exchanges, 'exchange')}`.trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const command = program
    .command('generate')
    .description('write a synthetic world (the five contract CSVs) with planted swarms and hard negatives, and the planted truth in <out>/truth/')
    .requiredOption('--out <dir>', 'folder to write into (created if missing; files are overwritten)')
    .option('--start-date <date>', 'first day of the observation window, YYYY-MM-DD (default 2026-09-01)')
    .option('--tactics <list>', `plant tactic swarms instead of the classic three: random, or a comma-separated list of tactics (join several with + for one swarm): ${TACTIC_CATALOGUE.map((tactic) => tactic.name).join(', ')}`)
    .option('--behaviour', 'exchanges.csv at minute resolution with template and client columns: people\'s rhythms, operators\' dispatchers (docs/generator.md, "Behaviour"); behaviour tactics turn it on')
    .option('--gzip', 'write the five contract files as .csv.gz (the truth stays plain)')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--quiet', 'no progress on stderr');
  for (const [flag, , description] of KNOBS) command.option(flag, description, numberFlag(flag.split(' ')[0]));
  command
    .addHelpText('after', `
Examples:
  swarmscope generate --out world                      # 100,000 accounts, a 2,500-account big swarm (seconds)
  swarmscope generate --out world-1m --accounts 1000000 # the benchmark world
  swarmscope generate --out full --swarm-size 25000    # the full-scale campaign (28.8M exchanges) in 100k accounts
  swarmscope generate --out week2 --week 2             # the same world a week later
  swarmscope generate --out tiny --accounts 2000 --seed 7
  swarmscope generate --out unseen --accounts 20000 --tactics random --swarms 4 --seed 3   # mixtures of 1-3 tactics, sizes 20-30,000
  swarmscope generate --out cards --tactics fresh-card,mega-card --tactic-swarm-size 800   # one swarm per listed tactic
  swarmscope generate --out mix --tactics fresh-card+private-exits+client-builds           # one swarm with three tactics
  swarmscope generate --out timed --accounts 20000 --behaviour --tactics random --seed 3   # minute-level rows with templates and clients

Tactics (each changes one dimension of the BASE swarm; docs/generator.md, "Tactic catalogue"):
${TACTIC_CATALOGUE.map((tactic) => `  ${tactic.name.padEnd(21)} ${tactic.summary}`).join('\n')}

Every knob is documented in docs/generator.md. The same --seed writes byte-identical files.`)
    .action(
      action(async (flags: Record<string, unknown>) => {
        const options: GenerateOptions = { out: flags.out as string, startDate: flags.startDate as string | undefined, gzip: Boolean(flags.gzip) };
        if (flags.behaviour) options.behaviour = true;
        if (flags.tactics !== undefined) options.tactics = parseTacticsFlag(flags.tactics as string);
        for (const [, key] of KNOBS) {
          if (flags[key] !== undefined) (options as unknown as Record<string, unknown>)[key] = flags[key];
        }
        if (!flags.quiet && process.stderr.isTTY) {
          options.progress = (done, total) => process.stderr.write(`\rgenerating accounts ${done}/${total}${done === total ? '\n' : ''}`);
        }
        const summary = await generateWorld(options);
        printOut(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
      }),
    );
}
