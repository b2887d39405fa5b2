import type { ValidateFunction } from 'ajv';
import { LRUCache } from 'lru-cache';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { Scope } from '../access/Scope';
import { scopedQueryRequest } from '../access/scopedQueryRequest';
import type { QueryRequest } from '../core/QueryService';
import { type FieldError, ForbiddenError, OutOfScopeError, ValidationError } from '../errors';
import { jsonResponse } from '../http/ApiRequest';
import { fieldErrors, resolve } from '../http/RequestValidator';
import { REPORTS, reportById } from '../reports/catalog';
import type { ReportDefinition, ReportParameters } from '../reports/ReportDefinition';
import type { OperationHandler } from '../router';
import type { QueryRunner } from './QueryRunner';

/** Query parameters of `runReport` that are about the response, not the report. */
const RESPONSE_PARAMETERS = new Set(['pageSize', 'pageToken', 'format']);

/** The report catalog and running a report. */
export function reportOperations(deps: {
  readonly document: OpenAPIV3_1.Document;
  /** Glue database of the dataset tables. */
  readonly database: string;
  /** A validator for a schema of the contract (the router's ajv). */
  readonly schemaValidator: (pointer: string) => ValidateFunction;
  readonly runner: QueryRunner;
  readonly maxResultRows: number;
}): Record<string, OperationHandler> {
  const { document, database, schemaValidator, runner, maxResultRows } = deps;
  const scopedQueries = new LRUCache<string, QueryRequest>({ max: SCOPED_QUERIES });
  return {
    listReports: async (request) =>
      jsonResponse(
        200,
        {
          reports: REPORTS.filter((r) => r.roles.includes(request.scope.role)).map((r) => ({
            id: r.id,
            title: r.title,
            description: r.description,
            datasets: r.datasets.map((d) => `examlake.${d}`),
            parameters: inlineSchema(document, { $ref: `#/components/schemas/${r.parametersSchema}` }),
            columns: r.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })),
            links: { self: `${request.basePath}/v1/reports/${r.id}` },
          })),
        },
        { 'Cache-Control': 'private, max-age=300' },
      ),
    runReport: async (request) => {
      const report = reportById(request.pathParams['reportId']!);
      if (!report.roles.includes(request.scope.role)) {
        throw new ForbiddenError(
          `Report ${report.id} is open to ${report.roles.join(', ')}; your role is ${request.scope.role}.`,
        );
      }
      const parameters = reportParameters(report, schemaValidator, request.query, acceptedParameters(report));
      if (request.scope.minimumCellSize > 1) assertWholeMonths(parameters);
      assertSchoolInScope(parameters, request.scope);
      return runner.run(request, scopedReportQuery(report, parameters, request.scope), {
        reportId: report.id,
        parameters,
      });
    },
  };
  /** The parameter names of a report's schema in the contract. */
  function acceptedParameters(report: ReportDefinition): readonly string[] {
    const schema = resolve<{ properties?: Record<string, unknown> }>(document, {
      $ref: `#/components/schemas/${report.parametersSchema}`,
    });
    return Object.keys(schema?.properties ?? {});
  }

  /**
   * The report's final query under a scope. SQL rendering and scoping are pure functions of the report, its
   * validated parameters and what the scope lets its holder see (all of which its fingerprint hashes), so the
   * result is remembered by fingerprint, report and parameters for repeated requests.
   */
  function scopedReportQuery(report: ReportDefinition, parameters: ReportParameters, scope: Scope): QueryRequest {
    const memoKey = `${scope.fingerprint}|${report.id}?${JSON.stringify(parameters)}`;
    const known = scopedQueries.get(memoKey);
    if (known) return known;
    const { sql, parameters: values } = report.query(parameters).render();
    const query = scopedQueryRequest(
      {
        sql,
        parameters: values,
        datasets: report.datasets,
        columnsRead: report.columnsRead,
        columns: report.columns.map((c) => c.name),
        disclosure: report.disclosure,
      },
      scope,
      { database, maxResultRows },
    );
    scopedQueries.set(memoKey, query);
    return query;
  }
}

