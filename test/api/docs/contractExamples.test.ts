import path from 'node:path';
import type { OpenAPIV3_1 } from 'openapi-types';
import { loadOpenApiContract, operationsOf, type Role } from '../../../api/http/openapiDocument';
import { resolve } from '../../../api/http/RequestValidator';
import { REPORTS } from '../../../api/reports/catalog';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { uploadExports } from '../../../infra/cli/uploadExports';
import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';
import { SAMPLE_CALLERS } from '../../../infra/local/identity/roleTokens';
import { ensureDemoGrant, SAMPLE_DATA } from '../../../infra/local/sampleData';
import { wireEtl } from '../../../infra/local/wireEtl';
import { request } from '../support/httpClient';
import { type ApiTestStack, startApiTestStack } from '../support/startApiTestStack';

/**
 * Swagger UI on the first click: the sample data `npm start` loads is loaded into a local stack through the
 * real ETL, then every operation is called with exactly what Swagger UI pre-fills (each parameter's example, or
 * its schema's default) and every report with the example of its parameter schema, as each role allowed to
 * call it. Each answer must be a 200 with at least one row.
 */
jest.setTimeout(300_000);

const { document } = loadOpenApiContract();
let t: ApiTestStack;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  t = await startApiTestStack();
  wireEtl(t.stack.stack);
  const dir = path.join(t.stack.dataDir, 'sample');
  // The later school year, which the examples name (npm start loads the one before it too).
  const { seed, badRows, schools, years } = SAMPLE_DATA;
  await generateSampleData(dir, { seed, badRows, schools, year: years[years.length - 1] }, { replace: true });
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const outcome = await uploadExports(dir, { clientConfig: t.stack.clientConfig });
    if (!outcome.ok) throw new Error(`Loading the sample data failed: ${outcome.message}`);
  } finally {
    log.mockRestore();
  }
  const issuer = await LocalIssuer.open(t.stack.dataDir);
  await ensureDemoGrant(t.url, issuer);
  for (const caller of Object.values(SAMPLE_CALLERS)) tokens.set(caller.role, await issuer.mint(caller));
});
afterAll(async () => {
  await t?.stop();
});

/** What Swagger UI's "Try it out" fills in for a parameter: its example, else its schema's example or default. */
function prefilled(parameter: OpenAPIV3_1.ParameterObject): unknown {
  const schema = resolve<OpenAPIV3_1.SchemaObject>(document, parameter.schema ?? {});
  return parameter.example ?? schema?.example ?? schema?.default;
}

/** GET operations and the ad-hoc query (which reads, with its body example): the calls Swagger UI offers that read. */
const reading = operationsOf(document).filter(
  ({ method, pathTemplate }) => (method === 'get' || pathTemplate === '/v1/queries') && pathTemplate.startsWith('/v1/'),
);

/**
 * The request of a first click. A query handle cannot have an example (it is signed, per answer): it is the
 * `query.handle` of the answer to the report example, as a user would copy it.
 */
function firstClick(
  pathTemplate: string,
  operation: OpenAPIV3_1.OperationObject,
  handle?: string,
): { url: string; body?: string } {
  const params = (operation.parameters ?? []).map((p) => resolve<OpenAPIV3_1.ParameterObject>(document, p));
  const query = new URLSearchParams();
  let url = pathTemplate;
  for (const p of params) {
    const value = p.name === 'handle' || p.name === 'extractId' ? handle : prefilled(p);
    if (p.in === 'path') {
      if (value === undefined) throw new Error(`${operation.operationId}: path parameter ${p.name} has no example`);
      url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    } else if (p.in === 'query' && value !== undefined) query.set(p.name, String(value));
  }
  const media = resolve<OpenAPIV3_1.RequestBodyObject>(document, operation.requestBody)?.content?.['application/json'];
  return {
    url: `${t.url}${url}${query.size > 0 ? `?${query}` : ''}`,
    ...(media ? { body: JSON.stringify(media.example) } : {}),
  };
}

function headersFor(role: Role, body?: string): Record<string, string> {
  return {
    ...(role === 'public' ? {} : { authorization: `Bearer ${tokens.get(role)}` }),
    ...(body ? { 'content-type': 'application/json' } : {}),
  };
}

