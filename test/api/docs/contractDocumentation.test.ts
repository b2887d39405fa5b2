import type { OpenAPIV3_1 } from 'openapi-types';
import { ERROR_CODES } from '../../../api/errors';
import { loadOpenApiContract, operationsOf } from '../../../api/http/openapiDocument';
import { PROBLEM_TYPE_BASE, problemType } from '../../../api/http/problemResponse';
import { resolve } from '../../../api/http/RequestValidator';
import { REPORTS } from '../../../api/reports/catalog';
import { OPEN_REPORTS } from '../../../api/reports/open/attainmentByArea';

const { document, text } = loadOpenApiContract();
const parameters = document.components!.parameters as Record<string, OpenAPIV3_1.ParameterObject>;

describe('openapi.yaml documents what Swagger UI shows', () => {
  it('lists exactly the catalog’s report ids, and the open reports’, as enums', () => {
    expect((parameters['ReportId']!.schema as { enum: string[] }).enum).toEqual(REPORTS.map((r) => r.id));
    expect((parameters['OpenReportId']!.schema as { enum: string[] }).enum).toEqual(OPEN_REPORTS.map((r) => r.id));
    expect(OPEN_REPORTS.map((r) => r.id)).toContain(parameters['OpenReportId']!.example);
  });

  it('gives no date parameter a default or an example', () => {
    for (const name of ['From', 'To']) {
      expect({ name, example: parameters[name]!.example, schema: parameters[name]!.schema }).toEqual({
        name,
        example: undefined,
        schema: { $ref: '#/components/schemas/Date' },
      });
    }
  });

  it('shows every status an operation declares with an example body', () => {
    for (const { operation } of operationsOf(document)) {
      for (const [status, declared] of Object.entries(operation.responses ?? {})) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const response = resolve<OpenAPIV3_1.ResponseObject>(document, declared);
        const example = response.content?.['application/problem+json']?.example as { status?: number } | undefined;
        expect({ op: operation.operationId, status, example: example?.status }).toEqual({
          op: operation.operationId,
          status,
          example: Number(status),
        });
      }
    }
  });

  it('names problem types under the one base the API answers with', () => {
    const types = [...text.matchAll(/^\s+type: (https?:\S+)$/gm)].map((m) => m[1]!);
    expect(types.length).toBeGreaterThan(5);
    for (const type of types) expect(type.startsWith(PROBLEM_TYPE_BASE)).toBe(true);
    expect(problemType('VALIDATION_FAILED')).toBe(`${PROBLEM_TYPE_BASE}validation-failed`);
    expect(Object.keys(ERROR_CODES)).toContain('VALIDATION_FAILED');
  });

  it('uses no ids the sample data lacks', () => {
    expect(text).not.toMatch(/\bS0001\b|\bE001\b|acme-research|2024-09-01/);
  });
});
