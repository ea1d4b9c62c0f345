import { csvRow, csvDocument, csvText, unneutraliseCsvText } from '../../src/core/csv';

describe('csv writing', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(csvRow(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'plain'])).toBe(
      `"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),'\tx,"'\rx",plain\n`,
    );
  });
  it('neutralises reversibly: every value, even one that starts with quotes, reads back exactly', () => {
    expect(csvText("'=x")).toBe("''=x");
    expect(csvText("'plain")).toBe("'plain");
    for (const value of ['=x', "'=x", "''=x", "'plain", "'", "''", 'plain', '-1', "'-1", '@', "'@a", "'\tx"]) {
      const written = csvText(value);
      const cell = written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : written;
      expect(unneutraliseCsvText(cell)).toBe(value);
    }
  });
  it('writes numbers as numbers, even negative ones, and empty cells for null and NaN', () => {
    expect(csvRow([-3, 1.5, null, undefined, Number.NaN, true])).toBe('-3,1.5,,,,true\n');
  });
  it('quotes commas, quotes and newlines per RFC 4180', () => {
    expect(csvDocument(['a', 'b'], [['x,y', 'say "hi"\nthere']])).toBe('a,b\n"x,y","say ""hi""\nthere"\n');
  });
});
