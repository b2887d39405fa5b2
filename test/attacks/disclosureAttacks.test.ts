import { AthenaClient, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_RESOURCE_NAMES } from '../../infra/local/bootstrap';
import { type AccessTestApi, startAccessTestApi } from '../api/access/accessTestApi';
import { ContractValidator } from '../api/support/contractValidator';
import { request } from '../api/support/httpClient';
import { type ExamRow, examResultsCsv, examRow } from '../etl/support/examResultsCsv';
import { ingestExport } from '../support/ingestExport';
import { attackOpenTable, type OpenRow } from './intervalAttacker';

/**
 * The two HIGH findings of the outside attack run, played against the local stack with generated data that has
 * small schools, small months, a retake and a small class: a partner differencing answers (overlapping date
 * ranges, overlapping filters and reports, counts implied by rates), and an anonymous caller solving the open
 * table's interval problem with an integer programming solver. Nothing below the minimum may be recovered.
 */
const MINIMUM = 10;
let t: AccessTestApi;
let athena: AthenaClient;
const contract = new ContractValidator();
let partner: Record<string, string>;

/** `n` attempts of one class at one exam on one day: `failed` of them not passed. */
function attempts(n: number, o: { school: string; cls?: string; day: string; failed?: number; subject?: string }) {
  const subject = o.subject ?? 'mathematics';
  return Array.from({ length: n }, (_, i) =>
    examRow({
      region: 'North',
      district_id: o.school === 'SCH-0201' ? 'DIS-22' : 'DIS-21',
      school_id: o.school,
      class_id: `${o.school}-${o.cls ?? '05A'}`,
      subject,
      exam_id: `${subject.slice(0, 3).toUpperCase()}-G05`,
      exam_title: `${subject}, grade 5`,
      student_id: `${o.school}-${o.cls ?? '05A'}-${o.day}-${subject}-${i}`,
      submitted_at: `${o.day}T10:00:00Z`,
      started_at: `${o.day}T09:00:00Z`,
      passed: String(i >= (o.failed ?? 0)),
      score: i >= (o.failed ?? 0) ? '30.00' : '10.00',
      max_score: '34.00',
    }),
  );
}

const ROWS: ExamRow[] = [
  // The school: 15, 14 and then 9 attempts in January, February, March.
  ...attempts(15, { school: 'SCH-0101', day: '2026-01-12', failed: 3 }),
  ...attempts(14, { school: 'SCH-0101', day: '2026-02-10', failed: 3 }),
  ...attempts(9, { school: 'SCH-0101', day: '2026-03-09', failed: 2 }),
  ...attempts(11, { school: 'SCH-0101', day: '2026-01-20', subject: 'science', failed: 0 }),
  // The retake: twelve students on 5 October, one of them again on the 6th (failed, 10/34).
  ...attempts(12, { school: 'SCH-0101', day: '2025-10-05', failed: 0 }),
  examRow({
    ...attempts(1, { school: 'SCH-0101', day: '2025-10-06', failed: 1 })[0]!,
    student_id: 'SCH-0101-05A-2025-10-05-mathematics-0',
    attempt: '2',
  }),
  // A small school: 7 students in January.
  ...attempts(7, { school: 'SCH-0102', day: '2026-01-14', failed: 1 }),
  // A school of 12 where 2 failed: the pass rate implies 2.
  ...attempts(12, { school: 'SCH-0103', day: '2026-01-15', failed: 2 }),
  // Two classes, one of 6: the school's total minus the big class would give it.
  ...attempts(20, { school: 'SCH-0104', day: '2026-01-16', failed: 5 }),
  ...attempts(6, { school: 'SCH-0104', cls: '05B', day: '2026-01-16', failed: 1 }),
  // Another district, so regions and districts differ.
  ...attempts(25, { school: 'SCH-0201', day: '2026-01-13', failed: 8 }),
  ...attempts(3, { school: 'SCH-0201', cls: '05C', day: '2026-02-13', failed: 3 }),
];
const SCHOOLS = ['SCH-0101', 'SCH-0102', 'SCH-0103', 'SCH-0104', 'SCH-0201'];

