/**
 * A one-line progress bar per file on stderr (TTY only): the share of the file on disk parsed so far (the end
 * of the last parsed chunk, not the bytes read, which run ahead of parsing), rows, rows/s. It shows 100% only
 * when every byte is parsed, so the row count next to 100% is the file's.
 */
import { terminalText } from '../core/terminal';

const BAR_WIDTH = 24;

export class Progress {
  private file = '';
  private total = 0;
  private started = 0;
  private lastDraw = 0;

  constructor(private readonly enabled: boolean) {}

  static forStderr(wanted: boolean): Progress {
    return new Progress(wanted && Boolean(process.stderr.isTTY));
  }

  start(file: string, totalBytes: number): void {
    this.file = file;
    this.total = totalBytes;
    this.started = Date.now();
    this.lastDraw = 0;
  }

  /** `bytes`: how far into the file on disk parsing has got (same unit as start's totalBytes). */
  update(bytes: number, rows: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const done = this.total <= 0 || bytes >= this.total;
    // Rounded down, so that a file 99.6% parsed does not already read 100%.
    const fraction = done ? 1 : Math.max(0, bytes / this.total);
    const filled = Math.floor(fraction * BAR_WIDTH);
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const rate = Math.round(rows / seconds);
    process.stderr.write(
      `\r${terminalText(this.file).padEnd(26)} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ` +
        `${rows.toLocaleString('en-US')} rows  ${rate.toLocaleString('en-US')} rows/s\x1b[K`,
    );
  }

  finish(bytes: number, rows: number): void {
    if (!this.enabled) return;
    this.update(bytes, rows, true);
    process.stderr.write('\n');
  }
}
