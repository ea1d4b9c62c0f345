/**
 * `swarmscope demo`: the README's first command. Generates a small synthetic world (with planted swarms, an
 * enterprise team, a campus and ordinary users), sweeps it and prints the cluster report.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from 'commander';
import { EXIT, swarmscopeError } from '../../src/core/errors';
import { generateWorld } from '../../src/generate';
import { RENDERERS } from '../../src/report';
import { runSweep } from '../../src/sweep/run';
import { action } from '../run';
import { printErr, printOut } from '../print';
import { integerOption, RANGES } from '../options';

export const DEMO_ACCOUNTS = 20_000;

interface DemoFlags {
  out?: string;
  accounts?: string;
  seed?: string;
  quiet?: boolean;
}

/**
 * --out must be new, empty, or a previous demo's folder (only input/ with the generator's truth/, sweep/, and a
 * sweep's temporary siblings): the demo writes input/ and sweep/ there, and must not mix them into someone's files.
 */
function checkDemoOut(root: string): void {
  if (!fs.existsSync(root)) return;
  if (!fs.statSync(root).isDirectory()) throw swarmscopeError('BAD_ARGUMENT', `--out ${root}: exists and is not a directory`);
  const entries = fs.readdirSync(root);
  const previousDemo =
    entries.every((name) => name === 'input' || name === 'sweep' || /^sweep\.(tmp|old)-/.test(name)) &&
    (!entries.includes('input') || fs.existsSync(path.join(root, 'input', 'truth', 'truth.json')));
  if (!previousDemo) {
    throw swarmscopeError('BAD_ARGUMENT', `--out ${root}: exists, is not empty and is not a previous demo's folder; choose a new or empty directory`);
  }
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(`generate a small world (${DEMO_ACCOUNTS.toLocaleString('en-US')} accounts with planted swarms), sweep it and print the cluster report`)
    .option('--out <dir>', 'where to keep the generated input (<dir>/input) and the sweep (<dir>/sweep): a new or empty folder, or a previous demo\'s (replaced); default a new temporary folder')
    .option('--accounts <n>', `accounts in the generated world (default ${DEMO_ACCOUNTS})`)
    .option('--seed <n>', 'generator and detection seed', '1')
    .option('--quiet', 'print only where the files are')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  swarmscope demo\n' +
        '  swarmscope demo --out /tmp/swarmscope-demo && swarmscope report /tmp/swarmscope-demo/sweep --cluster C0001',
    )
    .action(
      action(async (flags: DemoFlags) => {
        const accounts = integerOption('--accounts', flags.accounts, RANGES.demoAccounts) ?? DEMO_ACCOUNTS;
        const seed = integerOption('--seed', flags.seed, RANGES.seed) ?? 1;
        if (flags.out) checkDemoOut(path.resolve(flags.out));
        const root = flags.out ? path.resolve(flags.out) : fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-demo-'));
        const inputDir = path.join(root, 'input');
        const sweepDir = path.join(root, 'sweep');
        const say = (line: string) => {
          if (!flags.quiet) printErr(`${line}\n`);
        };
        say(`Generating ${accounts.toLocaleString('en-US')} accounts (seed ${seed}) into ${inputDir} …`);
        await generateWorld({ out: inputDir, accounts, seed });
        say(`Sweeping into ${sweepDir} …`);
        const result = await runSweep({ inputDir, outDir: sweepDir, seed });
        printOut(RENDERERS.table({ report: result.report, dir: result.dir, top: flags.quiet ? 0 : undefined }));
        printOut(`\nPlanted truth (never read by detection): ${path.join(inputDir, 'truth')}\n`);
        return result.rejectedRows > 0 ? EXIT.FINDINGS : EXIT.OK;
      }),
    );
}
