import { adhocSql } from '../../../api/core/adhocSql';
import { SqlNotAllowedError } from '../../../api/errors';

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
});
