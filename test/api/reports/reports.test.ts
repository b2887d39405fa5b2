import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Table } from '@aws-sdk/client-glue';
import { DuckDBInstance } from '@duckdb/node-api';
import { applyScope } from '../../../api/access/applyScope';
import { scopeFor } from '../../../api/access/Scope';
import { sqlLiteral } from '../../../api/core/sqlLiteral';
import { reportById } from '../../../api/reports/catalog';
import type { ReportParameters } from '../../../api/reports/ReportDefinition';
import { glueTableInput } from '../../../etl/schemas/glueTableInput';
import { parseExecutionParameter } from '../../../infra/local/athena/executionParameter';
import { LocalQueryEngine } from '../../../infra/local/athena/LocalQueryEngine';
import { directoryObjectFiles, fixedCatalog } from '../../infra/local/athena/directoryFixtures';
import { caller } from '../access/callers';
import { buildCuratedFixture, type CuratedFixture } from '../support/curatedFixture';

/*
 * Each report's SQL, scoped by applyScope, run by the local Athena engine (DuckDB with the Trino shims) over
 * curated Parquet made from generator CSV, compared with an independent computation (plain DuckDB reads of the
 * same files, aggregated in TypeScript) of what the report promises.
 */

let root: string;
let fixture: CuratedFixture;
let engine: LocalQueryEngine;
let raw: DuckDBInstance;
type Row = Record<string, string | number | boolean | null>;
let attempts: Row[];
let items: Row[];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'examlake-reports-'));
  fixture = await buildCuratedFixture(root, { seed: 'reports', schools: 2, classesPerGrade: 1, studentsPerClass: 30 });
  const tables = ['exam_results', 'item_responses'].map(
    (d) => glueTableInput(d, `s3://${fixture.bucket}/${d}/`) as Table,
  );
  engine = await LocalQueryEngine.create({
    catalog: fixedCatalog({ examlake: tables }),
    objects: directoryObjectFiles(root),
    memoryLimit: '256MB',
    spillDir: path.join(root, 'spill'),
  });
  raw = await DuckDBInstance.create(':memory:');
  attempts = await read(
    `SELECT result_id, exam_id, subject, school_id, class_id, teacher_id, student_id, attempt, passed,
            CAST(score AS DOUBLE) / CAST(max_score AS DOUBLE) * 100 AS pct, CAST(submitted_at AS VARCHAR) AS submitted_at
     FROM read_parquet('${root}/${fixture.bucket}/exam_results/*/*/*.parquet')`,
  );
  items = await read(
    `SELECT result_id, exam_id, question_id, question_number, response, is_correct, time_spent_seconds
     FROM read_parquet('${root}/${fixture.bucket}/item_responses/*/*/*.parquet')`,
  );
}, 120_000);

afterAll(async () => {
  await engine?.close();
  raw?.closeSync();
  await rm(root, { recursive: true, force: true });
});

async function read(sql: string): Promise<Row[]> {
  const connection = await raw.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  } finally {
    connection.closeSync();
  }
}

/** Runs a report as the API would for this scope: render, applyScope, execution parameters as Athena text. */
async function runReport(id: string, parameters: ReportParameters, role = caller('analyst')): Promise<Row[]> {
  const report = reportById(id);
  const { sql, parameters: values } = report.query(parameters).render();
  const scoped = applyScope(
    { sql, parameters: values, datasets: report.datasets, columnsRead: report.columnsRead },
    scopeFor(role),
    { database: 'examlake' },
  );
  const outcome = await engine.run({
    sql: scoped.sql,
    database: 'examlake',
    parameters: scoped.parameters.map((v, i) => parseExecutionParameter(sqlLiteral(v), i)),
  });
  expect(outcome.columns.map((c) => c.name)).toEqual(report.columns.map((c) => c.name));
  return outcome.rows.map((values) => {
    const row: Row = {};
    outcome.columns.forEach((c, i) => {
      const v = values[i] ?? null;
      row[c.name] = v !== null && /^(BIGINT|INTEGER|DOUBLE|DECIMAL|HUGEINT|FLOAT)/.test(c.duckdbType) ? Number(v) : v;
    });
    return row;
  });
}

