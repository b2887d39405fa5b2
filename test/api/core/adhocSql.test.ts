import { adhocSql } from '../../../api/core/adhocSql';
import { SqlNotAllowedError } from '../../../api/errors';

const policy = { database: 'examlake', tables: ['exam_results', 'item_responses'], maxRows: 100 };

describe('adhocSql', () => {
  it('accepts one SELECT over examlake tables and adds the row limit plus one', () => {
    expect(adhocSql('SELECT subject, count(*) AS n FROM examlake.exam_results GROUP BY subject;', policy)).toEqual({
      sql: 'SELECT subject, count(*) AS n FROM examlake.exam_results GROUP BY subject\nLIMIT 101',
      tables: ['exam_results'],
      rowLimit: 100,
    });
  });

  it('keeps a LIMIT within the cap and caps a larger one by wrapping the query', () => {
    expect(adhocSql('SELECT * FROM examlake.exam_results LIMIT 5', policy)).toMatchObject({ rowLimit: 5 });
    expect(adhocSql('SELECT * FROM examlake.exam_results ORDER BY score LIMIT 5000', policy)).toEqual({
      sql: 'SELECT * FROM (\nSELECT * FROM examlake.exam_results ORDER BY score LIMIT 5000\n) AS adhoc\nLIMIT 101',
      tables: ['exam_results'],
      rowLimit: 100,
    });
  });

  it('lists every table read, through CTEs and joins', () => {
    const q = adhocSql(
      "WITH x AS (SELECT * FROM examlake.exam_results WHERE subject = 'a;b') SELECT * FROM x JOIN examlake.item_responses i ON x.result_id = i.result_id",
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
