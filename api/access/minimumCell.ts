import type { SqlValue } from '../core/sqlLiteral';
import { WITHHELD } from '../core/suppression/LinearTable';
import { ForbiddenError } from '../errors';
import type { Scope } from './Scope';

/**
 * How a report's rows are protected under a minimum cell size: which output columns name the group, which
 * count individuals, and which carry counts in disguise (a share of a count, a count inside a row).
 */
export interface DisclosureDeclaration {
  /** Output columns naming the row's group (`exam_id`, `month`): kept when the row's figures are withheld. */
  readonly keys: readonly string[];
  /** Output columns counting individuals (students, attempts, answers): each must meet the minimum. */
  readonly counts: readonly string[];
  /**
   * Shares of a count (`pass_rate` of `attempts`): the count a share implies (`round(share × of)`) and its
   * complement must each be 0 or meet the minimum, or the share is withheld (null).
   */
  readonly shares?: readonly { readonly share: string; readonly of: string }[];
  /**
   * Counts inside a row (`most_common_wrong_count`): between 1 and the minimum − 1 they are withheld, with the
   * columns they describe (`most_common_wrong_answer`).
   */
  readonly smallCounts?: readonly { readonly count: string; readonly with: readonly string[] }[];
  /**
   * The rows split one group whose total other answers publish (score bins of an exam's attempts): withholding
   * one row would let it be derived as the total minus the others, so one withheld row withholds every row.
   */
  readonly partition?: boolean;
}

/** A query's text and parameters, its output columns, and how its rows are protected. */
export interface GroupedQuery {
  readonly sql: string;
  readonly parameters: readonly SqlValue[];
  /** Output columns, in order (every column of `disclosure` is one of them). */
  readonly columns?: readonly string[];
  /**
   * How rows are protected; `null` when a row describes a single student or answer, so the query is refused
   * to scopes with a minimum cell size. `undefined` only for queries that never run under such a scope
   * (ad-hoc SQL, open data).
   */
  readonly disclosure?: DisclosureDeclaration | null;
}

/** Column a protected answer adds: `withheld` ({@link WITHHELD}, the open tables' label too) when the row's figures are withheld, else null. */
export const WITHHELD_COLUMN = 'withheld';
/** Column a protected answer adds: how many rows of the whole answer are withheld (the same on every row). */
export const WITHHELD_GROUPS_COLUMN = 'withheld_groups';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** The query's final ORDER BY: plain (optionally qualified) column names, nothing after it. */
const TRAILING_ORDER_BY = /\s+ORDER\s+BY\s+([A-Za-z0-9_.,\s]+?)\s*$/i;

/**
 * Enforces a scope's minimum cell size (a partner grant's `minimumCellSize`, at least the deployment's floor)
 * on a report's answer. For a scope with a minimum above 1 the query is wrapped so that:
 *
 * - a row whose count columns are not all at least the minimum keeps its group (`keys`) but every figure is
 *   null and `withheld` says so; for a `partition` report one such row withholds every row;
 * - a share implying a count (or complement) between 1 and the minimum − 1 is null, and so is a small count
 *   inside a row with the columns it describes;
 * - every row carries `withheld_groups`, the number of withheld rows of the answer (the API lifts it into the
 *   answer's metadata and the `X-Examlake-Withheld-Groups` header): withheld groups are never silently missing.
 *
 * Every value is a parameter (positions follow the text: the outer select list, the row check, then the
 * query's own); column names come from the report definition, never the request. The query's ORDER BY moves
 * outside (a subquery's order is not kept). Queries whose rows describe individuals (`disclosure: null`) are
 * refused with 403. Scopes without a minimum get the query unchanged.
 */
export function applyMinimumCell<Q extends GroupedQuery>(query: Q, scope: Scope): Q {
  const minimum = scope.minimumCellSize;
  if (minimum <= 1) return query;
  const disclosure = query.disclosure;
  if (disclosure === null) {
    throw new ForbiddenError(
      `Your grant has a minimum cell size of ${minimum}, and the rows of this report each describe a single student or answer; it is not available to your scope.`,
    );
  }
  const columns = query.columns ?? [];
  if (disclosure === undefined || columns.length === 0) {
    throw new Error('A query run under a minimum cell size must declare its output columns and disclosure.');
  }
  const declared = [
    ...disclosure.keys,
    ...disclosure.counts,
    ...(disclosure.shares ?? []).flatMap((s) => [s.share, s.of]),
    ...(disclosure.smallCounts ?? []).flatMap((s) => [s.count, ...s.with]),
  ];
  for (const name of [...columns, ...declared]) {
    if (!IDENTIFIER.test(name)) throw new Error(`Invalid output column name ${name} in a disclosure declaration.`);
  }
  for (const name of declared) {
    if (!columns.includes(name)) throw new Error(`Disclosure names ${name}, which is not an output column.`);
  }
  if (disclosure.counts.length === 0) throw new Error('Disclosure must name at least one count column.');
  const order = TRAILING_ORDER_BY.exec(query.sql);
  const inner = order ? query.sql.slice(0, order.index) : query.sql;
  const orderBy = order
    ? ` ORDER BY ${order[1]!
        .split(',')
        .map((term) => term.trim().replace(/^[a-z_][a-z0-9_]*\./i, ''))
        .join(', ')}`
    : '';
  const below = minimum - 1;
  const selectParameters: SqlValue[] = [];
  const withheld = disclosure.partition ? 'd.any_below = 1' : 'd.below = 1';
  const select = columns.map((name) => {
    if (disclosure.keys.includes(name)) return `d.${name}`;
    const guards: string[] = [];
    for (const s of disclosure.shares ?? []) {
      if (s.share !== name) continue;
      guards.push(
        `round(d.${s.share} * d.${s.of}) BETWEEN 1 AND ?`,
        `d.${s.of} - round(d.${s.share} * d.${s.of}) BETWEEN 1 AND ?`,
      );
      selectParameters.push(below, below);
    }
    for (const s of disclosure.smallCounts ?? []) {
      if (s.count !== name && !s.with.includes(name)) continue;
      guards.push(`d.${s.count} BETWEEN 1 AND ?`);
      selectParameters.push(below);
    }
    return `CASE WHEN ${[withheld, ...guards].join(' OR ')} THEN NULL ELSE d.${name} END AS ${name}`;
  });
  const belowCheck = disclosure.counts.map((c) => `r.${c} < ?`).join(' OR ');
  const sql =
    `SELECT ${select.join(', ')}, CASE WHEN ${withheld} THEN '${WITHHELD}' END AS ${WITHHELD_COLUMN}, ` +
    `CASE WHEN d.any_below = 1 THEN ${disclosure.partition ? 'd.all_rows' : 'd.below_rows'} ELSE 0 END AS ${WITHHELD_GROUPS_COLUMN} ` +
    'FROM (SELECT f.*, max(f.below) OVER () AS any_below, sum(f.below) OVER () AS below_rows, count(*) OVER () AS all_rows ' +
    `FROM (SELECT r.*, CASE WHEN ${belowCheck} THEN 1 ELSE 0 END AS below FROM (${inner.trim()}) AS r) AS f) AS d${orderBy}`;
  return {
    ...query,
    sql,
    parameters: [...selectParameters, ...disclosure.counts.map(() => minimum), ...query.parameters],
  };
}
