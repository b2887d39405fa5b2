import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queryFailure } from '../../../../infra/local/athena/athenaErrors';
import { parseExecutionParameter } from '../../../../infra/local/athena/executionParameter';
import { LocalQueryEngine } from '../../../../infra/local/athena/LocalQueryEngine';
import { directoryObjectFiles, fixedCatalog, partitionedTable, writeParquet } from './directoryFixtures';

let root: string;
let engine: LocalQueryEngine;
const file = (key: string) => path.join(root, 'lake', key);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'examlake-athena-engine-'));
  const rows = (month: number) =>
    `SELECT 'R' || range AS result_id, 'S' || (range % 3) AS school_id, (range * 1.5)::DECIMAL(7,2) AS score, ` +
    `TIMESTAMP '2025-0${month}-01 08:30:00' + to_minutes(range) AS submitted_at FROM range(${month * 10})`;
  await writeParquet(root, 'lake', {
    'results/year=2025/month=01/part-0.parquet': rows(1),
    'results/year=2025/month=02/part-0.parquet': rows(2),
    'results/year=2025/month=03/part-0.parquet': rows(3),
    'results/year=2025/month=3/ignored.parquet': rows(1),
    'results/year=2025/month=03/_SUCCESS.parquet': rows(1),
    // Written before the table gained submitted_at:
    'evolved/year=2024/month=12/old.parquet': "SELECT 'R0' AS result_id, 'S1' AS school_id, 1.5::DECIMAL(7,2) AS score",
    'evolved/year=2025/month=01/new.parquet': rows(1),
  });
  const columns: [string, string][] = [
    ['result_id', 'string'],
    ['school_id', 'string'],
    ['score', 'decimal(7,2)'],
    ['submitted_at', 'timestamp'],
  ];
  await mkdir(path.join(root, 'lake', 'raw'), { recursive: true });
  await writeFile(
    path.join(root, 'lake', 'raw', 'export.csv'),
    'School,Score,Taken\nS1,12.5,2025-01-02\n"S,2",7,2025-01-03\n',
  );
  engine = await LocalQueryEngine.create({
    catalog: fixedCatalog({
      lake: [
        partitionedTable('results', 's3://lake/results/', columns),
        partitionedTable('empty', 's3://lake/nothing-yet/', columns),
        partitionedTable('evolved', 's3://lake/evolved/', columns),
        {
          Name: 'raw_csv',
          Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
          StorageDescriptor: {
            Location: 's3://lake/raw/',
            Columns: [
              { Name: 'school_id', Type: 'string' },
              { Name: 'score', Type: 'decimal(5,1)' },
              { Name: 'taken_on', Type: 'date' },
            ],
            SerdeInfo: {
              SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
              Parameters: { 'field.delim': ',' },
            },
          },
        },
      ],
    }),
    objects: directoryObjectFiles(root),
    memoryLimit: '256MB',
    spillDir: path.join(root, 'spill'),
  });
});

afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const run = (sql: string, parameters: string[] = [], database = 'lake') =>
  engine.run({ sql, database, parameters: parameters.map(parseExecutionParameter) });

