import { csvField, toCsv } from '../../../api/http/toCsv';

/** Splits a cell's text as a spreadsheet would on each separator, ignoring quotes (the worst case). */
const pieces = (cell: string) => cell.replace(/^"|"$/g, '').split(/[,;\t|]/);
const isFormula = (piece: string) => /^ *[=+\-@]/.test(piece);

describe('csvField', () => {
  it('prefixes a cell that starts a formula with a quote mark', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe('"\'\t\'=1"');
  });

  it.each([
    ["Maths;=cmd|' /C calc'!A0", "\"Maths;'=cmd|' /C calc'!A0\""],
    ['Maths,=HYPERLINK("http://x")', '"Maths,\'=HYPERLINK(""http://x"")"'],
    ['a\t+1', '"a\t\'+1"'],
    ['a| @SUM(1)', "a| '@SUM(1)"],
    ['x;  -2+3', '"x;  \'-2+3"'],
  ])('neutralises a formula after a separator spreadsheets split on: %j', (text, expected) => {
    const cell = csvField(text);
    expect(cell).toBe(expected);
    expect(pieces(cell).filter(isFormula)).toEqual([]);
  });

  it('leaves ordinary text, dates and numbers as they are', () => {
    expect(csvField('2025-09-01')).toBe('2025-09-01');
    expect(csvField('Smith-Jones')).toBe('Smith-Jones');
    expect(csvField(-3.5)).toBe('-3.5');
    expect(csvField('a, b')).toBe('"a, b"');
  });

  it('writes RFC 4180 lines with a header', () => {
    expect(toCsv(['s'], [{ s: 'Maths;=1' }])).toBe('s\r\n"Maths;\'=1"\r\n');
  });
});