const num = (v: unknown) => Number(v);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function pearson(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
function ranks(xs: number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}
const busiestExam = () =>
  [...groupBy(attempts, (a) => String(a.exam_id)).entries()].sort((a, b) => b[1].length - a[1].length)[0]![0];
const firstSchool = () => [...groupBy(attempts, (a) => String(a.school_id)).keys()][0]!;

describe('reports over curated Parquet', () => {
  it('school-summary gives attempts, students, mean and median score % and pass rate per exam', async () => {
    const school = firstSchool();
    const rows = await runReport('school-summary', { schoolId: school });
    const expected = [
      ...groupBy(
        attempts.filter((a) => a.school_id === school),
        (a) => String(a.exam_id),
      ),
    ].map(([exam, rs]) => ({
      exam_id: exam,
      attempts: rs.length,
      students: new Set(rs.map((r) => r.student_id)).size,
      mean_score_pct: mean(rs.map((r) => num(r.pct))),
      median_score_pct: median(rs.map((r) => num(r.pct))),
      pass_rate: mean(rs.map((r) => (r.passed ? 1 : 0))),
    }));
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBeGreaterThan(5);
    rows.forEach((row, i) => {
      const e = expected[i]!;
      expect([row.exam_id, row.attempts, row.students]).toEqual([e.exam_id, e.attempts, e.students]);
      expect(num(row.mean_score_pct)).toBeCloseTo(e.mean_score_pct, 1);
      expect(num(row.median_score_pct)).toBeCloseTo(e.median_score_pct, 1);
      expect(num(row.pass_rate)).toBeCloseTo(e.pass_rate, 3);
    });
  });

  it('score-distribution counts every attempt of the exam once, in equal-width bins', async () => {
    const exam = busiestExam();
    const rows = await runReport('score-distribution', { examId: exam, bins: 5 });
    const counts = new Map<number, number>();
    for (const a of attempts.filter((r) => r.exam_id === exam)) {
      const bin = Math.min(4, Math.floor((num(a.pct) * 5) / 100));
      counts.set(bin, (counts.get(bin) ?? 0) + 1);
    }
    expect(rows.map((r) => [r.bin, r.attempts])).toEqual([...counts.entries()].sort((a, b) => a[0] - b[0]));
    expect(rows[0]).toMatchObject({ lower_pct: num(rows[0]!.bin) * 20, upper_pct: (num(rows[0]!.bin) + 1) * 20 });
  });

  it('subject-trends gives monthly attempts, mean score % and pass rate per subject', async () => {
    const rows = await runReport('subject-trends', { from: '2025-09-01', to: '2026-03-31' });
    const inRange = attempts.filter(
      (a) => String(a.submitted_at) >= '2025-09-01' && String(a.submitted_at) < '2026-04-01',
    );
    const expected = [...groupBy(inRange, (a) => `${a.subject}|${String(a.submitted_at).slice(0, 7)}`)];
    expect(rows.length).toBe(expected.length);
    rows.forEach((row, i) => {
      const [key, rs] = expected[i]!;
      expect(`${row.subject}|${row.year}-${String(row.month).padStart(2, '0')}`).toBe(key);
      expect(row.attempts).toBe(rs.length);
      expect(num(row.mean_score_pct)).toBeCloseTo(mean(rs.map((r) => num(r.pct))), 1);
    });
  });

  it('item-analysis matches an independent computation and recovers the generator’s item difficulty order', async () => {
    const exam = busiestExam();
    const rows = await runReport('item-analysis', { examId: exam });
    const totals = new Map(attempts.filter((a) => a.exam_id === exam).map((a) => [a.result_id, num(a.pct)]));
    const byQuestion = groupBy(
      items.filter((r) => r.exam_id === exam && totals.has(r.result_id as string)),
      (r) => String(r.question_id),
    );
    const truth = fixture.itemsByExam.get(exam)!;
    expect(rows.length).toBe(truth.length);
    for (const row of rows) {
      const rs = byQuestion.get(String(row.question_id))!;
      const correct = rs.map((r) => (r.is_correct ? 1 : 0));
      expect(row.responses).toBe(rs.length);
      expect(num(row.proportion_correct)).toBeCloseTo(mean(correct), 3);
      expect(num(row.point_biserial)).toBeCloseTo(
        pearson(
          correct,
          rs.map((r) => totals.get(r.result_id as string)!),
        ),
        3,
      );
      expect(num(row.mean_time_seconds)).toBeCloseTo(mean(rs.map((r) => num(r.time_spent_seconds))), 0);
      const wrong = [
        ...groupBy(
          rs.filter((r) => !r.is_correct && r.response),
          (r) => String(r.response),
        ),
      ].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
      expect(row.most_common_wrong_answer).toBe(wrong[0]?.[0] ?? null);
    }
    const difficulty = new Map(truth.map((t) => [t.question_id, t.difficulty]));
    const p = rows.map((r) => num(r.proportion_correct));
    const b = rows.map((r) => -difficulty.get(String(r.question_id))!);
    const spearman = pearson(ranks(p), ranks(b));
    expect(spearman).toBeGreaterThan(0.9);
  });

  it('class-comparison lists the classes of one school side by side', async () => {
    const school = firstSchool();
    const rows = await runReport('class-comparison', { schoolId: school });
    const expected = [
      ...groupBy(
        attempts.filter((a) => a.school_id === school),
        (a) => String(a.class_id),
      ),
    ];
    expect(rows.map((r) => [r.class_id, r.attempts])).toEqual(expected.map(([c, rs]) => [c, rs.length]));
    rows.forEach((row, i) => {
      expect(num(row.pass_rate)).toBeCloseTo(mean(expected[i]![1].map((r) => (r.passed ? 1 : 0))), 3);
    });
  });

  it('student-progress lists one student’s attempts in submission order', async () => {
    const student = String(attempts[0]!.student_id);
    const rows = await runReport('student-progress', { studentId: student });
    const expected = attempts
      .filter((a) => a.student_id === student)
      .sort((a, b) => (String(a.submitted_at) < String(b.submitted_at) ? -1 : 1));
    expect(rows.map((r) => r.exam_id)).toEqual(expected.map((a) => a.exam_id));
    expect(rows.map((r) => num(r.score_pct))).toEqual(expected.map((a) => Math.round(num(a.pct) * 100) / 100));
  });

  it('shows a school administrator only their school’s rows, whatever school they ask for', async () => {
    const [mine, other] = [...groupBy(attempts, (a) => String(a.school_id)).keys()];
    const admin = caller('school_admin', { schoolIds: [mine!] });
    expect(await runReport('school-summary', { schoolId: other! }, admin)).toEqual([]);
    const scoped = await runReport('subject-trends', {}, admin);
    const filtered = await runReport('subject-trends', { schoolId: mine! });
    expect(scoped).toEqual(filtered);
  });
});