/**
 * Under a minimum cell size (partners) a date range covers whole calendar months: `from` the first day of one,
 * `to` the last day of one. Two answers then differ by whole months of class × exam atoms that each meet the
 * minimum, never by a day's few attempts. Anything else is a 400 naming the accepted boundaries.
 */
export function assertWholeMonths(parameters: ReportParameters): void {
  const errors: FieldError[] = [];
  if (parameters.from !== undefined && !parameters.from.endsWith('-01')) {
    errors.push({
      in: 'query',
      name: 'from',
      message: `must be the first day of a calendar month (such as ${parameters.from.slice(0, 8)}01): answers under a minimum cell size cover whole months`,
    });
  }
  if (parameters.to !== undefined && parameters.to !== lastDayOfMonth(parameters.to)) {
    errors.push({
      in: 'query',
      name: 'to',
      message: `must be the last day of a calendar month (such as ${lastDayOfMonth(parameters.to)}): answers under a minimum cell size cover whole months`,
    });
  }
  if (errors.length > 0) throw new ValidationError(errors);
}

/** `YYYY-MM-DD` of the last day of the month of a `YYYY-MM-DD` date. */
function lastDayOfMonth(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${date.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

/**
 * A school administrator who names a school outside their scope is told so (403 naming it) before any query
 * runs. Decidable only from the token: an administrator who also holds district ids may name a school of
 * those districts, which only the data knows, so such a request runs and answers the rows in scope.
 */
export function assertSchoolInScope(parameters: ReportParameters, scope: Scope): void {
  const caller = scope.caller;
  if (scope.role !== 'school_admin' || parameters.schoolId === undefined || caller.districtIds.length > 0) return;
  if (!caller.schoolIds.includes(parameters.schoolId)) {
    throw new OutOfScopeError('schoolId', [parameters.schoolId], caller.schoolIds);
  }
}

/** Scoped report queries remembered (oldest dropped first). */
const SCOPED_QUERIES = 1000;

/** The report's own parameters, validated against its schema in the contract (defaults applied). */
export function reportParameters(
  report: ReportDefinition,
  schemaValidator: (pointer: string) => ValidateFunction,
  query: Readonly<Record<string, unknown>>,
  /** The report's parameter names, named when another is refused. @default not named */
  accepted: readonly string[] = [],
): ReportParameters {
  const parameters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!RESPONSE_PARAMETERS.has(name) && value !== undefined) parameters[name] = value;
  }
  const validate = schemaValidator(`#/components/schemas/${report.parametersSchema}`);
  const errors: FieldError[] = [];
  if (!validate(parameters)) {
    errors.push(
      ...fieldErrors('query', validate.errors, {
        notDeclared:
          `is not a parameter of report ${report.id}` + (accepted.length ? ` (it takes ${accepted.join(', ')})` : ''),
        required: `is required by report ${report.id}`,
      }),
    );
  }
  const { from, to } = parameters as ReportParameters;
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && (value < '2000-01-01' || value > '2099-12-31')) {
      errors.push({ in: 'query', name, message: 'must be a date between 2000-01-01 and 2099-12-31' });
    }
  }
  if (from !== undefined && to !== undefined && from > to) {
    errors.push({ in: 'query', name: 'to', message: `must not be before from (${from})` });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return parameters as ReportParameters;
}

/** A schema of the contract with its local `$ref`s replaced by what they point at (clients read it whole). */
export function inlineSchema(document: OpenAPIV3_1.Document, schema: unknown, depth = 0): unknown {
  if (depth > 20) return schema;
  if (Array.isArray(schema)) return schema.map((s) => inlineSchema(document, s, depth + 1));
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/'))
    return inlineSchema(document, resolve(document, schema), depth + 1);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlineSchema(document, v, depth + 1)]));
}
