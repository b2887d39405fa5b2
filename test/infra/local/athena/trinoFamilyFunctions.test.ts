import { translatedFirstRow } from './support/translatedFirstRow';

const firstRow = translatedFirstRow();

/** The first value of a Trino query's first row, as text. */
async function value(trinoSql: string): Promise<string> {
  return (await firstRow(trinoSql))[0] as string;
}

describe('the Trino functions the local engine adds', () => {
  it("hashes with xxHash64 over whole 32-byte stripes and the tail (the algorithm's published test vector)", async () => {
    expect(await value("SELECT to_hex(xxhash64(to_utf8('The quick brown fox jumps over the lazy dog')))")).toBe(
      '0B242D361FDA71BC',
    );
  });

  it("encodes doubles and reals as IEEE 754, subnormals and negative zero included (Trino's test values)", async () => {
    expect(await value("SELECT to_hex(to_ieee754_64(CAST('4.9E-324' AS DOUBLE)))")).toBe('0000000000000001');
    expect(await value("SELECT to_hex(to_ieee754_64(CAST('-0.0' AS DOUBLE)))")).toBe('8000000000000000');
    expect(await value("SELECT to_hex(to_ieee754_32(CAST('-3.4028235E38' AS REAL)))")).toBe('FF7FFFFF');
    expect(await value("SELECT from_ieee754_64(from_hex('7FEFFFFFFFFFFFFF'))")).toBe('1.7976931348623157e+308');
  });

  it('dispatches length, lpad and reverse on varbinary, strings and arrays by their type', async () => {
    expect(await value("SELECT length(X'00FF10')")).toBe('3');
    expect(await value("SELECT length('héllo')")).toBe('5');
    expect(await value("SELECT to_hex(lpad(X'12', 3, X'AB'))")).toBe('ABAB12');
    expect(await value("SELECT reverse('abc')")).toBe('cba');
    expect(await value("SELECT array_join(reverse(ARRAY[1, 2, 3]), ',')")).toBe('3,2,1');
  });
});