describe('LocalQueryEngine', () => {
  it('reads partitions as typed columns and skips files outside the projection or hidden', async () => {
    const outcome = await run('SELECT year, month, count(*) AS n FROM results GROUP BY 1, 2 ORDER BY 2');
    expect(outcome.columns).toEqual([
      { name: 'year', duckdbType: 'INTEGER' },
      { name: 'month', duckdbType: 'INTEGER' },
      { name: 'n', duckdbType: 'BIGINT' },
    ]);
    expect(outcome.rows).toEqual([
      ['2025', '1', '10'],
      ['2025', '2', '20'],
      ['2025', '3', '30'],
    ]);
  });

  it('counts only the files of the partitions a query scans', async () => {
    const sizes = await Promise.all(
      ['01', '02', '03'].map(async (m) => (await stat(file(`results/year=2025/month=${m}/part-0.parquet`))).size),
    );
    const one = await run('SELECT count(*) FROM lake.results WHERE month = 2');
    expect(one.rows).toEqual([['20']]);
    expect(one.dataScannedBytes).toBe(sizes[1]);
    const all = await run('SELECT count(*) FROM awsdatacatalog.lake.results');
    expect(all.dataScannedBytes).toBe(sizes.reduce((a, b) => (a ?? 0) + (b ?? 0), 0));
  });

  it('measures a statement’s scan for each set of parameter values and reports the same figure on a repeat', async () => {
    const sizes = await Promise.all(
      ['01', '02', '03'].map(async (m) => (await stat(file(`results/year=2025/month=${m}/part-0.parquet`))).size),
    );
    const sql = 'SELECT count(*) FROM results WHERE month = ?';
    const second = await run(sql, ['2']);
    const again = await run(sql, ['2']);
    const third = await run(sql, ['3']);
    expect([second.rows, again.rows, third.rows]).toEqual([[['20']], [['20']], [['30']]]);
    expect([second.dataScannedBytes, again.dataScannedBytes, third.dataScannedBytes]).toEqual([
      sizes[1],
      sizes[1],
      sizes[2],
    ]);
  });

  it('binds execution parameters as values, never as SQL text', async () => {
    const outcome = await run(
      'SELECT count(*) AS n, min(submitted_at) AS first FROM results WHERE school_id = ? AND month = ? AND submitted_at >= ?',
      ["'S1'", '3', "TIMESTAMP '2025-03-01 08:31:00'"],
    );
    expect(outcome.rows).toEqual([['10', '2025-03-01 08:31:00.000']]);
    const injected = await run('SELECT count(*) FROM results WHERE school_id = ?', ["'S1'' OR ''1''=''1'"]);
    expect(injected.rows).toEqual([['0']]);
  });

  it('rejects a parameter that is not a single literal', () => {
    expect(() => parseExecutionParameter("'a' OR 1=1", 0)).toThrow(
      /Execution parameter 1 \("'a' OR 1=1"\) is not a SQL literal/,
    );
  });

  it('reads CSV tables by position with the catalog types, skipping the header line', async () => {
    const outcome = await run('SELECT school_id, score, taken_on FROM raw_csv ORDER BY taken_on');
    expect(outcome.columns.map((c) => c.duckdbType)).toEqual(['VARCHAR', 'DECIMAL(5,1)', 'DATE']);
    expect(outcome.rows).toEqual([
      ['S1', '12.5', '2025-01-02'],
      ['S,2', '7.0', '2025-01-03'],
    ]);
  });

  it('answers SHOW TABLES, SHOW COLUMNS and DESCRIBE (partition keys again under # Partition Information) from the catalog', async () => {
    expect((await run("SHOW TABLES IN lake 'res*|raw*'")).rows).toEqual([['raw_csv'], ['results']]);
    expect((await run('SHOW COLUMNS IN raw_csv')).rows).toEqual([['school_id'], ['score'], ['taken_on']]);
    const described = await run('DESCRIBE lake.results');
    expect(described.columns.map((c) => c.name)).toEqual(['col_name', 'data_type', 'comment']);
    expect(described.rows.map((r) => r.slice(0, 2))).toEqual([
      ['result_id', 'string'],
      ['school_id', 'string'],
      ['score', 'decimal(7,2)'],
      ['submitted_at', 'timestamp'],
      ['year', 'int'],
      ['month', 'int'],
      ['', null],
      ['# Partition Information', null],
      ['# col_name', 'data_type'],
      ['', null],
      ['year', 'int'],
      ['month', 'int'],
    ]);
    await expect(run('DESCRIBE lake.nope')).rejects.toThrow("TABLE_NOT_FOUND: Table 'lake.nope' does not exist");
  });

  it('reads a column that older files lack as NULL', async () => {
    const outcome = await run(
      'SELECT year, count(*) AS n, count(submitted_at) AS with_time FROM evolved GROUP BY year ORDER BY year',
    );
    expect(outcome.rows).toEqual([
      ['2024', '1', '0'],
      ['2025', '10', '10'],
    ]);
  });

  it('answers a table with no files with typed empty results', async () => {
    const outcome = await run('SELECT result_id, score, year FROM empty');
    expect(outcome.rows).toEqual([]);
    expect(outcome.columns.map((c) => c.duckdbType)).toEqual(['VARCHAR', 'DECIMAL(7,2)', 'INTEGER']);
    expect(outcome.dataScannedBytes).toBe(0);
  });

  it('names missing tables and schemas as Athena does', async () => {
    await expect(run('SELECT * FROM nope')).rejects.toThrow(
      "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.lake.nope' does not exist",
    );
    await expect(run('SELECT *\nFROM other.t')).rejects.toThrow(
      "SCHEMA_NOT_FOUND: line 2:6: Schema 'other' does not exist",
    );
  });

  it('refuses statements other than one query', async () => {
    await expect(run("COPY (SELECT 1) TO '/tmp/x.csv'")).rejects.toThrow(/Only SELECT queries/);
    await expect(run("ATTACH '/tmp/x.db'")).rejects.toThrow(/Only SELECT queries/);
    await expect(run('SELECT 1; SELECT 2')).rejects.toThrow('Only one SQL statement is allowed');
    await expect(run('SELEC 1')).rejects.toThrow(/syntax error/);
  });

  it('reads no file outside the tables the query names', async () => {
    await expect(run("SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(
      "FUNCTION_NOT_FOUND: line 1:15: Table function 'read_text' not registered",
    );
    await expect(
      run(`SELECT * FROM read_parquet('${file('results/year=2025/month=3/ignored.parquet')}')`),
    ).rejects.toThrow("Table function 'read_parquet' not registered");
  });

  it('resolves a CTE name only in the query that defines it, so a name outside is a catalog table', async () => {
    // The attack run's escape: a CTE named like a file, defined in a subquery, named again outside it, where
    // DuckDB would read the file (the spill directory holds other callers' query profiles).
    await writeFile(file('../spill/profile-stolen.json'), '{"secret": "STU-000001"}');
    const shadow = `"${file('../spill/profile-stolen.json')}"`;
    await expect(
      run(`SELECT * FROM (WITH ${shadow} AS (SELECT 1 AS a) SELECT a FROM ${shadow}) AS s, ${shadow}`),
    ).rejects.toThrow(
      /TABLE_NOT_FOUND: line 1:\d+: Table 'awsdatacatalog\.lake\..*profile-stolen\.json' does not exist/,
    );
    const scoped = await run('WITH x AS (SELECT count(*) AS n FROM results) SELECT n FROM (SELECT * FROM x) AS y');
    expect(scoped.rows).toEqual([['60']]);
  });

  it('names unaliased expressions as Athena does, through subqueries and set operations', async () => {
    const names = async (sql: string) => (await run(sql)).columns.map((c) => c.name);
    expect(await names('SELECT count(*), school_id, score + 1, max(score) AS top FROM results GROUP BY 2, 3')).toEqual([
      '_col0',
      'school_id',
      '_col2',
      'top',
    ]);
    expect(await names('SELECT * FROM (SELECT count(*), CAST(1 AS integer) FROM results) AS adhoc LIMIT 5')).toEqual([
      '_col0',
      '_col1',
    ]);
    expect(await names('SELECT 1, school_id FROM results UNION ALL SELECT 2, school_id FROM results')).toEqual([
      '_col0',
      'school_id',
    ]);
    expect(await names('SELECT * FROM results LIMIT 1')).toEqual([
      'result_id',
      'school_id',
      'score',
      'submitted_at',
      'year',
      'month',
    ]);
  });

  it('does not run again a statement known to scan more than the cutoff', async () => {
    const query = { sql: 'SELECT count(*) AS n FROM results WHERE month = 2', database: 'lake', parameters: [] };
    const first = await engine.run({ ...query, bytesScannedCutoff: 1 });
    expect(first.rows).toEqual([['20']]);
    expect(first.dataScannedBytes).toBeGreaterThan(1);
    const again = await engine.run({ ...query, bytesScannedCutoff: 1 });
    expect(again).toEqual({ columns: [], rows: [], dataScannedBytes: first.dataScannedBytes });
    expect((await engine.run({ ...query, bytesScannedCutoff: first.dataScannedBytes })).rows).toEqual([['20']]);
  });

  it('words engine errors as Athena does', async () => {
    const reason = (sql: string) =>
      run(sql).then(
        () => 'succeeded',
        (err) => queryFailure(err).ErrorMessage,
      );
    expect(await reason('SELECT nosuch FROM results')).toBe(
      "COLUMN_NOT_FOUND: Column 'nosuch' cannot be resolved or requester is not authorized to access requested resources",
    );
    expect(await reason('SELECT nosuchfn(score) FROM results')).toBe(
      "FUNCTION_NOT_FOUND: Function 'nosuchfn' not registered",
    );
    expect(await reason('SELECT school_id, count(*) FROM results GROUP BY 1 HAVING score > 1')).toMatch(
      /^EXPRESSION_NOT_AGGREGATE: 'score' must be an aggregate expression or appear in GROUP BY clause$/,
    );
    expect(await reason("SELECT abs('x') FROM results")).toMatch(/^(FUNCTION_NOT_FOUND|TYPE_MISMATCH): /);
  });

  it("keeps Trino's decimal scale when a decimal column is divided and a decimal expression averaged", async () => {
    const outcome = await run(
      'SELECT sum(score) / count(*) AS mean, typeof(sum(score) / count(*)) AS t, avg(score * 2) AS doubled, ' +
        'avg(CASE WHEN score > 3 THEN 1.0 ELSE 0.0 END) AS share FROM results WHERE month = 1',
    );
    // sum: decimal(38,2) 67.50; count: bigint; share: 7 of 10 at decimal(2,1).
    expect(outcome.rows).toEqual([['6.75', 'decimal(38,2)', '13.50', '0.7']]);
    expect(outcome.columns.map((c) => c.duckdbType)).toEqual([
      'DECIMAL(38,2)',
      'VARCHAR',
      'DECIMAL(17,2)',
      'DECIMAL(2,1)',
    ]);
  });

  it('reads a subquery column named like a decimal table column with its own type', async () => {
    const outcome = await run(
      'SELECT avg(score) AS m FROM (SELECT CAST(score AS double) / 4 AS score FROM results WHERE month = 1) AS d',
    );
    expect(outcome.rows).toEqual([['1.6875']]);
    expect(outcome.columns.map((c) => c.duckdbType)).toEqual(['DOUBLE']);
  });

  it('writes a timestamp with time zone in its zone, and groups zoned values by their instant', async () => {
    const zoned = await run(
      "SELECT submitted_at AT TIME ZONE 'America/New_York' AS ny, hour(submitted_at AT TIME ZONE 'Asia/Kolkata') AS h " +
        'FROM results WHERE month = 1 ORDER BY submitted_at LIMIT 1',
    );
    expect(zoned.rows).toEqual([['2025-01-01 03:30:00.000 America/New_York', '14']]);
    const grouped = await run(
      "SELECT from_iso8601_timestamp(s) AS t, count(*) AS n FROM (VALUES '2020-05-11T11:15:05+01:00', " +
        "'2020-05-11T10:15:05Z') AS v(s) GROUP BY from_iso8601_timestamp(s)",
    );
    expect(grouped.rows).toEqual([['2020-05-11 10:15:05.000 UTC', '2']]);
  });

  it('runs the Trino functions reports use', async () => {
    const outcome = await run(
      "SELECT approx_percentile(score, 0.5) IS NOT NULL AS p, date_format(TIMESTAMP '2025-03-04 05:06:07', '%Y-%m-%d %H:%i:%s') AS f, " +
        "element_at(ARRAY[1, 2, 3], -1) AS e, regexp_like('S001', '^S\\d+$') AS r, width_bucket(5.0, 0.0, 10.0, 4) AS w, " +
        "from_iso8601_timestamp('2025-01-01T10:00:00+02:00') AS t FROM results WHERE month = 1",
    );
    expect(outcome.rows).toEqual([['true', '2025-03-04 05:06:07', '3', 'true', '3', '2025-01-01 10:00:00.000 +02:00']]);
  });
});
