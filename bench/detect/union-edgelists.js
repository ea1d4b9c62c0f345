#!/usr/bin/env node
/**
 * Scaling input for bench/detect.js: the disjoint union of numbered edge lists (as written by
 * write-edgelist.js), each file's node numbers shifted past the previous file's. Used for the 3M-account row,
 * since the generator stops at 2M accounts: union(1M world, 2M world) is a 3M-account graph of the same shape.
 * Usage: node bench/detect/union-edgelists.js <out.csv> <in1.csv> <in2.csv> …
 */
const fs = require('fs');

const [out, ...inputs] = process.argv.slice(2);
const fd = fs.openSync(out, 'w');
fs.writeSync(fd, 'source,target,weight\n');
let offset = 0;
for (const input of inputs) {
  const text = fs.readFileSync(input, 'utf8');
  let maxNode = -1;
  let chunk = '';
  let position = text.indexOf('\n') + 1;
  while (position < text.length) {
    let end = text.indexOf('\n', position);
    if (end === -1) end = text.length;
    const line = text.slice(position, end);
    position = end + 1;
    if (line === '') continue;
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    const source = Number(line.slice(0, first));
    const target = Number(line.slice(first + 1, second));
    if (source > maxNode) maxNode = source;
    if (target > maxNode) maxNode = target;
    chunk += `${source + offset},${target + offset}${line.slice(second)}\n`;
    if (chunk.length > 1 << 22) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  offset += maxNode + 1;
}
fs.closeSync(fd);
process.stdout.write(`${JSON.stringify({ out, inputs, nodesSpan: offset })}\n`);