beforeAll(async () => {
  t = await startAccessTestApi({ grantCacheTtlSeconds: 0, queryWaitMs: 20_000 }, { etl: true });
  athena = new AthenaClient(t.stack.clientConfig);
  await load(ROWS);
  const steward = { ...(await t.bearer({ role: 'steward' })), 'content-type': 'application/json' };
  const put = await request(`${t.url}/v1/partners/mallory/grant`, {
    method: 'PUT',
    headers: steward,
    body: JSON.stringify({
      datasets: ['exam_results'],
      columns: [
        'exam_id',
        'exam_title',
        'subject',
        'school_id',
        'class_id',
        'teacher_id',
        'student_key',
        'passed',
      ].concat(['score', 'max_score', 'submitted_at']),
      rowFilters: { regions: ['North'] },
      minimumCellSize: MINIMUM,
    }),
  });
  expect(put.status).toBe(200);
  partner = await t.bearer({ role: 'partner', partnerId: 'mallory' });
}, 180_000);
afterAll(async () => {
  athena?.destroy();
  await t?.stop();
});

async function load(rows: readonly ExamRow[]): Promise<void> {
  await ingestExport(t.stack, 'exam_results/attacks.csv', examResultsCsv(rows), 90_000);
}

type Row = Record<string, string | number | null>;

/** A report as the partner sees it (every page), checked against the contract. */
async function report(id: string, query: Record<string, string>, who = partner) {
  const res = await request(`${t.url}/v1/reports/${id}?${new URLSearchParams({ ...query, pageSize: '1000' })}`, {
    headers: who,
  });
  if (res.status === 200) contract.check('runReport', 200, 'application/json', res.json);
  return res;
}

/** Every count a row publishes or implies: counts, `round(rate × count)` and its complement. */
function countsOf(row: Row): number[] {
  const out: number[] = [];
  for (const c of ['attempts', 'students', 'responses', 'most_common_wrong_count']) {
    if (typeof row[c] === 'number') out.push(row[c] as number);
  }
  for (const [rate, of] of [
    ['pass_rate', 'attempts'],
    ['proportion_correct', 'responses'],
  ] as const) {
    if (typeof row[rate] === 'number' && typeof row[of] === 'number') {
      const implied = Math.round((row[rate] as number) * (row[of] as number));
      out.push(implied, (row[of] as number) - implied);
    }
  }
  return out;
}

/** The attacker's verdict: a count in 1 … minimum − 1 is a disclosure. */
const small = (n: number) => n >= 1 && n < MINIMUM;

