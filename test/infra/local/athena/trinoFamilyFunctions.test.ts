import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { statementShape } from '../../../../infra/local/athena/statementTables';
import { TRINO_MACROS } from '../../../../infra/local/athena/trinoFunctions';

let instance: DuckDBInstance;
let duckdb: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  duckdb = await instance.connect();
  for (const macro of TRINO_MACROS) await duckdb.run(macro);
});

afterAll(() => {
  duckdb.closeSync();
  instance.closeSync();
});

async function value(trinoSql: string): Promise<string> {
  const { duckdbSql } = await statementShape(duckdb, trinoSql);
  return String((await duckdb.runAndReadAll(duckdbSql)).getRows()[0]?.[0]);
}

describe('the Trino functions the local engine adds', () => {
  it("hashes with xxHash64 over whole 32-byte stripes and the tail (the algorithm's published test vector)", async () => {
    expect(await value("SELECT to_hex(xxhash64(to_utf8('The quick brown fox jumps over the lazy dog')))")).toBe(
      '0B242D361FDA71BC',
    );
  });

  it('dispatches length, lpad and reverse on varbinary, strings and arrays by their type', async () => {
    expect(await value("SELECT length(X'00FF10')")).toBe('3');
    expect(await value("SELECT length('héllo')")).toBe('5');
    expect(await value("SELECT to_hex(lpad(X'12', 3, X'AB'))")).toBe('ABAB12');
    expect(await value("SELECT reverse('abc')")).toBe('cba');
    expect(await value("SELECT array_join(reverse(ARRAY[1, 2, 3]), ',')")).toBe('3,2,1');
  });
});
