import fc from 'fast-check';
import { applyScope } from '../../api/access/applyScope';
import { scopeFor } from '../../api/access/Scope';
import { classComparison } from '../../api/reports/classComparison';
import type { ReportDefinition, ReportParameters } from '../../api/reports/ReportDefinition';
import { schoolSummary } from '../../api/reports/schoolSummary';
import { subjectTrends } from '../../api/reports/subjectTrends';
import { caller, grant } from '../api/access/callers';
import { ScopedDuckDB } from '../api/access/scopedDuckDB';

/**
 * The differencing attack as a property: random small groups (school × class × subject × month, 1–14 attempts,
 * some retakes) on real DuckDB, and random overlapping partner queries (month ranges, with and without a school
 * or subject filter, three reports) under a minimum of 5. Every published count, every count a rate implies,
 * and every difference of attempts or students between two answers whose groups nest is 0 or at least 5.
 */
const MINIMUM = 5;
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'];
const LAST_DAY: Record<string, string> = { '2026-01': '31', '2026-02': '28', '2026-03': '31', '2026-04': '30' };

const groups = fc.array(
  fc.record({
    school: fc.constantFrom('S1', 'S2', 'S3'),
    cls: fc.constantFrom('A', 'B'),
    subject: fc.constantFrom('maths', 'art'),
    month: fc.constantFrom(...MONTHS),
    n: fc.integer({ min: 1, max: 14 }),
    failed: fc.integer({ min: 0, max: 14 }),
    retakes: fc.integer({ min: 0, max: 2 }),
  }),
  { minLength: 2, maxLength: 8 },
);

const queries = fc.array(
  fc.record({
    report: fc.constantFrom<ReportDefinition>(subjectTrends, schoolSummary, classComparison),
    from: fc.integer({ min: 0, max: 3 }),
    length: fc.integer({ min: 0, max: 3 }),
    school: fc.option(fc.constantFrom('S1', 'S2', 'S3'), { nil: undefined }),
    subject: fc.option(fc.constantFrom('maths', 'art'), { nil: undefined }),
  }),
  { minLength: 4, maxLength: 10 },
);

type Group = {
  school: string;
  cls: string;
  subject: string;
  month: string;
  n: number;
  failed: number;
  retakes: number;
};

function rowsOf(list: readonly Group[]) {
  return list.flatMap((g, gi) =>
    Array.from({ length: g.n + Math.min(g.retakes, g.n) }, (_, i) => {
      const student = i % g.n; // the first `retakes` students sit it twice
      return {
        result_id: `r${gi}-${i}`,
        exam_id: `${g.subject}-exam`,
        exam_title: g.subject,
        subject: g.subject,
        school_id: g.school,
        class_id: `${g.school}-${g.cls}`,
        region: 'north',
        student_id: `${g.school}-${g.cls}-${g.subject}-${g.month}-${gi}-${student}`,
        student_key: `k-${g.school}-${g.cls}-${g.subject}-${g.month}-${gi}-${student}`,
        submitted_at: `${g.month}-${String(10 + (i % 15)).padStart(2, '0')} 10:00:00`,
        score: i < g.failed ? 2 : 8,
        max_score: 10,
        passed: String(i >= g.failed),
      };
    }),
  );
}

const partner = scopeFor(
  caller('partner', { partnerId: 'acme' }),
  grant({
    rowFilters: {},
    columns: [...grant().columns, 'exam_title', 'class_id', 'teacher_id', 'submitted_at'],
    minimumCellSize: MINIMUM,
  }),
  { minimumCellSizeFloor: 1 },
);

const keyOf = (report: ReportDefinition, row: Record<string, unknown>) =>
  report === subjectTrends
    ? `${row['subject']}|${row['year']}|${row['month']}`
    : String(row[report.disclosure!.keys[0]!]);
const small = (n: number) => n >= 1 && n < MINIMUM;
const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

describe('differencing partner answers (property)', () => {
  it('recovers no count below the minimum from random overlapping month ranges, filters and reports', async () => {
    await fc.assert(
      fc.asyncProperty(groups, queries, async (list, qs) => {
        const db = await ScopedDuckDB.create({ exam_results: rowsOf(list) });
        try {
          const answers: {
            report: ReportDefinition;
            range: [number, number];
            school?: string;
            subject?: string;
            rows: Record<string, unknown>[];
          }[] = [];
          for (const q of qs) {
            const school = q.report === subjectTrends ? q.school : (q.school ?? 'S1');
            const range: [number, number] = [q.from, Math.min(3, q.from + q.length)];
            const parameters: ReportParameters = {
              ...(school ? { schoolId: school } : {}),
              ...(q.subject ? { subject: q.subject } : {}),
              from: `${MONTHS[range[0]]}-01`,
              to: `${MONTHS[range[1]]}-${LAST_DAY[MONTHS[range[1]]!]}`,
            };
            const { sql, parameters: values } = q.report.query(parameters).render();
            const scoped = applyScope(
              {
                sql,
                parameters: values,
                datasets: q.report.datasets,
                columns: q.report.columns.map((c) => c.name),
                disclosure: q.report.disclosure,
              },
              partner,
              { database: 'examlake' },
            );
            const rows = await db.run(scoped);
            answers.push({ report: q.report, range, school, subject: q.subject, rows });
            for (const row of rows) {
              for (const c of ['attempts', 'students']) expect(small(num(row[c]) ?? 0)).toBe(false);
              const rate = num(row['pass_rate']);
              const of = num(row['attempts']);
              if (rate !== undefined && of !== undefined) {
                const implied = Math.round(rate * of);
                expect([small(implied), small(of - implied)]).toEqual([false, false]);
              }
            }
          }
          for (const wide of answers) {
            for (const narrow of answers) {
              if (wide === narrow || wide.report !== narrow.report) continue;
              const nested =
                wide.range[0] <= narrow.range[0] &&
                narrow.range[1] <= wide.range[1] &&
                (wide.school === undefined || wide.school === narrow.school) &&
                (wide.subject === undefined || wide.subject === narrow.subject);
              if (!nested) continue;
              for (const w of wide.rows) {
                const n = narrow.rows.find((r) => keyOf(narrow.report, r) === keyOf(wide.report, w));
                // Attempts add up; distinct students do not subtract to a group. A withheld figure on either
                // side gives nothing to subtract.
                const wv = num(w['attempts']);
                const nv = n ? num(n['attempts']) : 0;
                if (wv !== undefined && nv !== undefined) expect(small(wv - nv)).toBe(false);
              }
            }
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