const executions = async () => (await athena.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds?.length ?? 0;

describe('a partner differencing answers', () => {
  it('is refused day-level date ranges (400 naming the accepted boundaries)', async () => {
    const before = await executions();
    for (const [from, to] of [
      ['2025-10-01', '2025-10-05'],
      ['2025-10-01', '2025-10-06'],
      ['2026-01-15', '2026-01-31'],
    ]) {
      const res = await report('school-summary', { schoolId: 'SCH-0101', from: from!, to: to! });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('VALIDATION_FAILED');
      expect(res.json.detail).toMatch(/(first|last) day of a calendar month/);
    }
    expect(await executions()).toBe(before);
  });

  it('recovers no small count from overlapping month ranges (the March of 9, the retake)', async () => {
    const ranges = [
      ['2025-10-01', '2025-10-31'],
      ['2025-09-01', '2025-10-31'],
      ['2025-10-01', '2026-03-31'],
      ['2026-01-01', '2026-01-31'],
      ['2026-01-01', '2026-02-28'],
      ['2026-01-01', '2026-03-31'],
      ['2026-02-01', '2026-03-31'],
      ['2026-03-01', '2026-03-31'],
    ] as const;
    const answers: { range: readonly [string, string]; rows: Row[] }[] = [];
    for (const range of ranges) {
      const res = await report('school-summary', { schoolId: 'SCH-0101', from: range[0], to: range[1] });
      expect(res.status).toBe(200);
      answers.push({ range, rows: res.json.rows });
    }
    for (const a of answers) for (const row of a.rows) expect(countsOf(row).filter(small)).toEqual([]);
    // Every pair of nested ranges: the difference of every published count of the same exam.
    for (const wide of answers) {
      for (const narrow of answers) {
        if (narrow === wide || narrow.range[0] < wide.range[0] || narrow.range[1] > wide.range[1]) continue;
        for (const w of wide.rows) {
          const n = narrow.rows.find((r) => r['exam_id'] === w['exam_id']);
          const nc = n ? countsOf(n) : countsOf(w).map(() => 0);
          const wc = countsOf(w);
          if (nc.length !== wc.length) continue; // a share withheld on one side implies nothing to subtract
          const differences = wc.map((v, i) => v - nc[i]!);
          expect({ wide: wide.range, narrow: narrow.range, small: differences.filter(small) }).toEqual({
            wide: wide.range,
            narrow: narrow.range,
            small: [],
          });
        }
      }
    }
    // The same attack works on an unprotected scope (an analyst): the suite is not vacuous.
    const analyst = await t.bearer({ role: 'analyst' });
    const [febAnalyst, marAnalyst] = await Promise.all(
      ['2026-02-28', '2026-03-31'].map((to) =>
        report('school-summary', { schoolId: 'SCH-0101', subject: 'mathematics', from: '2026-01-01', to }, analyst),
      ),
    );
    expect(marAnalyst!.json.rows[0].attempts - febAnalyst!.json.rows[0].attempts).toBe(9);
    // The retake month: 13 attempts by 12 students, published as one month; no day is available to subtract.
    const october = answers[0]!.rows.find((r) => r['exam_id'] === 'MAT-G05')!;
    expect(october).toMatchObject({ attempts: 13, students: 12 });
  });

  it('recovers no small count from overlapping filters and reports (region, schools, classes)', async () => {
    const region = (await report('subject-trends', {})).json.rows as Row[];
    const bySchool = new Map<string, Row[]>();
    for (const school of SCHOOLS) {
      const res = await report('subject-trends', { schoolId: school });
      expect(res.status).toBe(200);
      bySchool.set(school, res.json.rows);
    }
    const key = (r: Row) => `${r['subject']}|${r['year']}|${r['month']}`;
    for (const row of region) {
      expect(countsOf(row).filter(small)).toEqual([]);
      // Region minus every school but one: that school's cell, or 0, or at least the minimum.
      for (const left of SCHOOLS) {
        let rest = row['attempts'] as number;
        for (const school of SCHOOLS) {
          if (school === left) continue;
          rest -= (bySchool.get(school)!.find((r) => key(r) === key(row))?.['attempts'] as number | undefined) ?? 0;
        }
        expect({ row: key(row), left, small: small(rest) }).toEqual({ row: key(row), left, small: false });
      }
    }
    // A subject-trends month against the sum of the school's school-summary rows of that month.
    for (const school of SCHOOLS) {
      for (const month of ['2026-01', '2026-02', '2026-03']) {
        const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate();
        const summary = await report('school-summary', {
          schoolId: school,
          from: `${month}-01`,
          to: `${month}-${last}`,
        });
        const total = (summary.json.rows as Row[]).reduce((s, r) => s + ((r['attempts'] as number) ?? 0), 0);
        const trend = bySchool
          .get(school)!
          .filter((r) => `${r['year']}-${String(r['month']).padStart(2, '0')}` === month)
          .reduce((s, r) => s + ((r['attempts'] as number) ?? 0), 0);
        expect(small(Math.abs(total - trend))).toBe(false);
        expect(small(total)).toBe(false);
      }
    }
    // The class of 6 against its school's total.
    const classes = await report('class-comparison', { schoolId: 'SCH-0104' });
    const summary = await report('school-summary', { schoolId: 'SCH-0104' });
    const classTotal = (classes.json.rows as Row[]).reduce((s, r) => s + ((r['attempts'] as number) ?? 0), 0);
    const schoolTotal = (summary.json.rows as Row[]).reduce((s, r) => s + ((r['attempts'] as number) ?? 0), 0);
    expect(small(schoolTotal - classTotal)).toBe(false);
    // The small school exists nowhere in partner answers, not even as a difference.
    expect(bySchool.get('SCH-0102')).toEqual([]);
  });

  it('gets no count implied by a rate: the 2 failures of 12 leave the pass rate null', async () => {
    const res = await report('school-summary', { schoolId: 'SCH-0103' });
    expect(res.json.rows).toEqual([expect.objectContaining({ attempts: 12, students: 12, pass_rate: null })]);
  });

  it('sees withheld rows signalled, never silently missing (JSON metadata, header, CSV)', async () => {
    // SCH-0201's class of 3 in February is an atom below the minimum; its 25 in January are shown. The
    // score distribution of 25 attempts (17 at 88%, 8 at 29%) in 10 bins has a bin of 8: every bin is withheld.
    const res = await report('score-distribution', { examId: 'MAT-G05', schoolId: 'SCH-0201' });
    expect(res.status).toBe(200);
    const rows = res.json.rows as Row[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r['withheld'] === 'withheld' && r['attempts'] === null)).toBe(true);
    expect(res.json.disclosure).toMatchObject({ minimumCellSize: MINIMUM, withheldGroups: rows.length });
    expect(res.headers.get('x-examlake-withheld-groups')).toBe(String(rows.length));
    const csv = await request(`${t.url}/v1/reports/score-distribution?examId=MAT-G05&schoolId=SCH-0201&format=csv`, {
      headers: partner,
    });
    expect(csv.headers.get('x-examlake-withheld-groups')).toBe(String(rows.length));
    expect(csv.text.split('\n')[0]).toContain('withheld');
  });

  it('applies the floor to a grant written straight to DynamoDB with a minimum of 1', async () => {
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(t.stack.clientConfig));
    try {
      await documents.send(
        new PutCommand({
          TableName: LOCAL_RESOURCE_NAMES.grantsTable,
          Item: {
            partnerId: 'trudy',
            datasets: ['exam_results'],
            columns: [
              'exam_id',
              'exam_title',
              'subject',
              'school_id',
              'student_key',
              'passed',
              'score',
              'max_score',
              'submitted_at',
            ],
            minimumCellSize: 1,
            version: 1,
            updatedAt: new Date().toISOString(),
          },
        }),
      );
    } finally {
      documents.destroy();
    }
    const trudy = await t.bearer({ role: 'partner', partnerId: 'trudy' });
    const res = await report('school-summary', { schoolId: 'SCH-0102' }, trudy);
    expect(res.status).toBe(200);
    expect(res.json.rows).toEqual([]);
    expect(res.json.disclosure.minimumCellSize).toBe(MINIMUM);
  });
});

