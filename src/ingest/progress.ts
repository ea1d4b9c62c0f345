/** A one-line progress bar per file on stderr (TTY only): bytes read of the file on disk, rows, rows/s. */

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

  update(bytes: number, rows: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const fraction = this.total > 0 ? Math.min(1, bytes / this.total) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const rate = Math.round(rows / seconds);
    process.stderr.write(
      `\r${this.file.padEnd(26)} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ` +
        `${rows.toLocaleString('en-US')} rows  ${rate.toLocaleString('en-US')} rows/s\x1b[K`,
    );
  }

  finish(bytes: number, rows: number): void {
    if (!this.enabled) return;
    this.update(bytes, rows, true);
    process.stderr.write('\n');
  }
}
