import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { saveWorld, loadWorld } from '../../src/core/snapshot';
import type { World } from '../../src/core/world';

describe('world snapshot', () => {
  it('round-trips typed arrays (at odd lengths), string tables and numbers', () => {
    const world = {
      accounts: { size: 3, ids: ['a', 'b,"c"', 'é'], registered: new Uint8Array([1, 0, 1]), createdAt: new Float64Array([1, Number.NaN, 3]) },
      links: { ip: { size: 1, account: new Int32Array([2]), count: new Float64Array([7.5]) } },
      summary: { input_dir: '/x', seconds: 1.25 },
    } as unknown as World;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'snap-')), 'world.bin');
    saveWorld(world, file);
    const loaded = loadWorld(file) as unknown as typeof world & { accounts: { createdAt: Float64Array; registered: Uint8Array; ids: string[] } };
    expect(loaded.accounts.ids).toEqual(['a', 'b,"c"', 'é']);
    expect(Array.from(loaded.accounts.registered)).toEqual([1, 0, 1]);
    expect(loaded.accounts.createdAt).toBeInstanceOf(Float64Array);
    expect(Number.isNaN(loaded.accounts.createdAt[1])).toBe(true);
    expect(loaded.accounts.createdAt[2]).toBe(3);
    expect(Array.from((loaded as any).links.ip.account)).toEqual([2]);
    expect((loaded as any).links.ip.count[0]).toBe(7.5);
  });
  it('rejects a file that is not a snapshot with a BAD_SWEEP error', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'snap-')), 'x.bin');
    fs.writeFileSync(file, 'hello world');
    expect(() => loadWorld(file)).toThrow(/not a swarmscope world snapshot/);
  });
});

describe('world snapshot damage', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snap-damage-'));
  const world = { accounts: { size: 2, ids: ['a', 'b'], createdAt: new Float64Array([1, 2]) } } as unknown as World;
  const good = path.join(dir, 'good.bin');
  saveWorld(world, good);
  const bytes = fs.readFileSync(good);

  it('reports a truncated header as BAD_SWEEP (exit 2), not an internal error', () => {
    const file = path.join(dir, 'cut-header.bin');
    fs.writeFileSync(file, bytes.subarray(0, 20));
    expect(() => loadWorld(file)).toThrow(expect.objectContaining({ code: 'BAD_SWEEP', exitCode: 2 }));
  });
  it('reports a damaged header as BAD_SWEEP', () => {
    const file = path.join(dir, 'bad-json.bin');
    const damaged = Buffer.from(bytes);
    damaged[13] = 0x7b; // '{' inside the JSON header
    damaged[14] = 0x7b;
    fs.writeFileSync(file, damaged);
    expect(() => loadWorld(file)).toThrow(expect.objectContaining({ code: 'BAD_SWEEP' }));
  });
  it('reports missing array bytes as BAD_SWEEP', () => {
    const file = path.join(dir, 'cut-data.bin');
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 8));
    expect(() => loadWorld(file)).toThrow(/truncated/);
  });
});
