import type { SqlValue } from '../core/sqlLiteral';
import { ForbiddenError } from '../errors';
import type { Scope } from './Scope';

/** A query's text and parameters, and the output column that counts the individuals behind each row. */
export interface GroupedQuery {
  readonly sql: string;
  readonly parameters: readonly SqlValue[];
  /**
   * Output column counting the individuals (students, attempts, answers) behind a row; `null` when a row
   * describes a single student or answer, so the query is refused to scopes with a minimum cell size.
   * `undefined` only for queries that never run under such a scope (ad-hoc SQL, open data).
   */
  readonly groupSizeColumn?: string | null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** The query's final ORDER BY: plain (optionally qualified) column names, nothing after it. */
const TRAILING_ORDER_BY = /\s+ORDER\s+BY\s+([A-Za-z0-9_.,\s]+?)\s*$/i;

/**
 * Enforces a scope's minimum cell size (a partner grant's `minimumCellSize`): for a scope with a minimum above
 * 1, the query becomes `SELECT * FROM (<query>) AS r WHERE r.<groupSizeColumn> >= ? ORDER BY …`, the minimum a
 * parameter after the query's own and the query's ORDER BY moved outside (a subquery's order is not kept). The
 * column comes from the report definition, never from the request. Queries whose rows describe individuals
 * (`groupSizeColumn: null`) are refused with 403. Scopes without a minimum get the query unchanged.
 */
export function applyMinimumCell<Q extends GroupedQuery>(query: Q, scope: Scope): Q {
  const minimum = scope.minimumCellSize;
  if (minimum <= 1) return query;
  const column = query.groupSizeColumn;
  if (column === null) {
    throw new ForbiddenError(
      `Your grant has a minimum cell size of ${minimum}, and the rows of this report each describe a single student or answer; it is not available to your scope.`,
    );
  }
  if (column === undefined || !IDENTIFIER.test(column)) {
    throw new Error(`A query run under a minimum cell size must declare a valid groupSizeColumn, not ${column}.`);
  }
  const order = TRAILING_ORDER_BY.exec(query.sql);
  const inner = order ? query.sql.slice(0, order.index) : query.sql;
  const orderBy = order
    ? ` ORDER BY ${order[1]!
        .split(',')
        .map((term) => term.trim().replace(/^[a-z_][a-z0-9_]*\./i, ''))
        .join(', ')}`
    : '';
  return {
    ...query,
    sql: `SELECT * FROM (${inner.trim()}) AS r WHERE r.${column} >= ?${orderBy}`,
    parameters: [...query.parameters, minimum],
  };
}
