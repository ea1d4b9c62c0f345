/** `swarmscope keygen --out DIR`: an Ed25519 key pair for signing evidence packs (src/evidence/signature.ts). */
import type { Command } from 'commander';
import { swarmscopeError } from '../../src/core/errors';
import { generateSigningKeyPair } from '../../src/evidence/signature';
import { terminalText } from '../../src/core/terminal';
import { action } from '../run';
import { printOut } from '../print';

export function register(program: Command): void {
  program
    .command('keygen')
    .description('make an Ed25519 key pair for signing evidence packs (evidence --sign, evidence verify --pubkey)')
    .option('--out <dir>', 'folder for swarmscope-signing-key.pem (private, mode 0600) and swarmscope-signing-key.pub.pem (required)')
    .addHelpText(
      'after',
      `
Never overwrites a key. Keep the private key where only the people who build packs can read it; give the
public key to whoever checks packs (legal, a court) by a channel they trust — not inside the pack.
The same pair with OpenSSL alone:
  $ openssl genpkey -algorithm ed25519 -out swarmscope-signing-key.pem
  $ openssl pkey -in swarmscope-signing-key.pem -pubout -out swarmscope-signing-key.pub.pem

Example:
  $ swarmscope keygen --out ~/.swarmscope-keys`,
    )
    .action(
      action((flags: { out?: string }) => {
        if (!flags.out) throw swarmscopeError('BAD_ARGUMENT', 'keygen: --out <dir> is required (where to write the key pair)');
        const pair = generateSigningKeyPair(flags.out);
        printOut(
          `Wrote ${terminalText(pair.privateKeyPath)} (private key, mode 0600: keep it secret) and ${terminalText(pair.publicKeyPath)} (public key: give it to whoever checks packs)\n` +
            `key fingerprint (SHA-256 of the public key): ${pair.fingerprint}\n`,
        );
      }),
    );
}
