/** Recovering the raw text of a record from the text it was parsed from, for the rejects file (only runs for rejected rows). */

export class TextLines {
  private starts: Int32Array | null = null;

  /** `text` starts at the beginning of physical line `startLine`. */
  constructor(
    private readonly text: string,
    private readonly startLine: number,
  ) {}

  private index(): Int32Array {
    if (this.starts) return this.starts;
    const starts: number[] = [0];
    for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1)) starts.push(at + 1);
    if (starts[starts.length - 1] !== this.text.length) starts.push(this.text.length);
    this.starts = Int32Array.from(starts);
    return this.starts;
  }

  /** Text of `span` physical lines starting at `line`, without the final line break. */
  slice(line: number, span: number): string {
    const starts = this.index();
    const first = line - this.startLine;
    if (first < 0 || first >= starts.length - 1) return '';
    const last = Math.min(first + span, starts.length - 1);
    let end = starts[last];
    if (end > starts[first] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > starts[first] && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.substring(starts[first], end);
  }
}

/** Physical line breaks in a parsed cell (LF and CRLF each count once, as the reader counts lines). */
export function lineBreaks(cell: string): number {
  let count = 0;
  for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) count++;
  return count;
}
