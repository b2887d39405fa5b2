import type { OpenAPIV3_1 } from 'openapi-types';
import { deployedContract } from '../../api/http/deployedContract';
import { loadOpenApiContract, operationsOf } from '../../api/http/openapiDocument';
import { resolve } from '../../api/http/RequestValidator';
import { ContractValidator } from './support/contractValidator';
import { request } from './support/httpClient';
import { type ApiTestStack, startApiTestStack } from './support/startApiTestStack';

let t: ApiTestStack;
const contract = new ContractValidator();

beforeAll(async () => {
  t = await startApiTestStack({ bootstrap: false });
});
afterAll(async () => {
  await t?.stop();
});

describe('routing through the local gateway', () => {
  it('answers the health check with the contract’s Health body', async () => {
    const res = await request(`${t.url}/v1/health`);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('ok');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    contract.check('getHealth', 200, res.headers.get('content-type')!, res.json);
  });

  it('answers an unknown path with a 404 problem body', async () => {
    const res = await request(`${t.url}/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: '/v1/nothing-here' });
    expect(res.json.requestId).toBe(res.headers.get('x-request-id'));
    contract.check('getHealth', 404, 'application/problem+json', res.json);
  });

  it('redirects a GET of a route’s path with a trailing slash to the path without it, query kept', async () => {
    for (const [path, location] of [
      ['/docs/', '/docs'],
      ['/v1/health/', '/v1/health'],
      [
        '/v1/reports/school-summary//?schoolId=SCH-0001&from=2025-01-01',
        '/v1/reports/school-summary?schoolId=SCH-0001&from=2025-01-01',
      ],
    ]) {
      const res = await request(`${t.url}${path}`, { redirect: 'manual' });
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 308, location]);
    }
    const followed = await request(`${t.url}/v1/health/`);
    expect(followed.status).toBe(200);
  });

  it('answers 404, not a redirect, for a trailing slash on no route or on a method other than GET', async () => {
    expect((await request(`${t.url}/v1/nothing-here/`, { redirect: 'manual' })).status).toBe(404);
    const post = await request(`${t.url}/v1/queries/`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(404);
    expect(post.json.code).toBe('NOT_FOUND');
  });

  it('answers a method the path does not have with 405 and an Allow header', async () => {
    const res = await request(`${t.url}/v1/health`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(res.json.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('rejects an unknown query parameter of a public operation with a 400 naming it', async () => {
    const res = await request(`${t.url}/v1/health?verbose=1`);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('VALIDATION_FAILED');
    expect(res.json.errors).toEqual([
      { in: 'query', name: 'verbose', message: 'is not a parameter of this operation' },
    ]);
    contract.check('getHealth', 400, 'application/problem+json', res.json);
  });

  it('answers 401 with a problem body when an operation needing a token gets none', async () => {
    const res = await request(`${t.url}/v1/reports`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(res.json).toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: 'Unauthorized' });
    contract.check('listReports', 401, 'application/problem+json', res.json);
  });

  it('answers 401 for a token the gateway cannot verify', async () => {
    const res = await request(`${t.url}/v1/datasets`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('UNAUTHORIZED');
  });

  it('serves the contract at /openapi.yaml, naming this gateway as its server and sign-in', async () => {
    const res = await request(`${t.url}/openapi.yaml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/yaml');
    expect(res.text).toBe(deployedContract(loadOpenApiContract().text, { publicUrl: t.url, oauthDomainUrl: t.url }));
    expect(res.text).toContain(`- url: "${t.url}"`);
  });

  it('serves Swagger UI at /docs with its assets and an initializer loading /openapi.yaml', async () => {
    const page = await request(`${t.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const assets = [...page.text.matchAll(/(?:src|href)="(docs\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['docs/swagger-ui-bundle.js', 'docs/swagger-initializer.js']));
    for (const asset of assets) {
      const res = await fetch(`${t.url}/${asset}`);
      expect([asset, res.status]).toEqual([asset, 200]);
      await res.arrayBuffer();
    }
    const init = await request(`${t.url}/docs/swagger-initializer.js`);
    expect(init.text).toContain("'/openapi.yaml'");
    expect(init.text).toContain('persistAuthorization: true');
  });

  it('answers an unknown documentation asset with 404', async () => {
    const res = await request(`${t.url}/docs/secrets.txt`);
    expect(res.status).toBe(404);
  });

  it('routes every operation of openapi.yaml to a handler (none answers 404 or 405)', async () => {
    const { document } = loadOpenApiContract();
    for (const { pathTemplate, method, operation } of operationsOf(document)) {
      // A path parameter with an enum (report ids) takes its first value: any other names nothing (404).
      const enumOf = (name: string) =>
        (operation.parameters ?? [])
          .map((p) => resolve<OpenAPIV3_1.ParameterObject>(document, p))
          .find((p) => p.in === 'path' && p.name === name)?.schema as { enum?: string[] } | undefined;
      const path = pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => enumOf(name)?.enum?.[0] ?? 'x-1');
      const res = await fetch(`${t.url}${path}`, { method: method.toUpperCase() });
      await res.arrayBuffer();
      expect([method, path, res.status === 404 || res.status === 405]).toEqual([method, path, false]);
    }
  });
});
