import type { QueryRequest } from '../core/QueryService';
import { sqlLiteral } from '../core/sqlLiteral';
import { applyScope, type ScopableQuery } from './applyScope';
import type { Scope } from './Scope';

export interface ScopedQueryOptions {
  /** Glue database of the dataset tables. */
  readonly database: string;
  /** Rows an answer may have; one more is asked of the engine, so truncation shows. */
  readonly maxResultRows: number;
}

/**
 * What the query service runs for a catalogued query (a report, an open report's leaf counts) under a scope:
 * the scope applied (`applyScope`), the row cap as `LIMIT maxResultRows + 1`, the parameters as Athena literals,
 * the tables read (for data versions) and the scope's fingerprint.
 */
export function scopedQueryRequest(query: ScopableQuery, scope: Scope, options: ScopedQueryOptions): QueryRequest {
  const scoped = applyScope(query, scope, { database: options.database });
  return {
    query: { sql: `${scoped.sql}\nLIMIT ${options.maxResultRows + 1}`, parameters: scoped.parameters.map(sqlLiteral) },
    tables: scoped.datasets,
    scopeFingerprint: scope.fingerprint,
    rowLimit: options.maxResultRows,
  };
}
