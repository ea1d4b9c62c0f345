/** The buffered writer: bytes arrive intact across chunk boundaries, and a full disk is reported, not swallowed. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BufferedCsvFile } from '../../src/generate/sink';

test('lines of any length, ASCII or not, arrive byte for byte across 1 MiB chunk boundaries', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-sink-')), 'out.csv');
  const writer = new BufferedCsvFile(file, ['a', 'b']);
  const expected: string[] = ['a,b\n'];
  for (let i = 0; i < 40_000; i++) {
    const line = `${'x'.repeat(i % 97)},é€${i}\n`;
    writer.line(line);
    expected.push(line);
  }
  const huge = `${'y'.repeat(2 << 20)}\n`;
  writer.line(huge);
  expected.push(huge);
  writer.close();
  const written = fs.readFileSync(file, 'utf8');
  expect(written).toBe(expected.join(''));
  expect(writer.rows).toBe(40_001);
  expect(writer.bytes).toBe(Buffer.byteLength(written));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

(fs.existsSync('/dev/full') ? test : test.skip)('a full disk surfaces as ENOSPC when the buffer is written', () => {
  const writer = new BufferedCsvFile('/dev/full', ['a']);
  writer.line('1\n');
  expect(() => writer.close()).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
});
