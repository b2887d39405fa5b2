import { AthenaClient, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';
import { request } from '../support/httpClient';
import { type ApiTestStack, startApiTestStack } from '../support/startApiTestStack';

/**
 * Injection in every parameter of every report, and in ad-hoc SQL: refused with a 400 problem before anything
 * reaches Athena (the workgroup's execution count does not move). The reports and their parameters come from
 * the running API's own catalog, so a new report or parameter is attacked without editing this test.
 */
const ATTACKS = [
  "S1' OR '1'='1",
  'S1; DROP TABLE exam_results',
  "S1' UNION SELECT student_name FROM exam_results --",
  'S1 -- comment',
  'S1 /* comment */',
  "' OR 1=1 --",
  '1) OR (1=1',
  '2025-01-01; SELECT 1',
];

/** A valid value for each parameter a report may require. */
const VALID: Record<string, string> = {
  schoolId: 'SCH-0001',
  examId: 'MAT-G05-2025-BAS',
  classId: 'SCH-0001-05A',
  studentId: 'STU-000001',
  subject: 'mathematics',
  from: '2025-09-01',
  to: '2026-06-30',
  bins: '10',
};

let t: ApiTestStack;
let athena: AthenaClient;
let auth: Record<string, string>;

beforeAll(async () => {
  t = await startApiTestStack();
  athena = new AthenaClient(t.stack.clientConfig);
  const token = await (await LocalIssuer.open(t.stack.dataDir)).mint({ role: 'analyst' });
  auth = { authorization: `Bearer ${token}` };
}, 60_000);
afterAll(async () => {
  athena?.destroy();
  await t?.stop();
});

const executions = async () => (await athena.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds?.length ?? 0;

describe('injection', () => {
  it('refuses SQL metacharacters, comments, stacked statements and UNIONs in every report parameter', async () => {
    const before = await executions();
    const catalog = await request(`${t.url}/v1/reports`, { headers: auth });
    expect(catalog.status).toBe(200);
    const reports = catalog.json.reports as {
      id: string;
      parameters: { required?: string[]; properties: Record<string, unknown> };
    }[];
    expect(reports.length).toBeGreaterThanOrEqual(6);
    let attacked = 0;
    for (const report of reports) {
      const required = report.parameters.required ?? [];
      for (const name of Object.keys(report.parameters.properties)) {
        for (const attack of ATTACKS) {
          const query = new URLSearchParams();
          for (const r of required) if (r !== name) query.set(r, VALID[r] ?? 'x');
          query.set(name, attack);
          const res = await request(`${t.url}/v1/reports/${report.id}?${query}`, { headers: auth });
          expect({ report: report.id, name, attack, status: res.status }).toEqual({
            report: report.id,
            name,
            attack,
            status: 400,
          });
          expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
          attacked += 1;
        }
      }
    }
    expect(attacked).toBeGreaterThan(ATTACKS.length * 6);
    expect(await executions()).toBe(before);
  });

  it('refuses stacked statements, comments hiding them, other catalogs and file readers in ad-hoc SQL', async () => {
    const before = await executions();
    const sqls = [
      'SELECT 1 LIMIT 1; DROP TABLE examlake.exam_results',
      'SELECT * FROM examlake.exam_results LIMIT 1 /* */; DELETE FROM examlake.exam_results',
      'SELECT * FROM examlake.exam_results LIMIT 1 -- \n; SELECT 2',
      'SELECT table_name FROM information_schema.tables LIMIT 1',
      'SELECT * FROM examlake.exam_results UNION ALL SELECT * FROM other.secrets LIMIT 1',
      'SELECT * FROM other.secrets LIMIT 1',
      "SELECT * FROM read_csv('/etc/passwd') LIMIT 1",
      'INSERT INTO examlake.exam_results SELECT * FROM examlake.exam_results',
    ];
    for (const sql of sqls) {
      const res = await request(`${t.url}/v1/queries`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ sql }),
      });
      expect({ sql, status: res.status }).toEqual({ sql, status: 400 });
    }
    expect(await executions()).toBe(before);
  });
});
