import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { csvDocument } from '../../src/core/csv';
import { isSwarmscopeError } from '../../src/core/errors';
import { readMemberships } from '../../src/sweep/history/members-file';

function write(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-members-')), 'members.csv');
  fs.writeFileSync(file, content);
  return file;
}

describe('members.csv fast reader', () => {
  it('reads the same ids as a full CSV parser, through quotes, doubled quotes, commas, newlines and neutralised formulas', () => {
    const rows = [
      ['plain', 'C0001', 'core', 'shares card x with 3 other members'],
      ['=SUM(A1)', 'C0001', 'member', 'has "quotes", commas\nand a newline'],
      ['with,comma', 'C0002', 'member', ''],
      ['say "hi"', 'C0002', 'core', '-starts with minus'],
      ['-42', 'C0003', 'member', '@at'],
      ["'=already quoted", 'C0003', 'member', "''"],
      ["'plain", 'C0003', 'member', ''],
    ];
    const file = write(csvDocument(['account_id', 'cluster_id', 'role', 'evidence'], rows).replace(/\n/g, '\r\n'));
    const fast = readMemberships(file);
    expect(fast.accounts).toEqual(rows.map((row) => row[0]));
    expect(fast.clusterIds).toEqual(rows.map((row) => row[1]));
    const reference = (parse(fs.readFileSync(file, 'utf8')) as string[][]).slice(1);
    expect(reference.map((row) => row[1])).toEqual(fast.clusterIds);
  });

  it('rejects a damaged file with file and line', () => {
    for (const [content, message] of [
      ['account_id,cluster_id\nx,C1\n', /header is "account_id,cluster_id"/],
      ['account_id,cluster_id,role,evidence\na,C1,core,e\nb,C1,core\n', /members.csv:3: expected 4 columns/],
      ['account_id,cluster_id,role,evidence\na,C1,core,"unclosed\n', /members.csv:2: a quoted field is not closed/],
    ] as const) {
      try {
        readMemberships(write(content));
        throw new Error('expected BAD_SWEEP');
      } catch (error) {
        if (!isSwarmscopeError(error)) throw error;
        expect(error.code).toBe('BAD_SWEEP');
        expect(error.message).toMatch(message);
      }
    }
  });
});
