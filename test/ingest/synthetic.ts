/** Deterministic multi-chunk input folders for importer tests (several MB, so files are cut into several chunks). */
import { writeFiles } from './support';

/** xorshift32: a tiny seeded generator, so the folder is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

export interface SyntheticCounts {
  accounts: number;
  ipRows: number;
  exchangeRows: number;
}

/**
 * Writes accounts.csv, ip_addresses.csv and exchanges.csv. About 1 row in 500 is broken on purpose, and
 * some account ids carry a quoted line break, so chunk cuts meet multi-line records.
 */
export function writeSyntheticFolder(dir: string, counts: SyntheticCounts, seed = 7): string {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const accountId = (a: number) => (a % 997 === 0 ? `"acct ${a}\nline two"` : `acct_${a}`);
  const accounts = ['account_id,created_at,email_domain,country,status'];
  for (let a = 0; a < counts.accounts; a++) {
    const broken = pick(500) === 0;
    accounts.push(`${accountId(a)},${broken ? '2026-02-30' : `2026-01-${String(1 + (a % 28)).padStart(2, '0')}`},d${a % 50}.test,${['US', 'DE', 'BR'][a % 3]},active`);
  }
  const ips = ['account_id,ip,first_seen,last_seen,requests,asn,is_proxy'];
  for (let r = 0; r < counts.ipRows; r++) {
    const account = pick(counts.accounts * 1.02); // ~2% unregistered
    const broken = pick(500) === 0;
    const ip = pick(4) === 0 ? `2001:db8::${pick(5000).toString(16)}` : `10.${pick(4)}.${pick(256)}.${pick(256)}`;
    ips.push(`${accountId(account)},${broken ? '10.0.0.256' : ip},2026-01-0${1 + pick(4)},2026-01-1${pick(9)},${pick(40)},AS${pick(30)},${pick(2) ? 'true' : 'false'}`);
  }
  const capabilities = ['software_engineering', 'agentic_reasoning', 'writing', 'math'];
  const exchanges = ['account_id,timestamp,capability,count,input_tokens,output_tokens'];
  for (let r = 0; r < counts.exchangeRows; r++) {
    const broken = pick(500) === 0;
    const day = 1 + pick(28);
    exchanges.push(
      `${accountId(pick(counts.accounts * 1.02))},2026-02-${String(day).padStart(2, '0')}T${String(pick(24)).padStart(2, '0')}:00:00Z,${capabilities[pick(4)]},${broken ? '-1' : 1 + pick(3)},${pick(5000)},${pick(9000)}`,
    );
  }
  writeFiles(dir, {
    'accounts.csv': `${accounts.join('\n')}\n`,
    'ip_addresses.csv': `${ips.join('\n')}\n`,
    'exchanges.csv': `${exchanges.join('\n')}\n`,
  });
  return dir;
}
