/** Recovering the raw text of a record from its chunk, for the rejects file (only runs for rejected rows). */

export class ChunkLines {
  private starts: Int32Array | null = null;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly startLine: number,
  ) {}

  private index(): Int32Array {
    if (this.starts) return this.starts;
    const starts: number[] = [0];
    const buffer = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
    for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) starts.push(at + 1);
    if (starts[starts.length - 1] !== this.bytes.length) starts.push(this.bytes.length);
    this.starts = Int32Array.from(starts);
    return this.starts;
  }

  /** Text of `span` physical lines starting at `line`, without the final line break. */
  text(line: number, span: number): string {
    const starts = this.index();
    const first = line - this.startLine;
    const last = Math.min(first + span, starts.length - 1);
    if (first < 0 || first >= starts.length - 1) return '';
    let end = starts[last];
    if (end > starts[first] && this.bytes[end - 1] === 10) end--;
    if (end > starts[first] && this.bytes[end - 1] === 13) end--;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString('utf8', starts[first], end);
  }
}

/** Physical line breaks in a parsed cell (LF and CRLF each count once, as the reader counts lines). */
export function lineBreaks(cell: string): number {
  let count = 0;
  for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) count++;
  return count;
}
