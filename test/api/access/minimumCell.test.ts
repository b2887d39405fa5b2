import { applyScope } from '../../../api/access/applyScope';
import { applyMinimumCell } from '../../../api/access/minimumCell';
import { scopeFor } from '../../../api/access/Scope';
import { ForbiddenError } from '../../../api/errors';
import { REPORTS } from '../../../api/reports/catalog';
import { schoolSummary } from '../../../api/reports/schoolSummary';
import { caller, grant } from './callers';
import { ScopedDuckDB } from './scopedDuckDB';

const attempt = (n: number, school: string, month = '2026-01') => ({
  result_id: `r${school}${n}${month}`,
  class_id: `${school}-C1`,
  submitted_at: `${month}-15 10:00:00`,
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
  columns: ['school_id', 'students'],
  disclosure: { keys: ['school_id'], counts: ['students'] },
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
    expect(applyMinimumCell({ ...perSchool, disclosure: null }, partner(1))).toEqual({
      ...perSchool,
      disclosure: null,
    });
  });

  it('wraps the query with the minimum as a parameter and keeps its order outside', () => {
    const wrapped = applyMinimumCell({ ...perSchool, parameters: ['x'] }, partner(10));
    expect(wrapped.sql).toContain(`FROM (${perSchool.sql.replace(/\nORDER BY.*$/, '')}) AS r`);
    expect(wrapped.sql).toContain('CASE WHEN r.students < ? THEN 1 ELSE 0 END AS below');
    expect(wrapped.sql).toMatch(/ ORDER BY school_id DESC$/);
    expect(wrapped.parameters).toEqual([10, 'x']);
    expect(wrapped.sql).not.toContain('10');
  });

  it('withholds the figures of groups below the minimum and counts them, on real SQL', async () => {
    const analyst = await db.run(applyScope(perSchool, scopeFor(caller('analyst')), options));
    expect(analyst.map((r) => [r['school_id'], Number(r['students'])])).toEqual([
      ['S3', 10],
      ['S2', 3],
      ['S1', 12],
    ]);
    const scoped = applyScope(perSchool, partner(10), options);
    expect(scoped.parameters.at(-1)).toBe(10);
    const rows = await db.run(scoped);
    // S2's 3 students are a class-month atom below the minimum: left out of the scoped view altogether.
    expect(rows.map((r) => [r['school_id'], r['students'], r['withheld'], r['withheld_groups']])).toEqual([
      ['S3', '10', null, '0'],
      ['S1', '12', null, '0'],
    ]);
    expect(
      (await db.run(applyScope(perSchool, partner(11), options))).map((r) => [r['school_id'], r['withheld']]),
    ).toEqual([['S1', null]]);
  });

  it('refuses queries whose rows describe individuals to scopes with a minimum (403)', () => {
    expect(() => applyScope({ ...perSchool, disclosure: null }, partner(10), options)).toThrow(ForbiddenError);
    expect(() => applyMinimumCell({ ...perSchool, disclosure: null }, partner(10))).toThrow(/minimum cell size/);
  });

  it('refuses undeclared or malformed disclosure declarations as a programming error', () => {
    expect(() => applyMinimumCell({ ...perSchool, disclosure: undefined }, partner(10))).toThrow(/disclosure/);
    expect(() =>
      applyMinimumCell({ ...perSchool, disclosure: { keys: [], counts: ['students; DROP'] } }, partner(10)),
    ).toThrow(/column/);
    expect(() => applyMinimumCell({ ...perSchool, disclosure: { keys: [], counts: ['pupils'] } }, partner(10))).toThrow(
      /not an output column/,
    );
  });

  it('runs a real report wrapped, its output column the declared one', async () => {
    const { sql, parameters } = schoolSummary.query({ schoolId: 'S1' }).render();
    const query = {
      sql,
      parameters,
      datasets: schoolSummary.datasets,
      columns: schoolSummary.columns.map((c) => c.name),
      disclosure: schoolSummary.disclosure,
    };
    const rows = await db.run(applyScope(query, partner(10), options));
    expect(rows.map((r) => Number(r['students']))).toEqual([12]);
    expect(Object.keys(rows[0]!)).toEqual([...query.columns, 'withheld', 'withheld_groups']);
    expect(await db.run(applyScope({ ...query, parameters: ['S2'] }, partner(10), options))).toEqual([]);
  });

  it('counts attempts and distinct students of each class-month atom, so retakes cannot lift a small group', async () => {
    const retakes = await ScopedDuckDB.create({
      exam_results: [
        ...Array.from({ length: 10 }, (_, n) => attempt(n, 'S4', '2026-02')),
        ...Array.from({ length: 10 }, (_, n) => attempt(n, 'S4', '2026-03')),
      ],
    });
    try {
      const { sql, parameters } = schoolSummary.query({ schoolId: 'S4' }).render();
      const query = {
        sql,
        parameters,
        datasets: schoolSummary.datasets,
        columns: schoolSummary.columns.map((c) => c.name),
        disclosure: { ...schoolSummary.disclosure!, counts: ['attempts', 'students'] },
      };
      const [row] = await retakes.run(applyScope(query, partner(25), options));
      // 20 attempts by 10 students, but every atom is below 25: the scoped view is empty.
      expect(row).toBeUndefined();
      const [shown] = await retakes.run(applyScope(query, partner(10), options));
      expect(shown).toMatchObject({ attempts: '20', students: '10', withheld: null });
      const [hidden] = await retakes.run(applyScope(query, partner(11), options));
      expect(hidden).toBeUndefined();
    } finally {
      retakes.close();
    }
  });
});

describe('report definitions under a minimum cell size', () => {
  it('declare output columns in their disclosure and order by output columns only', () => {
    for (const report of REPORTS) {
      const names = report.columns.map((c) => c.name);
      const d = report.disclosure;
      if (d !== null) {
        for (const c of [...d.keys, ...d.counts, ...(d.shares ?? []).flatMap((s) => [s.share, s.of])]) {
          expect(names).toContain(c);
        }
        // Every column is either a key (published when withheld) or nulled when withheld.
        expect(d.counts.length).toBeGreaterThan(0);
      }
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
