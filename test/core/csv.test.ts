import { csvRow, csvDocument } from '../../src/core/csv';

describe('csv writing', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(csvRow(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'plain'])).toBe(
      `"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),'\tx,"'\rx",plain\n`,
    );
  });
  it('writes numbers as numbers, even negative ones, and empty cells for null and NaN', () => {
    expect(csvRow([-3, 1.5, null, undefined, Number.NaN, true])).toBe('-3,1.5,,,,true\n');
  });
  it('quotes commas, quotes and newlines per RFC 4180', () => {
    expect(csvDocument(['a', 'b'], [['x,y', 'say "hi"\nthere']])).toBe('a,b\n"x,y","say ""hi""\nthere"\n');
  });
});
