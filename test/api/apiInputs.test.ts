import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { scopeFor } from '../../api/access/Scope';
import { SecretsManagerSigningKeys } from '../../api/adapters/secretsmanager/SecretsManagerSigningKeys';
import { QueryTokens } from '../../api/core/QueryTokens';
import { TokenSigner } from '../../api/core/TokenSigner';
import { loadOpenApiContract } from '../../api/http/openapiDocument';
import { inlineSchema } from '../../api/operations/reportOperations';
import { REPORTS } from '../../api/reports/catalog';
import { LocalIssuer } from '../../infra/local/identity/LocalIssuer';
import { setDataVersion } from '../support/setDataVersion';
import { ContractValidator } from './support/contractValidator';
import { request } from './support/httpClient';
import { type ApiTestStack, startApiTestStack } from './support/startApiTestStack';

/*
 * Everything the API answers before it runs a query: datasets, the report catalog, and the refusal of bad
 * input (each a 4xx problem naming the field), through the local gateway with real tokens of the local issuer.
 */
let t: ApiTestStack;
const contract = new ContractValidator();
const { document } = loadOpenApiContract();
let analyst: string;
let admin: string;
let otherAdmin: string;

beforeAll(async () => {
  t = await startApiTestStack({ settings: { dataVersionTtlMs: 0 } });
  const issuer = await LocalIssuer.open(t.stack.dataDir);
  analyst = await issuer.mint({ role: 'analyst' });
  admin = await issuer.mint({ role: 'school_admin', schoolIds: ['SCH-0001'] });
  otherAdmin = await issuer.mint({ role: 'school_admin', schoolIds: ['SCH-0002'] });
});
afterAll(async () => {
  await t?.stop();
});

