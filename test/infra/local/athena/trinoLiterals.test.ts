import { translatedFirstRow } from './support/translatedFirstRow';

const firstRow = translatedFirstRow();

describe('Trino literals through the translation', () => {
  it('keeps integers and decimals beyond a double exactly', async () => {
    expect(
      await firstRow(
        'SELECT CAST(9223372036854775807 AS varchar), CAST(1234567890123456789012345678 AS varchar), CAST(12345678901234567.25 AS varchar)',
      ),
    ).toEqual(['9223372036854775807', '1234567890123456789012345678', '12345678901234567.25']);
  });

  it('leaves a string that holds such a constant in JSON as written', async () => {
    expect(await firstRow('SELECT \'{"value":12345678901234567}\', \'{"value":{"upper":1,"lower":2}}\'')).toEqual([
      '{"value":12345678901234567}',
      '{"value":{"upper":1,"lower":2}}',
    ]);
  });

  it("reads X'58F7' as varbinary and 'x58F7' as a string", async () => {
    expect(await firstRow("SELECT to_hex(X'58F7'), typeof(X'58F7'), 'x58F7'")).toEqual(['58F7', 'varbinary', 'x58F7']);
  });

  it('reads 1.5E0 and 1E0 as doubles and 1.5 as a decimal', async () => {
    expect(await firstRow('SELECT typeof(1.5E0), typeof(1E0), typeof(1.5), round(-3.5E0)')).toEqual([
      'double',
      'double',
      'decimal(2,1)',
      '-4',
    ]);
  });
});
