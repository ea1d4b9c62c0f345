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
import { numberFlag } from './sweep';

export const DEMO_ACCOUNTS = 20_000;

interface DemoFlags {
  out?: string;
  accounts?: string;
  seed?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(`generate a small world (${DEMO_ACCOUNTS.toLocaleString('en-US')} accounts with planted swarms), sweep it and print the cluster report`)
    .option('--out <dir>', 'where to keep the generated input (<dir>/input) and the sweep (<dir>/sweep); default a new temporary folder')
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
        const accounts = numberFlag('--accounts', flags.accounts, true) ?? DEMO_ACCOUNTS;
        const seed = numberFlag('--seed', flags.seed, true) ?? 1;
        if (accounts < 1000) throw swarmscopeError('BAD_ARGUMENT', `--accounts ${accounts}: the demo world needs at least 1000 accounts`);
        const root = flags.out ? path.resolve(flags.out) : fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-demo-'));
        const inputDir = path.join(root, 'input');
        const sweepDir = path.join(root, 'sweep');
        const say = (line: string) => {
          if (!flags.quiet) process.stderr.write(`${line}\n`);
        };
        say(`Generating ${accounts.toLocaleString('en-US')} accounts (seed ${seed}) into ${inputDir} …`);
        await generateWorld({ out: inputDir, accounts, seed });
        say(`Sweeping into ${sweepDir} …`);
        const result = await runSweep({ inputDir, outDir: sweepDir, seed });
        process.stdout.write(RENDERERS.table({ report: result.report, dir: result.dir, top: flags.quiet ? 0 : undefined }));
        process.stdout.write(`\nPlanted truth (never read by detection): ${path.join(inputDir, 'truth')}\n`);
        return result.rejectedRows > 0 ? EXIT.FINDINGS : EXIT.OK;
      }),
    );
}
