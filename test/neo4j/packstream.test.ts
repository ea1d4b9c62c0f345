/** The test server's PackStream codec: round trips at every size boundary, and the driver's own encoding decodes. */
import { Packer, Structure, Unpacker } from './bolt/packstream';

const roundTrip = (value: unknown) => new Unpacker(new Packer().pack(value).bytes()).unpack();

test('round-trips values across every size boundary', () => {
  const ints = [0n, -16n, -17n, 127n, 128n, -128n, -129n, 32767n, 32768n, -32769n, 2147483647n, 2147483648n, -(2n ** 63n), 2n ** 63n - 1n];
  for (const n of ints) expect(roundTrip(n)).toBe(n);
  for (const length of [0, 15, 16, 255, 256, 65535, 65536]) {
    const text = 'é'.repeat(length);
    expect(roundTrip(text)).toBe(text);
    expect((roundTrip(new Array(Math.min(length, 300)).fill(1n)) as unknown[]).length).toBe(Math.min(length, 300));
  }
  const map = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i % 2 ? null : 1.5]));
  expect(roundTrip(map)).toEqual(map);
  expect(roundTrip([true, false, null, 0.25, 'x'])).toEqual([true, false, null, 0.25, 'x']);
  const structure = roundTrip(new Structure(0x70, [{ fields: ['a'] }])) as Structure;
  expect(structure.tag).toBe(0x70);
  expect(structure.fields).toEqual([{ fields: ['a'] }]);
});

test('known encodings from the PackStream specification', () => {
  expect(new Packer().pack(1n).bytes()).toEqual(Buffer.from([0x01]));
  expect(new Packer().pack(-16n).bytes()).toEqual(Buffer.from([0xf0]));
  expect(new Packer().pack('a').bytes()).toEqual(Buffer.from([0x81, 0x61]));
  expect(new Packer().pack(1.1).bytes()).toEqual(Buffer.from([0xc1, 0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]));
  expect(new Packer().pack({ a: 1n }).bytes()).toEqual(Buffer.from([0xa1, 0x81, 0x61, 0x01]));
});
