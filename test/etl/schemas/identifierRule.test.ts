import { claimsToCaller } from '../../../api/auth/claimsToCaller';
import { loadOpenApiContract } from '../../../api/http/openapiDocument';
import { RequestValidator } from '../../../api/http/RequestValidator';
import { DATASETS } from '../../../etl/schemas/datasets';
import { BOUNDED_ID_PATTERN, ID_MAX_LENGTH, ID_PATTERN, isIdentifier } from '../../../etl/schemas/identifier';
import { resolveHeader } from '../../../etl/schemas/resolveHeader';
import { validateRecord } from '../../../etl/schemas/validateRecord';

const { document } = loadOpenApiContract();
const validator = new RequestValidator(document);

/** Ids the rule admits: a school id with `:`, a partner id with `.`, the longest id. */
const VALID = ['SCH-0001', 'SCH:0001', 'acme.org', 'P1', 'a_b.c:d-e', 'x'.repeat(ID_MAX_LENGTH)];
/** Ids it refuses: a space, a leading separator, a slash, a quote, too long, empty. */
const INVALID = ['P 1', '-x', '.hidden', 'a/b', "S1' OR 1=1--", 'x'.repeat(ID_MAX_LENGTH + 1), ''];

/** Whether the ETL accepts the id as `exam_results.school_id` (the example row otherwise). */
function loads(id: string): boolean {
  const columns = DATASETS.exam_results.columns;
  const mapping = resolveHeader(
    'exam_results',
    columns.map((c) => c.name),
  );
  return validateRecord(
    mapping,
    columns.map((c) => (c.name === 'school_id' ? id : c.example)),
  ).ok;
}

/** Whether a token may carry the id as a school id, and as a partner id. */
function inToken(id: string): boolean {
  const accepts = (claims: Record<string, unknown>) => {
    try {
      claimsToCaller({ sub: 'u', ...claims });
      return true;
    } catch {
      return false;
    }
  };
  const school = accepts({ 'cognito:groups': ['school_admin'], 'custom:school_ids': id });
  const partner = accepts({ 'cognito:groups': ['partner'], 'custom:partner_id': id });
  expect([id, school]).toEqual([id, partner]);
  return school;
}

/** Whether the API addresses the id: a `schoolId` parameter and a `partnerId` path. */
function addressable(id: string): boolean {
  const accepts = (operationId: string, pathParams: Record<string, string>, query: Record<string, string[]>) => {
    try {
      validator.validate(operationId, { pathParams, query, headers: {}, body: undefined, hasBody: false });
      return true;
    } catch {
      return false;
    }
  };
  const school = accepts('runReport', { reportId: 'school-summary' }, { schoolId: [id] });
  const partner = accepts('getPartnerGrant', { partnerId: id }, {});
  expect([id, school]).toEqual([id, partner]);
  return school;
}

describe('the identifier rule', () => {
  it('is the one pattern of the contract: ids in schemas and the partnerId path parameters', () => {
    const schemas = document.components!.schemas as Record<string, { pattern?: string }>;
    expect(schemas['Id']!.pattern).toBe(BOUNDED_ID_PATTERN);
    const parameters = document.components!.parameters as Record<string, { schema: { $ref?: string } }>;
    expect(parameters['PartnerId']!.schema).toEqual({ $ref: '#/components/schemas/Id' });
    expect(parameters['PartnerIdToChange']!.schema).toEqual({ $ref: '#/components/schemas/Id' });
  });

  it('is the pattern of every id column of the datasets', () => {
    const idColumns = Object.values(DATASETS).flatMap((d) =>
      d.columns.filter((c) => c.constraints?.pattern !== undefined).map((c) => [d.name, c.name, c.constraints]),
    );
    expect(idColumns.length).toBeGreaterThan(5);
    for (const [, , constraints] of idColumns) {
      expect(constraints).toMatchObject({ pattern: ID_PATTERN, maxLength: ID_MAX_LENGTH });
    }
  });

  it.each(VALID)('admits %j everywhere: it loads, can be in a token and is addressed in a path', (id) => {
    expect([isIdentifier(id), loads(id), inToken(id), addressable(id)]).toEqual([true, true, true, true]);
  });

  it.each(INVALID)('refuses %j everywhere', (id) => {
    expect([isIdentifier(id), loads(id), inToken(id), addressable(id)]).toEqual([false, false, false, false]);
  });
});