/** Rows of an answer: result and open-data pages, catalogs and dataset lists. */
function rowsOf(json: Record<string, unknown>): unknown[] | undefined {
  const lists = [json['rows'], json['reports'], json['datasets'], json['columns']].filter(Array.isArray);
  return lists[0] as unknown[] | undefined;
}

describe('Swagger UI on the first click, over the sample data npm start loads', () => {
  const cases = reading.flatMap(({ pathTemplate, method, operation }) =>
    (operation['x-examlake-roles'] ?? []).map((role) => ({
      id: String(operation.operationId),
      pathTemplate,
      method,
      operation,
      role,
    })),
  );

  it.each(cases.map((c) => [c.id, c.role, c]))('answers %s as %s with data', async (_id, _role, c) => {
    let handle: string | undefined;
    if (c.pathTemplate.includes('{handle}')) {
      const report = firstClick('/v1/reports/{reportId}', operationOf('runReport'));
      handle = (await request(report.url, { headers: headersFor(c.role) })).json.query.handle;
    }
    if (c.pathTemplate.includes('{extractId}')) {
      // An extract id is per answer, like a handle: the id of the 202 to the POST example, as a user would copy it.
      const start = firstClick('/v1/extracts', operationOf('createExtract'));
      const started = await request(start.url, {
        method: 'POST',
        headers: headersFor(c.role, start.body),
        body: start.body,
      });
      expect([started.status, started.json?.detail]).toEqual([202, undefined]);
      handle = started.json.id;
    }
    const { url, body } = firstClick(c.pathTemplate, c.operation, handle);
    const res = await request(url, { method: c.method.toUpperCase(), headers: headersFor(c.role, body), body });
    expect({ op: c.id, role: c.role, status: res.status, detail: res.json?.detail }).toEqual({
      op: c.id,
      role: c.role,
      status: 200,
      detail: undefined,
    });
    const rows = rowsOf(res.json);
    if (rows !== undefined)
      expect({ op: c.id, role: c.role, rows: rows.length > 0 }).toEqual({ op: c.id, role: c.role, rows: true });
  });

  it.each(REPORTS.map((r) => [r.id, r]))('answers %s with the example of its parameter schema', async (id, report) => {
    const schema = document.components!.schemas![report.parametersSchema] as { examples?: Record<string, string>[] };
    expect(schema.examples?.length).toBeGreaterThan(0);
    const query = new URLSearchParams(schema.examples![0]);
    for (const role of report.roles.filter((r): r is Role => tokens.has(r as Role))) {
      const res = await request(`${t.url}/v1/reports/${id}?${query}`, { headers: headersFor(role) });
      expect({ id, role, status: res.status, detail: res.json?.detail }).toEqual({
        id,
        role,
        status: 200,
        detail: undefined,
      });
      expect({ id, role, rows: res.json.rows.length > 0 }).toEqual({ id, role, rows: true });
    }
  });

  it('creates, then revokes, a grant with the examples of the grant writes, leaving the demo grant alone', async () => {
    const put = firstClick('/v1/partners/{partnerId}/grant', operationOf('putPartnerGrant'));
    const created = await request(put.url, { method: 'PUT', headers: headersFor('steward', put.body), body: put.body });
    expect({ status: created.status, detail: created.json?.detail }).toEqual({ status: 200, detail: undefined });
    const del = firstClick('/v1/partners/{partnerId}/grant', operationOf('deletePartnerGrant'));
    expect(del.url).toBe(put.url);
    expect((await request(del.url, { method: 'DELETE', headers: headersFor('steward') })).status).toBe(204);
    const demo = firstClick('/v1/partners/{partnerId}/grant', operationOf('getPartnerGrant'));
    expect((await request(demo.url, { headers: headersFor('steward') })).json.partnerId).toBe('P1');
  });

  it('answers the open-data example as CSV too', async () => {
    const { url } = firstClick('/v1/open/reports/{reportId}', operationOf('runOpenReport'));
    const res = await request(url, { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.text.split('\r\n')[0]).toMatch(/^level,region,district_id,school_id,subject,first_attempts,/);
    expect(res.text.split('\r\n').filter((line) => line !== '').length).toBeGreaterThan(1);
  });
});

function operationOf(id: string): OpenAPIV3_1.OperationObject {
  return operationsOf(document).find((o) => o.operation.operationId === id)!.operation;
}
