import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PreparedQueries } from '../../../../infra/local/athena/PreparedQueries';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const query = (n: number) => `SELECT ${n} AS n, ?::VARCHAR AS s`;
const parameters = [{ kind: 'varchar', text: 'x' }] as const;

describe('PreparedQueries', () => {
  it('prepares a query once per connection and renders its rows as Trino text', async () => {
    const prepared = new PreparedQueries();
    const first = await prepared.get(connection, query(1), parameters);
    expect(first?.columns).toEqual([
      { name: 'n', duckdbType: 'INTEGER' },
      { name: 's', duckdbType: 'VARCHAR' },
    ]);
    expect(await prepared.get(connection, query(1), parameters)).toBe(first);
    first!.statement.bindVarchar(1, 'hello');
    expect((await first!.statement.runAndReadAll()).getRows()).toEqual([['1', 'hello']]);
    prepared.drop(connection);
  });

  it('keeps at most 32 statements per connection, destroying the least recently used', async () => {
    const prepared = new PreparedQueries();
    const first = await prepared.get(connection, query(0), parameters);
    for (let n = 1; n <= 32; n++) await prepared.get(connection, query(n), parameters);
    // The 33rd statement pushed out the first: it was destroyed, and asking again prepares it afresh.
    expect(() => first!.statement.bindVarchar(1, 'x')).toThrow();
    const again = await prepared.get(connection, query(0), parameters);
    expect(again).not.toBe(first);
    // The most recent one is still kept.
    const last = await prepared.get(connection, query(32), parameters);
    expect(await prepared.get(connection, query(32), parameters)).toBe(last);
    prepared.drop(connection);
    expect(() => last!.statement.bindVarchar(1, 'x')).toThrow();
  });
});
