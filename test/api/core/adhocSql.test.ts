import { adhocSql } from '../../../api/core/adhocSql';
import { SqlNotAllowedError } from '../../../api/errors';
import { ANALYST_CORPUS } from '../queries/analystCorpus';

const policy = { database: 'examlake', tables: ['exam_results', 'item_responses'], maxLimit: 100 };

describe('adhocSql', () => {
  it('accepts one SELECT over examlake tables with a LIMIT within the cap, as written', () => {
    expect(
      adhocSql('SELECT subject, count(*) AS n FROM examlake.exam_results GROUP BY subject LIMIT 100;', policy),
    ).toEqual({
      sql: 'SELECT subject, count(*) AS n FROM examlake.exam_results GROUP BY subject LIMIT 100',
      tables: ['exam_results'],
      rowLimit: 100,
    });
    expect(adhocSql('SELECT * FROM examlake.exam_results LIMIT 5', policy)).toMatchObject({ rowLimit: 5 });
  });

  it('refuses SQL without a LIMIT and a LIMIT over the cap, naming the cap', () => {
    expect(() => adhocSql('SELECT * FROM examlake.exam_results', policy)).toThrow(SqlNotAllowedError);
    expect(() => adhocSql('SELECT * FROM examlake.exam_results', policy)).toThrow(
      'The SQL has no LIMIT: add LIMIT n with n ≤ 100.',
    );
    expect(() => adhocSql('SELECT * FROM examlake.exam_results LIMIT 101', policy)).toThrow(
      'LIMIT 101 is over the cap: add LIMIT n with n ≤ 100.',
    );
    expect(() =>
      adhocSql('SELECT * FROM (SELECT * FROM examlake.exam_results LIMIT 5) AS x', { ...policy, maxRows: 50 }),
    ).toThrow('no LIMIT');
  });

  it('cuts a LIMIT within the cap but over maxRows by wrapping the query', () => {
    expect(adhocSql('SELECT * FROM examlake.exam_results ORDER BY score LIMIT 90', { ...policy, maxRows: 7 })).toEqual({
      sql: 'SELECT * FROM (\nSELECT * FROM examlake.exam_results ORDER BY score LIMIT 90\n) AS adhoc\nLIMIT 8',
      tables: ['exam_results'],
      rowLimit: 7,
    });
    expect(() => adhocSql('SELECT * FROM examlake.exam_results LIMIT 500', { ...policy, maxRows: 1000 })).toThrow(
      'n ≤ 100',
    );
  });

  it('lists every table read, through CTEs and joins', () => {
    const q = adhocSql(
      "WITH x AS (SELECT * FROM examlake.exam_results WHERE subject = 'a;b') SELECT * FROM x JOIN examlake.item_responses i ON x.result_id = i.result_id LIMIT 10",
      policy,
    );
    expect(q.tables).toEqual(['exam_results', 'item_responses']);
  });

  it.each([
    ['SELECT 1; SELECT 2', /exactly one statement/],
    ['DELETE FROM examlake.exam_results', /Only SELECT/],
    ['SELECT * FROM exam_results', /not readable/],
    ['SELECT * FROM information_schema.tables', /not readable/],
    ['SELECT * FROM other.exam_results', /not readable/],
    ['SELECT * FROM awsdatacatalog.examlake.exam_results', /not readable/],
    ['SELECT * FROM examlake.exam_results UNION ALL SELECT * FROM secret.t', /secret\.t is not readable/],
    ["SELECT * FROM read_csv('/etc/passwd')", /read_csv is not allowed/],
    ["SELECT read_text('/etc/passwd') AS t FROM examlake.exam_results", /read_text is not allowed/],
    ['SELECT 1', /at least one table/],
    ['SELEKT * FROM examlake.exam_results', /does not parse/],
  ])('refuses %s', (sql, message) => {
    expect(() => adhocSql(sql, policy)).toThrow(SqlNotAllowedError);
    expect(() => adhocSql(sql, policy)).toThrow(message);
  });

  it.each([
    ['round(avg(score), 2) AS m', 'SELECT round(avg(score), 2) AS m FROM examlake.exam_results LIMIT 1'],
    ['lower', 'SELECT lower(subject) AS s FROM examlake.exam_results LIMIT 1'],
    ['date_trunc', "SELECT date_trunc('month', submitted_at) AS m FROM examlake.exam_results LIMIT 1"],
    ['date_format', "SELECT date_format(submitted_at, '%Y-%m') AS m FROM examlake.exam_results LIMIT 1"],
    ['regexp_like', "SELECT regexp_like(exam_id, '^MAT') AS r FROM examlake.exam_results LIMIT 1"],
    ['approx_percentile', 'SELECT approx_percentile(score, 0.5) AS p FROM examlake.exam_results LIMIT 1'],
    ['approx_distinct', 'SELECT approx_distinct(student_id) AS n FROM examlake.exam_results LIMIT 1'],
    ['count_if', 'SELECT count_if(passed) AS n FROM examlake.exam_results LIMIT 1'],
    ['split and element_at', "SELECT element_at(split(exam_id, '-'), 1) AS p FROM examlake.exam_results LIMIT 1"],
    ['date_diff', "SELECT date_diff('minute', started_at, submitted_at) AS d FROM examlake.exam_results LIMIT 1"],
    ['arbitrary', 'SELECT arbitrary(school_name) AS s FROM examlake.exam_results LIMIT 1'],
    [
      'from_iso8601_timestamp',
      "SELECT from_iso8601_timestamp('2025-09-01T00:00:00Z') AS t FROM examlake.exam_results LIMIT 1",
    ],
    ['current_date', 'SELECT current_date AS d FROM examlake.exam_results LIMIT 1'],
    ['year(x) AS y', 'SELECT year(submitted_at) AS y FROM examlake.exam_results LIMIT 1'],
    ['UNNEST', 'SELECT s FROM examlake.exam_results CROSS JOIN UNNEST(ARRAY[1, 2]) AS u(s) LIMIT 1'],
    [
      'a CTE read in a subquery of its statement',
      'WITH x AS (SELECT * FROM examlake.exam_results) SELECT * FROM (SELECT * FROM x) AS y LIMIT 1',
    ],
    [
      'a CTE read by a later CTE',
      'WITH a AS (SELECT * FROM examlake.exam_results), b AS (SELECT * FROM a) SELECT * FROM b LIMIT 1',
    ],
  ])('accepts ordinary SQL: %s', (_, sql) => {
    expect(adhocSql(sql, policy)).toMatchObject({ tables: ['exam_results'], rowLimit: 1 });
  });

  it.each([
    ['SELECT * FROM examlake.exam_results LIMIT 10 OFFSET 5', 'SELECT * FROM examlake.exam_results OFFSET 5 LIMIT 10'],
    ['SELECT * FROM examlake.exam_results OFFSET 5 LIMIT 10', 'SELECT * FROM examlake.exam_results OFFSET 5 LIMIT 10'],
    ['SELECT * FROM examlake.exam_results FETCH FIRST 10 ROWS ONLY', 'SELECT * FROM examlake.exam_results LIMIT 10'],
    [
      'SELECT * FROM examlake.exam_results ORDER BY score OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY',
      'SELECT * FROM examlake.exam_results ORDER BY score OFFSET 5 LIMIT 10',
    ],
  ])('reads the row limit of %s as 10, in Trino spelling', (sql, expected) => {
    expect(adhocSql(sql, policy)).toEqual({ sql: expected, tables: ['exam_results'], rowLimit: 10 });
  });

  it('enforces the LIMIT of a set operation on the whole statement by wrapping it', () => {
    const sql = 'SELECT subject FROM examlake.exam_results UNION ALL SELECT subject FROM examlake.exam_results LIMIT 3';
    expect(adhocSql(sql, policy)).toEqual({
      sql: `SELECT * FROM (\n${sql}\n) AS adhoc\nLIMIT 4`,
      tables: ['exam_results'],
      rowLimit: 3,
    });
  });

  it.each([
    // The attack run's bypasses
    [
      'a CTE name used outside the subquery that defines it',
      'SELECT * FROM (WITH x AS (SELECT 1 AS a) SELECT a FROM x) AS s, x LIMIT 1',
      /Table x is not readable/,
    ],
    [
      'a CTE named like a file',
      `WITH "/tmp/athena/spill/profile-1.json" AS (SELECT * FROM examlake.exam_results) SELECT * FROM "/tmp/athena/spill/profile-1.json" LIMIT 1`,
      /plain identifier/,
    ],
    [
      'a parenthesised WITH read by the next branch',
      '(WITH x AS (SELECT * FROM examlake.exam_results) SELECT * FROM x) UNION ALL SELECT * FROM x LIMIT 1',
      /Table x is not readable/,
    ],
    [
      'a CTE read before it is defined',
      'WITH a AS (SELECT * FROM b), b AS (SELECT * FROM examlake.exam_results) SELECT * FROM a LIMIT 1',
      /Table b is not readable/,
    ],
    [
      'a CTE reading itself',
      'WITH x AS (SELECT * FROM x) SELECT * FROM x, examlake.exam_results LIMIT 1',
      /Table x is not readable/,
    ],
    [
      'a qualified function',
      "SELECT main.getenv('HOME') AS h FROM examlake.exam_results LIMIT 1",
      /main\.getenv is not allowed: call functions by their plain name/,
    ],
    ['getenv', "SELECT getenv('HOME') AS h FROM examlake.exam_results LIMIT 1", /getenv is not allowed.*environment/],
    [
      'current_setting',
      "SELECT current_setting('temp_directory') AS d FROM examlake.exam_results LIMIT 1",
      /current_setting/,
    ],
    ['glob in FROM', "SELECT * FROM glob('/tmp/*') LIMIT 1", /Table function glob/],
    ['read_parquet in FROM', "SELECT * FROM read_parquet('/tmp/x.parquet') LIMIT 1", /Table function read_parquet/],
    [
      'read_csv in a subquery',
      "SELECT * FROM examlake.exam_results WHERE student_id IN (SELECT * FROM read_csv('/etc/passwd')) LIMIT 1",
      /read_csv/,
    ],
    ['a file as a table', "SELECT * FROM 'data.csv' LIMIT 1", /not readable/],
    [
      'an unlisted function',
      'SELECT duckdb_settings() AS s FROM examlake.exam_results LIMIT 1',
      /duckdb_settings is not allowed/,
    ],
    [
      'a function not on the allow-list',
      'SELECT version() AS v FROM examlake.exam_results LIMIT 1',
      /version is not allowed.*allow-list/,
    ],
    [
      'another schema in a subquery',
      'SELECT * FROM examlake.exam_results WHERE student_id IN (SELECT a FROM secret.t) LIMIT 1',
      /secret\.t is not readable/,
    ],
    // The parenthesised UNION ALL: its LIMIT belongs to the first branch, not to the statement.
    [
      'a LIMIT on the first branch only',
      '(SELECT * FROM examlake.exam_results LIMIT 1) UNION ALL (SELECT * FROM examlake.exam_results)',
      /no LIMIT/,
    ],
    ['LIMIT ALL', 'SELECT * FROM examlake.exam_results LIMIT ALL', /whole number/],
    ['OFFSET without a LIMIT', 'SELECT * FROM examlake.exam_results OFFSET 5', /no LIMIT/],
  ])('refuses %s', (_, sql, message) => {
    expect(() => adhocSql(sql, policy)).toThrow(SqlNotAllowedError);
    expect(() => adhocSql(sql, policy)).toThrow(message);
  });

  it.each([
    [
      'INTERSECT',
      'SELECT school_id FROM examlake.exam_results INTERSECT SELECT school_id FROM examlake.item_responses LIMIT 5',
    ],
    [
      'EXCEPT ALL',
      'SELECT school_id FROM examlake.exam_results EXCEPT ALL SELECT school_id FROM examlake.item_responses LIMIT 5',
    ],
  ])('accepts %s, runs it as written and limits the whole statement', (_, sql) => {
    expect(adhocSql(sql, policy)).toEqual({
      sql: `SELECT * FROM (\n${sql}\n) AS adhoc\nLIMIT 6`,
      tables: ['exam_results', 'item_responses'],
      rowLimit: 5,
    });
  });

  it('accepts EXISTS, NOT EXISTS and variance, runs them as written, and checks inside them', () => {
    const sql =
      'SELECT variance(score) AS v FROM examlake.exam_results e WHERE EXISTS (SELECT 1 FROM examlake.item_responses i WHERE i.result_id = e.result_id) AND NOT EXISTS (SELECT 1 FROM examlake.item_responses j WHERE j.points < 0) LIMIT 1';
    expect(adhocSql(sql, policy)).toEqual({ sql, tables: ['exam_results', 'item_responses'], rowLimit: 1 });
    expect(() =>
      adhocSql('SELECT 1 AS one FROM examlake.exam_results WHERE EXISTS (SELECT * FROM secret.t) LIMIT 1', policy),
    ).toThrow('secret.t is not readable');
    expect(() =>
      adhocSql(
        "SELECT 1 AS one FROM examlake.exam_results WHERE EXISTS (SELECT * FROM read_csv('/etc/passwd')) LIMIT 1",
        policy,
      ),
    ).toThrow('Table function read_csv');
  });

  it('leaves keywords inside strings, quoted names and comments alone', () => {
    const sql = `SELECT 'INTERSECT' AS "EXCEPT" FROM examlake.exam_results /* EXISTS ( */ -- variance(\nLIMIT 1`;
    expect(adhocSql(sql, policy)).toEqual({ sql, tables: ['exam_results'], rowLimit: 1 });
  });

  it('answers any text with an accepted query or SqlNotAllowedError, never another error (no 500)', () => {
    const unexpected: string[] = [];
    const tries = (sql: string) => {
      try {
        adhocSql(sql, policy);
      } catch (err) {
        if (!(err instanceof SqlNotAllowedError)) unexpected.push(`${sql} → ${String(err)}`);
      }
    };
    for (const [, sql] of ANALYST_CORPUS) {
      for (let cut = 1; cut < sql.length; cut += 11) tries(sql.slice(0, cut));
      tries(sql.replace(/(\w+)\(/g, 'main.$1('));
      tries(sql.replace(/(\w+)\(/g, '"main"."$1"('));
      tries(sql.replace(/(\w+)\(/g, 'awsdatacatalog.main.$1('));
      tries(sql.replace('FROM', 'FROM (SELECT * FROM x) AS s,'));
      tries(sql.replaceAll('examlake.', ''));
      tries(`(${sql}) UNION ALL (${sql})`);
      tries(`WITH exam_results AS (${sql}) SELECT * FROM exam_results LIMIT 1`);
    }
    expect(unexpected).toEqual([]);
  });
});