const get = (path: string, token: string, headers: Record<string, string> = {}) =>
  request(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

function expectProblem(res: Awaited<ReturnType<typeof request>>, operationId: string, status: number, code: string) {
  expect([res.status, res.json?.code]).toEqual([status, code]);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  contract.check(operationId, status, 'application/problem+json', res.json);
}

describe('datasets', () => {
  it('lists the datasets with their data versions from the Glue catalog', async () => {
    const res = await get('/v1/datasets', analyst);
    expect(res.status).toBe(200);
    contract.check('listDatasets', 200, res.headers.get('content-type')!, res.json);
    expect(res.json.datasets.map((d: { name: string }) => d.name)).toEqual(['exam_results', 'item_responses']);
    expect(res.json.datasets[0].dataVersion).toMatch(/^schema-/);
  });

  it('describes a dataset with its columns, partitions and the last run the ETL recorded', async () => {
    // What the ETL job records when it commits run jr_1 (etl/orchestration/runRecords.ts), and the version it sets.
    const documents = DynamoDBDocumentClient.from(t.api.clients.dynamodb);
    await documents.send(
      new PutCommand({
        TableName: t.api.config.runsTable,
        Item: {
          pk: 'run#jr_1',
          sk: 'summary',
          runId: 'jr_1',
          jobName: 'examlake-transform',
          state: 'COMMITTED',
          startedAt: '2026-01-01T10:00:00.000Z',
          finishedAt: '2026-01-01T10:01:00.000Z',
          datasets: { exam_results: { rowsIn: 14, written: 12, rejected: 2 } },
        },
      }),
    );
    await setDataVersion(t.api.clients.glue, 'exam_results', 'jr_1');
    const res = await get('/v1/datasets/exam_results', admin);
    expect(res.status).toBe(200);
    contract.check('getDataset', 200, res.headers.get('content-type')!, res.json);
    expect(res.json.columns.find((c: { name: string }) => c.name === 'student_name')).toMatchObject({ pii: true });
    expect(res.json.partitionKeys.map((c: { name: string }) => c.name)).toEqual(['year', 'month']);
    expect(res.json.dataVersion).toBe('jr_1');
    expect(res.json.lastRun).toEqual({
      runId: 'jr_1',
      state: 'COMMITTED',
      startedAt: '2026-01-01T10:00:00.000Z',
      completedAt: '2026-01-01T10:01:00.000Z',
      rowsRead: 14,
      rowsWritten: 12,
      rowsRejected: 2,
    });
  });

  it('answers an unknown dataset with 404', async () => {
    expectProblem(await get('/v1/datasets/grades', analyst), 'getDataset', 404, 'NOT_FOUND');
  });
});

describe('report catalog', () => {
  it('lists each report with the parameter schema of openapi.yaml', async () => {
    const res = await get('/v1/reports', analyst);
    expect(res.status).toBe(200);
    contract.check('listReports', 200, res.headers.get('content-type')!, res.json);
    expect(res.json.reports.map((r: { id: string }) => r.id)).toEqual(REPORTS.map((r) => r.id));
    for (const report of res.json.reports) {
      const definition = REPORTS.find((r) => r.id === report.id)!;
      expect(report.parameters).toEqual(
        inlineSchema(document, { $ref: `#/components/schemas/${definition.parametersSchema}` }),
      );
    }
  });

  it('declares every report parameter as a query parameter of runReport and every report schema in ReportParameters', () => {
    const runReport = document.paths!['/v1/reports/{reportId}']!.get!;
    const declared = new Set(
      (runReport.parameters ?? []).map((p) => (p as { $ref: string }).$ref.split('/').pop()!.toLowerCase()),
    );
    const anyOf = (document.components!.schemas!['ReportParameters'] as { anyOf: { $ref: string }[] }).anyOf.map((s) =>
      s.$ref.split('/').pop(),
    );
    for (const report of REPORTS) {
      expect(anyOf).toContain(report.parametersSchema);
      const schema = document.components!.schemas![report.parametersSchema] as { properties: object };
      for (const name of Object.keys(schema.properties))
        expect([report.id, declared.has(name.toLowerCase())]).toEqual([report.id, true]);
    }
  });

  it('hides student-progress from partners’ catalogs but not from administrators’', async () => {
    const res = await get('/v1/reports', admin);
    expect(res.json.reports.map((r: { id: string }) => r.id)).toContain('student-progress');
  });
});

describe('bad input', () => {
  it.each([
    ['/v1/reports/no-such-report', 404, 'NOT_FOUND'],
    ['/v1/reports/school-summary', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/school-summary?schoolId=SCH-0001&bins=4', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/school-summary?schoolId=SCH-0001&from=2026-02-01&to=2026-01-01', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/school-summary?schoolId=SCH-0001&from=1999-12-31', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/school-summary?schoolId=SCH-0001&from=2026-02-30', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/school-summary?schoolId=SCH-0001&pageSize=5000', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/score-distribution?examId=E1&bins=1', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/school-summary?schoolId=SCH-0001&pageToken=abc.def', 400, 'VALIDATION_FAILED'],
    ['/v1/reports/school-summary?schoolId=SCH-0001&format=xml', 400, 'VALIDATION_FAILED'],
  ])('answers GET %s with %i %s', async (path, status, code) => {
    expectProblem(await get(path, analyst), 'runReport', status, code);
  });

  it('names the missing parameter and the report that needs it', async () => {
    const res = await get('/v1/reports/school-summary?examId=E1', analyst);
    expect(res.json.errors).toEqual([
      { in: 'query', name: 'schoolId', message: 'is required by report school-summary' },
    ]);
  });

  it('names a parameter the report does not take', async () => {
    const res = await get('/v1/reports/student-progress?studentId=STU-1&bins=4', analyst);
    expect(res.json.errors).toEqual([
      {
        in: 'query',
        name: 'bins',
        message: 'is not a parameter of report student-progress (it takes studentId, subject, from, to)',
      },
    ]);
  });

  it('lists the allowed values of a value outside a list, in one sentence ending in one full stop', async () => {
    const res = await get('/v1/reports/subject-trends?subject=maths', analyst);
    expectProblem(res, 'runReport', 400, 'VALIDATION_FAILED');
    const allowed = 'must be one of: mathematics, reading, writing, science, social_studies, languages';
    expect(res.json.errors).toEqual([{ in: 'query', name: 'subject', message: allowed }]);
    expect(res.json.detail).toBe(`query parameter subject ${allowed}.`);
    const level = await get('/v1/open/reports/attainment-by-area?year=2025&level=county', analyst);
    expect(level.json.detail).toBe('query parameter level must be one of: national, region, district, school.');
  });

  it('answers an unknown report id with 404 naming the reports that exist', async () => {
    const res = await get('/v1/reports/no-such-report', analyst);
    expectProblem(res, 'runReport', 404, 'NOT_FOUND');
    expect(res.json.detail).toBe(
      "No reportId 'no-such-report' exists: it must be one of: school-summary, score-distribution, subject-trends, " +
        'item-analysis, class-comparison, student-progress.',
    );
  });

  it('answers 406 when neither JSON nor CSV is acceptable', async () => {
    const res = await get('/v1/reports/school-summary?schoolId=SCH-0001', analyst, { accept: 'application/xml' });
    expectProblem(res, 'runReport', 406, 'NOT_ACCEPTABLE');
  });

  it('opens a handle only for the scope it was issued to (404 otherwise, as for a forged one)', async () => {
    const keys = new SecretsManagerSigningKeys(t.api.clients.secretsManager, t.api.config.signingKeySecretId, 0);
    const tokens = new QueryTokens(TokenSigner.withKeys(await keys.keyRing()));
    const key = 'a'.repeat(64);
    // A handle issued to SCH-0001's administrator scope, presented by SCH-0002's administrator.
    const mine = scopeFor({
      role: 'school_admin',
      subject: 's',
      groups: ['school_admin'],
      schoolIds: ['SCH-0001'],
      districtIds: [],
      partnerId: undefined,
    });
    const handle = tokens.handle(key, mine.fingerprint);
    expectProblem(await get(`/v1/queries/${handle}`, otherAdmin), 'getQueryStatus', 404, 'NOT_FOUND');
    expectProblem(await get(`/v1/queries/${handle}/results`, otherAdmin), 'getQueryResults', 404, 'NOT_FOUND');
    // The right scope, but no such query (expired): also 404.
    expectProblem(await get(`/v1/queries/${handle}`, admin), 'getQueryStatus', 404, 'NOT_FOUND');
    const forged = `${handle.split('.')[0]}.${'A'.repeat(43)}`;
    expectProblem(await get(`/v1/queries/${forged}`, admin), 'getQueryStatus', 404, 'NOT_FOUND');
  });

  it.each([
    ['DELETE FROM examlake.exam_results', 'Only SELECT'],
    ['SELECT 1; SELECT 2', 'exactly one statement'],
    ['SELECT * FROM information_schema.tables', 'not readable'],
    ["SELECT * FROM read_parquet('/etc/passwd')", 'not allowed'],
  ])('refuses ad-hoc SQL %s with 400 SQL_NOT_ALLOWED', async (sql, message) => {
    const res = await request(`${t.url}/v1/queries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql }),
    });
    expectProblem(res, 'runAdhocQuery', 400, 'SQL_NOT_ALLOWED');
    expect(res.json.detail).toContain(message);
    expect(res.json.errors[0]).toMatchObject({ in: 'body', name: '/sql' });
  });

  it('refuses ad-hoc SQL to school administrators', async () => {
    const res = await request(`${t.url}/v1/queries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT * FROM examlake.exam_results LIMIT 10' }),
    });
    expectProblem(res, 'runAdhocQuery', 403, 'FORBIDDEN');
  });
});
