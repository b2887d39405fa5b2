import { curatedColumns, getDataset, isDatasetName, PARTITION_COLUMNS } from '../../etl/schemas';
import { applyScope, visibleColumns } from '../access/applyScope';
import { FORBIDDEN_GRANT_COLUMNS } from '../access/Grant';
import type { Scope } from '../access/Scope';
import { PARTNER_STUDENT_KEY_SQL } from '../core/partnerStudentKey';
import { Sql, sql } from '../core/Sql';
import type { SqlValue } from '../core/sqlLiteral';
import { type FieldError, ForbiddenError, ValidationError } from '../errors';

export const EXTRACT_FORMATS = { parquet: 'PARQUET', csv: 'TEXTFILE' } as const;
export type ExtractFormat = keyof typeof EXTRACT_FORMATS;

/** What a caller asks to extract (`ExtractRequest` in openapi.yaml). */
export interface ExtractRequest {
  readonly dataset: string;
  readonly format: ExtractFormat;
  /** Columns wanted; absent: every column the scope sees (minus student_id/student_name for partners). */
  readonly columns?: readonly string[];
  readonly schoolId?: string;
  readonly districtId?: string;
  readonly region?: string;
  readonly subject?: string;
  /** Inclusive dates of `submitted_at` (YYYY-MM-DD). */
  readonly from?: string;
  readonly to?: string;
}

/** The scoped SELECT of an extract and its row count, both through `applyScope`. */
export interface ExtractQuery {
  readonly columns: readonly string[];
  readonly select: { readonly sql: string; readonly parameters: readonly SqlValue[] };
  readonly count: { readonly sql: string; readonly parameters: readonly SqlValue[] };
}

const FILTERS = {
  schoolId: 'school_id',
  districtId: 'district_id',
  region: 'region',
  subject: 'subject',
} as const;

/**
 * The extract's query, through the scope seam: the dataset's scoped CTE (rows, datasets and columns of the scope,
 * PII as `student_key`), the request's filters as `?` parameters, and for a pseudonymised scope the partner's own
 * `student_key` (`partnerKeyHex` as the first parameter). A row-level extract is not cut to the minimum cell size's
 * atoms: the grant level `rows` is the steward's decision to disclose pseudonymised rows.
 */
export function extractQuery(
  request: ExtractRequest,
  scope: Scope,
  options: { readonly database: string; readonly partnerKeyHex: string | undefined },
): ExtractQuery {
  if (!isDatasetName(request.dataset)) {
    throw new ValidationError([{ in: 'body', name: '/dataset', message: `names no dataset (${request.dataset})` }]);
  }
  const dataset = request.dataset;
  const rowScope: Scope = { ...scope, minimumCellSize: 1 };
  const visible = visibleColumns(dataset, rowScope);
  const piiAliases = new Set<string>(scope.pseudonymised ? FORBIDDEN_GRANT_COLUMNS : []);
  const all = [...curatedColumns(getDataset(dataset)).map((c) => c.name), ...PARTITION_COLUMNS.map((c) => c.name)];
  const columns = request.columns ?? all.filter((c) => visible.has(c) && !piiAliases.has(c));
  const errors: FieldError[] = [];
  columns.forEach((c, i) => {
    if (!all.includes(c))
      errors.push({ in: 'body', name: `/columns/${i}`, message: `is not a column of ${dataset} (${c})` });
  });
  if (errors.length) throw new ValidationError(errors);
  const pii = columns.filter((c) => piiAliases.has(c));
  if (pii.length) throw new ForbiddenError(`Extracts never hold ${pii.join(', ')}: partners receive student_key.`);
  if (columns.length === 0) throw new ForbiddenError(`Your scope includes no column of dataset ${dataset}.`);
  const names = new Set(all);
  const where: Sql[] = [];
  for (const [field, column] of Object.entries(FILTERS) as [keyof typeof FILTERS, string][]) {
    const value = request[field];
    if (value === undefined) continue;
    if (!names.has(column)) {
      throw new ValidationError([
        { in: 'body', name: `/${field}`, message: `${dataset} has no ${column} to filter on` },
      ]);
    }
    where.push(sql`${Sql.raw(column)} = ${value}`);
  }
  if (request.from !== undefined) where.push(sql`CAST(submitted_at AS date) >= ${{ date: request.from }}`);
  if (request.to !== undefined) where.push(sql`CAST(submitted_at AS date) <= ${{ date: request.to }}`);
  const projection = columns.map((c) =>
    c === 'student_key' && scope.pseudonymised ? partnerKey(options.partnerKeyHex) : Sql.raw(c),
  );
  const filter = where.length ? sql` WHERE ${Sql.join(where, ' AND ')}` : Sql.raw('');
  const select = sql`SELECT ${Sql.join(projection, ', ')} FROM ${Sql.raw(dataset)}${filter}`.render();
  const count = sql`SELECT count(*) AS row_count FROM ${Sql.raw(dataset)}${filter}`.render();
  const scoped = (q: { sql: string; parameters: SqlValue[] }) =>
    applyScope(
      { sql: q.sql, parameters: q.parameters, datasets: [dataset], columnsRead: { [dataset]: columns } },
      rowScope,
      { database: options.database },
    );
  const s = scoped(select);
  const c = scoped(count);
  return { columns, select: { sql: s.sql, parameters: s.parameters }, count: { sql: c.sql, parameters: c.parameters } };
}

function partnerKey(keyHex: string | undefined): Sql {
  if (keyHex === undefined) throw new Error('A pseudonymised extract needs the partner key.');
  const [before, after] = PARTNER_STUDENT_KEY_SQL.split('?') as [string, string];
  return sql`${Sql.raw(before)}${keyHex}${Sql.raw(`${after} AS student_key`)}`;
}
