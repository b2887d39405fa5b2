import { AthenaClient, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { type AccessTestApi, startAccessTestApi } from '../access/accessTestApi';
import { ContractValidator } from '../support/contractValidator';
import { request, type TestResponse } from '../support/httpClient';

/**
 * Resource consumption through the local gateway with local-issuer tokens: requests over the caps are refused
 * with a 400 problem before any query reaches Athena.
 */
const MAX_RESULT_ROWS = 50;
let t: AccessTestApi;
let athena: AthenaClient;
let analyst: Record<string, string>;
const contract = new ContractValidator();

beforeAll(async () => {
  t = await startAccessTestApi({ maxResultRows: MAX_RESULT_ROWS });
  athena = new AthenaClient(t.stack.clientConfig);
  analyst = await t.bearer({ role: 'analyst' });
}, 60_000);
afterAll(async () => {
  athena?.destroy();
  await t?.stop();
});

const executions = async () => (await athena.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds?.length ?? 0;

function expectProblem(res: TestResponse, operationId: string, status: number, code: string): void {
  expect([res.status, res.json?.code]).toEqual([status, code]);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  contract.check(operationId, res.status, res.headers.get('content-type')!, res.json);
}

const adhoc = (sql: string, query = '') =>
  request(`${t.url}/v1/queries${query}`, {
    method: 'POST',
    headers: { ...analyst, 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
  });

describe('resource consumption', () => {
  it('refuses a pageSize over the cap with a 400 problem naming pageSize', async () => {
    const before = await executions();
    const report = await request(`${t.url}/v1/reports/subject-trends?pageSize=1001`, { headers: analyst });
    expectProblem(report, 'runReport', 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(report.json)).toContain('pageSize');
    const query = await adhoc('SELECT subject FROM examlake.exam_results LIMIT 5', '?pageSize=5000');
    expectProblem(query, 'runAdhocQuery', 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(query.json)).toContain('pageSize');
    expect(await executions()).toBe(before);
  });

  it('refuses ad-hoc SQL without a LIMIT or with one over the cap, naming the cap, without calling Athena', async () => {
    const before = await executions();
    const missing = await adhoc('SELECT subject, count(*) AS n FROM examlake.exam_results GROUP BY subject');
    expectProblem(missing, 'runAdhocQuery', 400, 'SQL_NOT_ALLOWED');
    expect(missing.json.detail).toContain(`add LIMIT n with n ≤ ${MAX_RESULT_ROWS}`);
    expect(missing.json.errors[0]).toMatchObject({ in: 'body', name: '/sql' });
    const over = await adhoc(`SELECT * FROM examlake.exam_results LIMIT ${MAX_RESULT_ROWS + 1}`);
    expectProblem(over, 'runAdhocQuery', 400, 'SQL_NOT_ALLOWED');
    expect(over.json.detail).toContain(`LIMIT ${MAX_RESULT_ROWS + 1} is over the cap`);
    expect(over.json.detail).toContain(`n ≤ ${MAX_RESULT_ROWS}`);
    expect(await executions()).toBe(before);
  });
});