describe('a school administrator naming a school outside their scope', () => {
  it('gets 403 naming the out-of-scope id, and no query runs', async () => {
    const admin = await t.bearer({ role: 'school_admin', schoolIds: ['SCH-0101'] });
    const before = await executions();
    const auditBefore = t.audit.length;
    const res = await report('school-summary', { schoolId: 'SCH-0102' }, admin);
    expect(res.status).toBe(403);
    expect(res.json.errors).toEqual([{ in: 'query', name: 'schoolId', message: expect.stringContaining('SCH-0102') }]);
    expect(res.json.detail).toContain('SCH-0102');
    expect(await executions()).toBe(before);
    expect(t.audit.slice(auditBefore)).toContainEqual(expect.objectContaining({ decision: 'deny', status: 403 }));
  });
});

describe('an anonymous caller solving the open table', () => {
  it('narrows no withheld figure below the minimum with an integer program over every published slice', async () => {
    const rows: OpenRow[] = [];
    let next: string | null = `/v1/open/reports/attainment-by-area?year=2026&pageSize=1000`;
    while (next) {
      const res = await request(`${t.url}${next}`);
      expect(res.status).toBe(200);
      rows.push(...res.json.rows);
      next = res.json.page.next;
    }
    const withheld = rows.flatMap((r) =>
      ['first_attempts', 'passed', 'not_passed'].filter((f) => r[f] === null).map((f) => ({ r, f })),
    );
    expect(withheld.length).toBeGreaterThan(0);
    for (const { r, f } of withheld) expect(r[`${f}_suppressed`]).toBe('withheld');
    for (const [figure, interval] of await attackOpenTable(rows)) {
      expect({ figure, wide: interval.upper - interval.lower >= MINIMUM }).toEqual({ figure, wide: true });
    }
  });
});
