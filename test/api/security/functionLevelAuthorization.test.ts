import { loadOpenApiContract, operationsOf, ROLES, type Role } from '../../../api/http/openapiDocument';
import { LocalIssuer, type MintRequest } from '../../../infra/local/identity/LocalIssuer';
import { request } from '../support/httpClient';
import { type ApiTestStack, startApiTestStack } from '../support/startApiTestStack';

/**
 * Function-level authorization: every operation of `openapi.yaml` × every role, with the expectation derived
 * from the operation's `x-examlake-roles`. A role outside the list is refused (401 without a token, 403 with
 * one); a role inside it is never refused. Path parameters name things that do not exist, so allowed calls stop
 * early in their handlers (404/400) instead of running queries: what is tested is the refusal, not the use case.
 */
const { document } = loadOpenApiContract();
const PATH_VALUES: Record<string, string> = {
  asset: 'swagger-ui.css',
  name: 'exam_results',
  reportId: 'no-such-report',
  handle: 'not-a-handle',
  partnerId: 'P1',
};
const TOKENS: Record<Exclude<Role, 'public'>, MintRequest> = {
  school_admin: { role: 'school_admin', schoolIds: ['S0001'] },
  partner: { role: 'partner', partnerId: 'P1' },
  analyst: { role: 'analyst' },
  steward: { role: 'steward' },
};

const cases = operationsOf(document).flatMap(({ pathTemplate, method, operation }) =>
  ROLES.map((role) => ({
    operationId: String(operation.operationId),
    method: method.toUpperCase(),
    path: pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => PATH_VALUES[name] ?? 'x1'),
    role,
    allowed: (operation['x-examlake-roles'] ?? []).includes(role),
  })),
);

let t: ApiTestStack;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  t = await startApiTestStack({ bootstrap: false, settings: { queryWaitMs: 500 } });
  const issuer = await LocalIssuer.open(t.stack.dataDir);
  for (const [role, mint] of Object.entries(TOKENS)) tokens.set(role as Role, await issuer.mint(mint));
});
afterAll(async () => {
  await t?.stop();
});

describe('function-level authorization matrix', () => {
  it('declares the roles of every operation and guards exactly the operations closed to the public', () => {
    for (const { pathTemplate, method, operation } of operationsOf(document)) {
      const roles = operation['x-examlake-roles'];
      expect({ op: operation.operationId, roles: Array.isArray(roles) && roles.length > 0 }).toEqual({
        op: operation.operationId,
        roles: true,
      });
      const open = (operation.security ?? document.security ?? []).length === 0;
      expect({ op: `${method} ${pathTemplate}`, open }).toEqual({
        op: `${method} ${pathTemplate}`,
        open: roles!.includes('public'),
      });
    }
    expect(cases.length).toBe(operationsOf(document).length * ROLES.length);
  });

  it.each(cases)('$method $path as $role: allowed=$allowed', async ({ method, path, role, allowed }) => {
    const token = tokens.get(role);
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const res = await request(`${t.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
      },
      body: hasBody ? '{}' : undefined,
    });
    if (allowed) {
      expect([401, 403]).not.toContain(res.status);
      expect(['UNAUTHORIZED', 'FORBIDDEN']).not.toContain(res.json?.code);
    } else {
      expect(res.status).toBe(role === 'public' ? 401 : 403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.code).toBe(role === 'public' ? 'UNAUTHORIZED' : 'FORBIDDEN');
    }
  });
});
