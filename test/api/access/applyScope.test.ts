import { applyScope, assertUnrestricted } from '../../../api/access/applyScope';
import { scopeFor } from '../../../api/access/Scope';
import { ForbiddenError } from '../../../api/errors';
import { caller, grant } from './callers';
import { ScopedDuckDB } from './scopedDuckDB';

const attempt = (id: string, school: string, district: string, region: string, subject: string) => ({
  result_id: id,
  exam_id: 'E1',
  subject,
  school_id: school,
  district_id: district,
  region,
  student_id: `stu-${id}`,
  student_name: `Name ${id}`,
  student_key: `key-${id}`,
  score: 5,
  max_score: 10,
  passed: 'true',
  year: 2025,
  month: 3,
});

const options = { database: 'examlake' };
const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r['result_id']).sort();

/** These tests are about rows and columns: the deployment's floor on the minimum cell size is lowered to 1. */
const NO_FLOOR = { minimumCellSizeFloor: 1 };

describe('applyScope', () => {
  let db: ScopedDuckDB;
  beforeAll(async () => {
    db = await ScopedDuckDB.create({
      exam_results: [
        attempt('r1', 'S1', 'D1', 'north', 'maths'),
        attempt('r2', 'S2', 'D1', 'north', 'art'),
        attempt('r3', 'S3', 'D2', 'south', 'maths'),
        attempt('r4', "S4' OR '1'='1", 'D3', 'south', 'maths'),
      ],
      item_responses: [
        {
          result_id: 'r1',
          exam_id: 'E1',
          school_id: 'S1',
          student_id: 'stu-r1',
          question_id: 'q1',
          student_key: 'key-r1',
        },
        {
          result_id: 'r3',
          exam_id: 'E1',
          school_id: 'S3',
          student_id: 'stu-r3',
          question_id: 'q1',
          student_key: 'key-r3',
        },
      ],
    });
  });
  afterAll(() => db.close());

  const report = {
    sql: 'SELECT * FROM exam_results WHERE exam_id = ?',
    parameters: ['E1'],
    datasets: ['exam_results'],
  };

  it('returns every row to an analyst', async () => {
    expect(ids(await db.run(applyScope(report, scopeFor(caller('analyst')), options)))).toEqual([
      'r1',
      'r2',
      'r3',
      'r4',
    ]);
  });

  it('returns a school administrator the rows of their schools or districts only', async () => {
    const scope = scopeFor(caller('school_admin', { schoolIds: ['S3'], districtIds: ['D1'] }));
    const scoped = applyScope(report, scope, options);
    expect(ids(await db.run(scoped))).toEqual(['r1', 'r2', 'r3']);
    expect(scoped.sql).not.toContain('S3');
    expect(scoped.parameters).toEqual(['S3', 'D1', 'E1']);
  });

  it('keeps a value full of SQL metacharacters a parameter', async () => {
    const scope = scopeFor(caller('school_admin', { schoolIds: ["S4' OR '1'='1"] }));
    const scoped = applyScope(report, scope, options);
    expect(scoped.sql).not.toContain("'1'='1");
    expect(ids(await db.run(scoped))).toEqual(['r4']);
  });

  it('applies every row filter of a partner grant and replaces student ids by student_key', async () => {
    const scope = scopeFor(
      caller('partner', { partnerId: 'acme' }),
      grant({ rowFilters: { regions: ['north'], subjects: ['maths'] }, minimumCellSize: 1 }),
      NO_FLOOR,
    );
    const rows = await db.run(applyScope(report, scope, options));
    expect(rows.map((r) => r['student_id'])).toEqual(['key-r1']);
    expect(Object.keys(rows[0]!)).not.toContain('result_id');
    const all = await db.run(
      applyScope(
        { ...report, sql: 'SELECT * FROM exam_results', parameters: [] },
        scopeFor(
          caller('partner', { partnerId: 'acme' }),
          grant({ columns: [...grant().columns, 'result_id'], minimumCellSize: 1 }),
          NO_FLOOR,
        ),
        options,
      ),
    );
    expect(all.map((r) => r['student_id']).sort()).toEqual(['key-r1', 'key-r2']);
    expect(all.every((r) => r['student_name'] === r['student_key'])).toBe(true);
    expect(Object.keys(all[0]!)).not.toContain('district_id');
  });

  it('drops PII columns entirely when the grant hides student_key', async () => {
    const scope = scopeFor(
      caller('partner', { partnerId: 'acme' }),
      grant({ columns: ['result_id', 'school_id'], minimumCellSize: 1 }),
      NO_FLOOR,
    );
    const rows = await db.run(
      applyScope({ ...report, sql: 'SELECT * FROM exam_results', parameters: [] }, scope, options),
    );
    expect(Object.keys(rows[0]!).sort()).toEqual(['result_id', 'school_id']);
  });

  it('filters a dataset without the filter column through exam_results', async () => {
    const scope = scopeFor(caller('school_admin', { districtIds: ['D2'] }));
    const scoped = applyScope(
      { sql: 'SELECT result_id FROM item_responses', parameters: [], datasets: ['item_responses'] },
      scope,
      options,
    );
    expect(ids(await db.run(scoped))).toEqual(['r3']);
    expect(scoped.datasets).toEqual(['exam_results', 'item_responses']);
  });

  it('merges its CTEs with a query that has its own', async () => {
    const scope = scopeFor(caller('school_admin', { schoolIds: ['S1'] }));
    const scoped = applyScope(
      {
        sql: 'WITH mine AS (SELECT * FROM exam_results WHERE subject = ?) SELECT result_id FROM mine',
        parameters: ['maths'],
        datasets: ['exam_results'],
      },
      scope,
      options,
    );
    expect(ids(await db.run(scoped))).toEqual(['r1']);
  });

  it('refuses datasets, columns and rows outside the scope with 403', () => {
    const partner = caller('partner', { partnerId: 'acme' });
    expect(() => applyScope({ ...report, datasets: ['item_responses'] }, scopeFor(partner, grant()), options)).toThrow(
      ForbiddenError,
    );
    expect(() =>
      applyScope({ ...report, columnsRead: { exam_results: ['teacher_id'] } }, scopeFor(partner, grant()), options),
    ).toThrow(/teacher_id/);
    expect(() => applyScope(report, scopeFor(partner), options)).toThrow(/no grant/);
    expect(() => applyScope(report, scopeFor(caller('steward')), options)).toThrow(ForbiddenError);
    expect(() => applyScope(report, scopeFor(caller('public')), options)).toThrow(ForbiddenError);
  });

  it('refuses query text that would bypass the scoped tables', () => {
    const scope = scopeFor(caller('analyst'));
    expect(() => applyScope({ ...report, sql: 'SELECT * FROM examlake.exam_results' }, scope, options)).toThrow(
      /bare name/,
    );
    expect(() =>
      applyScope({ ...report, sql: 'WITH exam_results AS (SELECT 1) SELECT * FROM exam_results' }, scope, options),
    ).toThrow(/shadow/);
  });

  it('lets only unrestricted scopes run ad-hoc SQL', () => {
    expect(() => assertUnrestricted(scopeFor(caller('analyst')))).not.toThrow();
    expect(() => assertUnrestricted(scopeFor(caller('school_admin', { schoolIds: ['S1'] })))).toThrow(ForbiddenError);
    expect(() =>
      assertUnrestricted(scopeFor(caller('partner', { partnerId: 'acme' }), grant({ rowFilters: {} }))),
    ).toThrow(ForbiddenError);
  });
});
