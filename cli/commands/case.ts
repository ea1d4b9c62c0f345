/** `swarmscope case set|list|members`: the case book of a state dir (who decided what, and the ban list). */
import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import {
  banList,
  CASE_STATUSES,
  currentCases,
  openState,
  readCaseBook,
  recordCaseDecision,
  type CaseEntry,
  type CaseStatus,
  verifyCaseBook,
} from '../../src/sweep/history';
import { action } from '../run';
import { printErr, printOut } from '../print';
import { needsTerminalEscape, terminalText } from '../../src/core/terminal';
import { numberOption, RANGES } from '../options';

function requireState(stateDir: string | undefined): string {
  if (!stateDir) throw swarmscopeError('BAD_ARGUMENT', '--state <state-dir> is required (the state dir your weekly sweeps use)');
  return stateDir;
}

/** One decision on one line; the note, author and ids are escaped (a note with a newline stays one line). */
function entryLine(entry: CaseEntry): string {
  const figures = entry.accounts === null ? '' : ` [${entry.accounts} accounts, risk ${entry.risk} in ${entry.sweep_id}]`;
  return terminalText(`#${entry.seq} ${entry.at} ${entry.cluster_id} ${entry.status} by ${entry.by}${figures}: ${entry.note}`);
}

export function register(program: Command): void {
  const caseCommand = program
    .command('case')
    .description('the case book: record decisions on clusters, list them, print the accounts to act on')
    .addHelpText(
      'after',
      `
Examples:
  $ swarmscope case set C0003 --status confirmed --note "shared prepaid cards, coding-only traffic" --state ./state
  $ swarmscope case list --state ./state
  $ swarmscope case verify --state ./state
  $ swarmscope case members C0003 --new-since 20261116T052317Z-1fffb417 --state ./state > ban-list.txt`,
    );

  caseCommand
    .command('set')
    .description('record a decision on a cluster (append-only; the author is --by or the OS user)')
    .argument('<cluster-id>', 'a cluster id from a sweep in the state dir, e.g. C0003')
    .requiredOption('--status <status>', `one of ${CASE_STATUSES.join(', ')}`)
    .requiredOption('--note <text>', 'why: the record legal and the next investigator will read')
    .option('--state <state-dir>', 'the state dir of the weekly sweeps')
    .option('--by <name>', 'who decided (default: the OS user name)')
    .option('--wait <seconds>', 'wait this long for a running sweep to release the state dir', '30')
    .addHelpText(
      'after',
      `
A dismissed cluster stops alerting unless it grows or its risk rises past the thresholds (docs/state-dir.md);
a confirmed one alerts on every new member.

Example:
  $ swarmscope case set C0007 --status dismissed --note "campus NAT, verified with the university" --by alice --state ./state`,
    )
    .action(
      action((clusterId: string, flags: { status: string; note: string; state?: string; by?: string; wait: string }) => {
        if (!CASE_STATUSES.includes(flags.status as CaseStatus)) {
          throw swarmscopeError('BAD_ARGUMENT', `--status ${JSON.stringify(flags.status)} is not one of ${CASE_STATUSES.join(', ')}`);
        }
        const waitSeconds = numberOption('--wait', flags.wait, RANGES.waitSeconds)!;
        const entry = recordCaseDecision(requireState(flags.state), {
          clusterId,
          status: flags.status as CaseStatus,
          note: flags.note,
          by: flags.by,
          waitSeconds,
        });
        printOut(`recorded ${entryLine(entry)}\n`);
      }),
    );

  caseCommand
    .command('list')
    .description('every decision, oldest first (or only the current status per cluster)')
    .option('--state <state-dir>', 'the state dir of the weekly sweeps')
    .option('--current', 'only the latest decision per cluster')
    .option('--cluster <cluster-id>', 'only this cluster')
    .option('--json', 'print the entries as a JSON array')
    .addHelpText('after', '\nExample:\n  $ swarmscope case list --state ./state --current --json')
    .action(
      action((flags: { state?: string; current?: boolean; cluster?: string; json?: boolean }) => {
        const state = openState(requireState(flags.state), { create: false });
        let entries = readCaseBook(state);
        if (flags.current) entries = [...currentCases(entries).values()].sort((a, b) => a.seq - b.seq);
        if (flags.cluster) entries = entries.filter((entry) => entry.cluster_id === flags.cluster);
        if (flags.json) printOut(`${JSON.stringify(entries, null, 2)}\n`);
        else if (entries.length === 0) printOut('no decisions recorded\n');
        else printOut(entries.map((entry) => `${entryLine(entry)}\n`).join(''));
      }),
    );

  caseCommand
    .command('verify')
    .description('check the whole case book: every entry, the hash chain and the head; print the head hash to anchor elsewhere')
    .option('--state <state-dir>', 'the state dir of the weekly sweeps')
    .addHelpText(
      'after',
      `
Exit 0 and "OK <n> decisions, head sha256 <hash>" when the chain holds from the first entry to the one
casebook.head records; exit 2 naming casebook.jsonl:<line> when any entry, the newest included, was deleted,
reordered or edited. Write the head hash down outside the state dir (a ticket, an email): someone who can
rewrite both casebook.jsonl and casebook.head can only be caught by comparing against that copy.

Example:
  $ swarmscope case verify --state ./state`,
    )
    .action(
      action((flags: { state?: string }) => {
        const state = openState(requireState(flags.state), { create: false });
        const result = verifyCaseBook(state);
        printOut(
          `OK ${terminalText(state.path('casebook'))}: ${result.entries} decision${result.entries === 1 ? '' : 's'}, hash chain intact, ` +
            `head sha256 ${result.head_sha256 ?? '(none: the book is empty)'}\n` +
            (result.uncommitted_lines > 0
              ? `note: ${result.uncommitted_lines} line${result.uncommitted_lines === 1 ? '' : 's'} past the head were never committed (a \`case set\` killed mid-write) and are ignored\n`
              : ''),
        );
      }),
    );

  caseCommand
    .command('members')
    .description('the accounts of a cluster in the newest sweep, optionally only those not in it at an earlier sweep (the ban list)')
    .argument('<cluster-id>', 'a cluster id of the newest sweep')
    .option('--state <state-dir>', 'the state dir of the weekly sweeps')
    .option('--new-since <sweep-id>', 'only accounts that were not in this cluster at that sweep')
    .option('--sweep <sweep-id>', 'take members from this sweep instead of the newest')
    .option('--force', 'print the list even though the cluster\'s current decision is not confirmed')
    .option('--include-inactive', 'keep accounts the platform had already suspended or terminated in that sweep\'s input')
    .option('--json', 'print {"cluster_id", "sweep_id", "since_sweep_id", "accounts": [...], "decision", "left_out_inactive"} as JSON')
    .addHelpText(
      'after',
      `
Prints one account id per line on stdout (a summary goes to stderr), ready to feed a ban tool.
Refused (exit 2) unless the cluster's current decision in the case book is confirmed (--force overrides);
accounts already suspended or terminated are left out (--include-inactive keeps them).
Sweep ids look like 20261116T052317Z-1fffb417 (UTC start, then a hash): report.json's sweep.id, and the
previous sweep's id in a sweep's "Since last sweep (…)" line.

Example:
  $ swarmscope case members C0003 --new-since 20261116T052317Z-1fffb417 --state ./state > ban-list.txt`,
    )
    .action(
      action((clusterId: string, flags: { state?: string; newSince?: string; sweep?: string; json?: boolean; force?: boolean; includeInactive?: boolean }) => {
        const state = openState(requireState(flags.state), { create: false });
        const members = banList(state, clusterId, flags.newSince ?? null, flags.sweep, { force: flags.force === true, includeInactive: flags.includeInactive === true });
        if (flags.json) {
          printOut(`${JSON.stringify(members, null, 2)}\n`);
          return;
        }
        // One id per line, escaped like everything printed; an id that needed escaping is counted on stderr, and
        // --json gives the exact ids.
        printOut(members.accounts.map((account) => `${terminalText(account)}\n`).join(''));
        const escaped = members.accounts.filter(needsTerminalEscape).length;
        const leftOut = Object.keys(members.left_out_inactive).length;
        const decision = members.decision ? `${members.decision.status} (case book #${members.decision.seq} by ${members.decision.by})` : 'no decision';
        printErr(
          `${members.accounts.length.toLocaleString('en-US')} account${members.accounts.length === 1 ? '' : 's'} of ${terminalText(clusterId)} in sweep ${terminalText(members.sweep_id)}` +
            (members.since_sweep_id ? ` not in it at ${terminalText(members.since_sweep_id)} (${members.accounts_then} then, ${members.accounts_now} now)` : '') +
            `; cluster ${terminalText(decision)}${members.decision?.status === 'confirmed' ? '' : ', printed because of --force'}` +
            (flags.includeInactive
              ? '; suspended and terminated accounts included (--include-inactive)'
              : members.statuses_known
                ? `; ${leftOut.toLocaleString('en-US')} already suspended or terminated left out`
                : '; account statuses were not recorded for this sweep, so suspended or terminated accounts could not be left out') +
            (escaped > 0 ? `; ${escaped.toLocaleString('en-US')} of them hold control or invisible characters, printed escaped (use --json for the exact ids)\n` : '\n'),
        );
      }),
    );
}
