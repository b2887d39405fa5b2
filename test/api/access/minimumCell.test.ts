import { applyScope } from '../../../api/access/applyScope';
import { applyMinimumCell } from '../../../api/access/minimumCell';
import { scopeFor } from '../../../api/access/Scope';
import { ForbiddenError } from '../../../api/errors';
import { REPORTS } from '../../../api/reports/catalog';
import { schoolSummary } from '../../../api/reports/schoolSummary';
import { caller, grant } from './callers';
import { ScopedDuckDB } from './scopedDuckDB';

const attempt = (n: number, school: string) => ({
  result_id: `r${school}${n}`,
  exam_id: 'E1',
  subject: 'maths',
  school_id: school,
  region: 'north',
  student_key: `key-${school}-${n}`,
  student_id: `stu-${school}-${n}`,
  score: 5,
  max_score: 10,
  passed: 'true',
});

const options = { database: 'examlake' };
const perSchool = {
  sql: 'WITH a AS (SELECT school_id, student_id FROM exam_results)\nSELECT a.school_id, count(DISTINCT a.student_id) AS students FROM a GROUP BY a.school_id\nORDER BY a.school_id DESC',
  parameters: [],
  datasets: ['exam_results'],
  groupSizeColumn: 'students',
};
const partner = (minimumCellSize: number) =>
  scopeFor(
    caller('partner', { partnerId: 'acme' }),
    grant({ minimumCellSize, rowFilters: {}, columns: [...grant().columns, 'exam_title', 'submitted_at'] }),
    { minimumCellSizeFloor: 1 },
  );

describe('applyMinimumCell', () => {
  let db: ScopedDuckDB;
  beforeAll(async () => {
    db = await ScopedDuckDB.create({
      exam_results: [
        ...Array.from({ length: 12 }, (_, n) => attempt(n, 'S1')),
        ...Array.from({ length: 3 }, (_, n) => attempt(n, 'S2')),
        ...Array.from({ length: 10 }, (_, n) => attempt(n, 'S3')),
      ],
    });
  });
  afterAll(() => db.close());

  it('leaves a query unchanged for scopes without a minimum', () => {
    expect(applyMinimumCell(perSchool, scopeFor(caller('analyst')))).toBe(perSchool);
    expect(applyMinimumCell({ ...perSchool, groupSizeColumn: null }, partner(1))).toEqual({
      ...perSchool,
      groupSizeColumn: null,
    });
  });

  it('wraps the query with the minimum as a parameter and keeps its order outside', () => {
    const wrapped = applyMinimumCell({ ...perSchool, parameters: ['x'] }, partner(10));
    expect(wrapped.sql).toBe(
      `SELECT * FROM (${perSchool.sql.replace(/\nORDER BY.*$/, '')}) AS r WHERE r.students >= ? ORDER BY school_id DESC`,
    );
    expect(wrapped.parameters).toEqual(['x', 10]);
    expect(wrapped.sql).not.toContain('10');
  });

  it('leaves out the rows of groups below the minimum, on real SQL', async () => {
    const analyst = await db.run(applyScope(perSchool, scopeFor(caller('analyst')), options));
    expect(analyst.map((r) => [r['school_id'], Number(r['students'])])).toEqual([
      ['S3', 10],
      ['S2', 3],
      ['S1', 12],
    ]);
    const scoped = applyScope(perSchool, partner(10), options);
    expect(scoped.parameters.at(-1)).toBe(10);
    const rows = await db.run(scoped);
    expect(rows.map((r) => [r['school_id'], Number(r['students'])])).toEqual([
      ['S3', 10],
      ['S1', 12],
    ]);
    expect((await db.run(applyScope(perSchool, partner(11), options))).map((r) => r['school_id'])).toEqual(['S1']);
  });

  it('refuses queries whose rows describe individuals to scopes with a minimum (403)', () => {
    expect(() => applyScope({ ...perSchool, groupSizeColumn: null }, partner(10), options)).toThrow(ForbiddenError);
    expect(() => applyMinimumCell({ ...perSchool, groupSizeColumn: null }, partner(10))).toThrow(/minimum cell size/);
  });

  it('refuses undeclared or malformed group size columns as a programming error', () => {
    expect(() => applyMinimumCell({ ...perSchool, groupSizeColumn: undefined }, partner(10))).toThrow(
      /groupSizeColumn/,
    );
    expect(() => applyMinimumCell({ ...perSchool, groupSizeColumn: 'students; DROP' }, partner(10))).toThrow(
      /groupSizeColumn/,
    );
  });

  it('runs a real report wrapped, its output column the declared one', async () => {
    const { sql, parameters } = schoolSummary.query({ schoolId: 'S1' }).render();
    const query = { sql, parameters, datasets: schoolSummary.datasets, groupSizeColumn: schoolSummary.groupSizeColumn };
    const rows = await db.run(applyScope(query, partner(10), options));
    expect(rows.map((r) => Number(r['students']))).toEqual([12]);
    expect(await db.run(applyScope({ ...query, parameters: ['S2'] }, partner(10), options))).toEqual([]);
  });
});

describe('report definitions under a minimum cell size', () => {
  it('declare an output column as group size and order by output columns only', () => {
    for (const report of REPORTS) {
      const names = report.columns.map((c) => c.name);
      if (report.groupSizeColumn !== null) expect(names).toContain(report.groupSizeColumn);
      const order = /\sORDER\s+BY\s+([A-Za-z0-9_.,\s]+?)\s*$/i.exec(report.query({}).render().sql);
      expect(order).not.toBeNull();
      for (const term of order![1]!.split(',')) {
        expect(names).toContain(
          term
            .trim()
            .replace(/^[a-z_][a-z0-9_]*\./i, '')
            .replace(/\s+(ASC|DESC)$/i, ''),
        );
      }
    }
  });
});
