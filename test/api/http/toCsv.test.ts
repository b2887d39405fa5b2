import { spreadsheetCsvField, toCsv } from '../../../api/http/toCsv';

/** Splits a cell's text as a spreadsheet would on each separator, ignoring quotes (the worst case). */
const pieces = (cell: string) => cell.replace(/^"|"$/g, '').split(/[,;\t|]/);
const isFormula = (piece: string) => /^ *[=+\-@]/.test(piece);

describe('spreadsheetCsvField', () => {
  it('prefixes a cell that starts a formula with a quote mark', () => {
    expect(spreadsheetCsvField('=1+1')).toBe("'=1+1");
    expect(spreadsheetCsvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(spreadsheetCsvField('\t=1')).toBe('"\'\t\'=1"');
  });

  it.each([
    ["Maths;=cmd|' /C calc'!A0", "\"Maths;'=cmd|' /C calc'!A0\""],
    ['Maths,=HYPERLINK("http://x")', '"Maths,\'=HYPERLINK(""http://x"")"'],
    ['a\t+1', '"a\t\'+1"'],
    ['a| @SUM(1)', "a| '@SUM(1)"],
    ['x;  -2+3', '"x;  \'-2+3"'],
  ])('neutralises a formula after a separator spreadsheets split on: %j', (text, expected) => {
    const cell = spreadsheetCsvField(text);
    expect(cell).toBe(expected);
    expect(pieces(cell).filter(isFormula)).toEqual([]);
  });

  it('leaves ordinary text, dates and numbers as they are', () => {
    expect(spreadsheetCsvField('2025-09-01')).toBe('2025-09-01');
    expect(spreadsheetCsvField('Smith-Jones')).toBe('Smith-Jones');
    expect(spreadsheetCsvField(-3.5)).toBe('-3.5');
    expect(spreadsheetCsvField('a, b')).toBe('"a, b"');
  });

  it('writes RFC 4180 lines with a header', () => {
    expect(toCsv(['s'], [{ s: 'Maths;=1' }])).toBe('s\r\n"Maths;\'=1"\r\n');
  });
});
