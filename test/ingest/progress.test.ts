import { Progress } from '../../src/ingest/progress';

describe('Progress', () => {
  it('draws one line per file with percent, rows and rows/s when enabled', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const progress = new Progress(true);
      progress.start('exchanges.csv', 1000);
      progress.update(250, 12_345, true);
      progress.finish(1000, 50_000);
    } finally {
      spy.mockRestore();
    }
    expect(writes[0]).toMatch(/^\rexchanges\.csv\s+\[#{6}\.{18}\]\s+25%\s+12,345 rows\s+[\d,]+ rows\/s/);
    expect(writes[1]).toMatch(/100%\s+50,000 rows/);
    expect(writes[2]).toBe('\n');
  });

  it('writes nothing when disabled (not a TTY, or --quiet)', () => {
    const spy = jest.spyOn(process.stderr, 'write');
    const progress = new Progress(false);
    progress.start('accounts.csv', 10);
    progress.update(5, 5, true);
    progress.finish(10, 10);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
