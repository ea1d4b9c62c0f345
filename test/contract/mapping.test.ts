import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadMapping, validateMapping } from '../../src/contract';
import { isSwarmscopeError } from '../../src/core/errors';

function mappingError(document: unknown): string {
  try {
    validateMapping(document, 'm.json');
  } catch (error) {
    if (isSwarmscopeError(error)) {
      expect(error.code).toBe('BAD_MAPPING');
      expect(error.exitCode).toBe(2);
      return error.message;
    }
    throw error;
  }
  throw new Error('expected BAD_MAPPING');
}

describe('mapping file validation', () => {
  it('accepts file renames and column renames', () => {
    const mapping = validateMapping(
      { $comment: 'team B', files: { 'accounts.csv': { file: 'users.csv', columns: { account_id: 'user_id' } }, 'exchanges.csv': { file: 'calls.csv.gz' } } },
      'm.json',
    );
    expect(mapping.files['accounts.csv']).toEqual({ file: 'users.csv', columns: { account_id: 'user_id' } });
    expect(mapping.files['exchanges.csv']).toEqual({ file: 'calls.csv.gz' });
  });

  it.each([
    [[], 'must be a JSON object'],
    [{ file: {} }, 'unknown key "file"'],
    [{ files: [] }, '"files" must be an object'],
    [{ files: { 'users.csv': {} } }, 'unknown contract file "users.csv"'],
    [{ files: { 'accounts.csv': 'users.csv' } }, '"files.accounts.csv" must be an object'],
    [{ files: { 'accounts.csv': { name: 'x' } } }, 'unknown key "files.accounts.csv.name"'],
    [{ files: { 'accounts.csv': { file: '' } } }, 'must be a non-empty file name'],
    [{ files: { 'accounts.csv': { file: '../elsewhere.csv' } } }, 'must be a path inside the input folder'],
    [{ files: { 'accounts.csv': { columns: { acount_id: 'x' } } } }, 'unknown column "acount_id"'],
    [{ files: { 'accounts.csv': { columns: { account_id: 7 } } } }, 'must be the non-empty header text'],
    [{ files: { 'accounts.csv': { columns: { account_id: 'id', created_at: 'ID' } } } }, 'are both mapped to the header'],
  ])('%j is refused', (document, message) => {
    expect(mappingError(document)).toContain(message);
  });

  it('reports non-JSON files as BAD_MAPPING (without quoting them) and a missing one as not found', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-map-'));
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"files": ');
    expect(() => loadMapping(broken)).toThrow(/not valid JSON \(it ends too early\)/);
    fs.writeFileSync(broken, '{\n  "files": {},\n  oops\n}');
    expect(() => loadMapping(broken)).toThrow(/not valid JSON \(first problem at line 3, column 3\)/);
    fs.writeFileSync(broken, 'secret-token-123');
    expect(() => loadMapping(broken)).toThrow(/^(?!.*secret-token).*not valid JSON/);
    expect(() => loadMapping(path.join(dir, 'absent.json'))).toThrow(/absent\.json: no such file/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
