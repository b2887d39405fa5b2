import { curatedColumns, getDataset, isDatasetName, PARTITION_COLUMNS } from '../../etl/schemas';
import type { SqlValue } from '../core/sqlLiteral';
import { ForbiddenError } from '../errors';
import { applyMinimumCell, type GroupedQuery } from './minimumCell';
import type { RowCondition, Scope } from './Scope';

/** A query before scoping: SQL that reads datasets through their bare names, as report definitions write it. */
export interface ScopableQuery extends GroupedQuery {
  /**
   * One SELECT (optionally starting with `WITH`) reading each dataset through its bare name
   * (`FROM exam_results r`), never `database.table`, with `?` placeholders.
   */
  readonly sql: string;
  readonly parameters: readonly SqlValue[];
  /** Datasets the SQL reads, by name; each becomes a scoped common table expression of that name. */
  readonly datasets: readonly string[];
  /** Columns the SQL reads of each dataset; a column the scope hides is refused with a clear 403. */
  readonly columnsRead?: Readonly<Record<string, readonly string[]>>;
}

/** The query as it runs: scoped CTEs first, then the query; parameters in placeholder order. */
export interface ScopedQuery {
  readonly sql: string;
  readonly parameters: readonly SqlValue[];
  /** Dataset tables the final SQL reads (including those row filters look up), for data versions. */
  readonly datasets: readonly string[];
}

export interface ApplyScopeOptions {
  /** Glue database of the dataset tables. */
  readonly database: string;
}

/**
 * Row filters on a column a dataset lacks are looked up through the dataset that has it, by a key both share:
 * `item_responses` has no `district_id`, so its rows are those whose `result_id` is an attempt of the district.
 */
const LOOKUP = { dataset: 'exam_results', key: 'result_id' } as const;

const PII_REPLACEMENT = 'student_key';

/**
 * The smallest groups a scope with a minimum cell size reads ("atoms"): attempts of one class at one exam in one
 * calendar month (UTC, as the reports' date filters). Rows of an atom with fewer attempts or fewer distinct
 * students than the minimum are left out of the scoped view, so every figure a report computes is a union of
 * atoms that each meet the minimum, and so is the difference of any two nested ones (a wider date range, a
 * school against its district, a subject-trends month against a school-summary sum).
 */
const ATOM = {
  dataset: 'exam_results',
  by: 'school_id, class_id, exam_id, year(submitted_at), month(submitted_at)',
  student: 'student_id',
} as const;

/**
 * `source` (`db.table WHERE …`) cut to its atoms of at least the minimum: distinct students counted as the
 * largest dense rank (window functions take no DISTINCT in Athena). Two `?`: the minimum attempts, students.
 */
function atomsOf(source: string): string {
  return (
    `(SELECT s.*, count(*) OVER (PARTITION BY ${ATOM.by}) AS atom_attempts, ` +
    `max(s.atom_student_rank) OVER (PARTITION BY ${ATOM.by}) AS atom_students FROM ` +
    `(SELECT t.*, dense_rank() OVER (PARTITION BY ${ATOM.by} ORDER BY ${ATOM.student}) AS atom_student_rank ` +
    `FROM ${source.replace(/^(\S+)/, '$1 t')}) AS s) AS atoms WHERE atoms.atom_attempts >= ? AND atoms.atom_students >= ?`
  );
}

/**
 * Applies a scope to a query: each dataset the query reads is replaced by a common table expression named
 * after it that selects only the scope's visible columns (PII replaced by `student_key` for pseudonymised
 * scopes) of only the scope's rows. Row filter values are `?` parameters placed before the query's own, never
 * spliced into the text. Refuses (403) datasets or columns the scope does not include and scopes without rows.
 * Under a minimum cell size, the scoped `exam_results` holds only atoms (class × exam × month) that meet it, and
 * the answer's rows below it are withheld (`applyMinimumCell`).
 */
export function applyScope(query: ScopableQuery, scope: Scope, options: ApplyScopeOptions): ScopedQuery {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.database)) throw new Error(`Invalid Glue database name ${options.database}`);
  if (scope.rows.kind === 'none') throw new ForbiddenError(`This scope reads no data rows: ${scope.rows.reason}`);
  guardQueryText(query, options.database);
  const ctes: string[] = [];
  const parameters: SqlValue[] = [];
  const read = new Set<string>();
  for (const name of [...new Set(query.datasets)]) {
    if (!isDatasetName(name)) throw new Error(`Query reads unknown dataset ${name}.`);
    if (scope.datasets !== 'all' && !scope.datasets.includes(name)) {
      throw new ForbiddenError(`Your scope does not include dataset ${name}; ask a data steward to extend the grant.`);
    }
    const visible = visibleColumns(name, scope);
    const hidden = (query.columnsRead?.[name] ?? []).filter((c) => !visible.has(c));
    if (hidden.length) {
      throw new ForbiddenError(`Your scope does not include column(s) ${hidden.join(', ')} of dataset ${name}.`);
    }
    if (visible.size === 0) throw new ForbiddenError(`Your scope includes no column of dataset ${name}.`);
    const select = [...visible.entries()].map(([alias, source]) =>
      alias === source ? alias : `${source} AS ${alias}`,
    );
    const where = scope.rows.kind === 'all' ? [] : scope.rows.allOf.map((group) => disjunction(group, name, options));
    for (const group of scope.rows.kind === 'all' ? [] : scope.rows.allOf) {
      for (const c of group) {
        parameters.push(...c.values);
        if (!hasColumn(name, c.column)) read.add(LOOKUP.dataset);
      }
    }
    read.add(name);
    const source = `${options.database}.${name}` + (where.length ? ` WHERE ${where.join(' AND ')}` : '');
    if (scope.minimumCellSize > 1 && name === ATOM.dataset) {
      ctes.push(`${name} AS (SELECT ${select.join(', ')} FROM ${atomsOf(source)})`);
      parameters.push(scope.minimumCellSize, scope.minimumCellSize);
    } else {
      ctes.push(`${name} AS (SELECT ${select.join(', ')} FROM ${source})`);
    }
  }
  const limited = applyMinimumCell(query, scope);
  const existingWith = /^\s*WITH\s+/i.exec(limited.sql);
  const sql = existingWith
    ? `WITH ${ctes.join(', ')}, ${limited.sql.slice(existingWith[0].length)}`
    : ctes.length
      ? `WITH ${ctes.join(', ')} ${limited.sql.trimStart()}`
      : limited.sql;
  return { sql, parameters: [...parameters, ...limited.parameters], datasets: [...read].sort() };
}

/**
 * Ad-hoc SQL names tables as `examlake.table`, which a CTE cannot shadow, so it is only ever run for scopes that
 * see everything (analysts). Throws 403 for any other scope.
 */
export function assertUnrestricted(scope: Scope): void {
  if (scope.rows.kind !== 'all' || scope.datasets !== 'all' || scope.columns !== 'all' || scope.pseudonymised) {
    throw new ForbiddenError('Ad-hoc SQL is open to scopes that see every row and column (analysts) only.');
  }
}

/**
 * The columns a scope sees of a dataset, as `alias → source expression`: curated and partition columns, cut to
 * the allow-list; PII columns become aliases of `student_key` when it is visible and vanish otherwise.
 */
export function visibleColumns(dataset: string, scope: Scope): ReadonlyMap<string, string> {
  let byDataset = VISIBLE.get(scope);
  if (!byDataset) {
    byDataset = new Map();
    VISIBLE.set(scope, byDataset);
  }
  let out = byDataset.get(dataset);
  if (!out) {
    out = computeVisibleColumns(dataset, scope);
    byDataset.set(dataset, out);
  }
  return out;
}

/** Visible columns per scope object and dataset (scopes are frozen, schemas static). */
const VISIBLE = new WeakMap<Scope, Map<string, ReadonlyMap<string, string>>>();

/** Column names of each dataset's curated table (schemas are static). */
const CURATED_NAMES = new Map<string, ReadonlySet<string>>();

function curatedNames(dataset: string): ReadonlySet<string> {
  let names = CURATED_NAMES.get(dataset);
  if (!names) {
    names = new Set(curatedColumns(getDataset(dataset)).map((c) => c.name));
    CURATED_NAMES.set(dataset, names);
  }
  return names;
}

function computeVisibleColumns(dataset: string, scope: Scope): Map<string, string> {
  const schema = getDataset(dataset);
  const all = [
    ...curatedColumns(schema).map((c) => ({ name: c.name, pii: c.pii })),
    ...PARTITION_COLUMNS.map((c) => ({ name: c.name as string, pii: false })),
  ];
  const allowed = (name: string) => scope.columns === 'all' || scope.columns.includes(name);
  const out = new Map<string, string>();
  const keyVisible = allowed(PII_REPLACEMENT) && all.some((c) => c.name === PII_REPLACEMENT);
  for (const c of all) {
    if (c.pii && scope.pseudonymised) {
      if (keyVisible) out.set(c.name, PII_REPLACEMENT);
    } else if (allowed(c.name)) out.set(c.name, c.name);
  }
  return out;
}

function hasColumn(dataset: string, column: string): boolean {
  return curatedNames(dataset).has(column);
}

function disjunction(group: readonly RowCondition[], dataset: string, options: ApplyScopeOptions): string {
  const terms = group.map((c) => {
    const list = c.values.length ? `IN (${c.values.map(() => '?').join(', ')})` : undefined;
    if (hasColumn(dataset, c.column)) return list ? `${c.column} ${list}` : 'FALSE';
    if (!hasColumn(dataset, LOOKUP.key) || !hasColumn(LOOKUP.dataset, c.column)) {
      throw new Error(`Dataset ${dataset} cannot be filtered by ${c.column}: declare a lookup in applyScope.`);
    }
    return list
      ? `${LOOKUP.key} IN (SELECT ${LOOKUP.key} FROM ${options.database}.${LOOKUP.dataset} WHERE ${c.column} ${list})`
      : 'FALSE';
  });
  return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
}

/** Report SQL is code, but a slip that would bypass the scoped CTEs fails loudly rather than leaking. */
function guardQueryText(query: ScopableQuery, database: string): void {
  if (new RegExp(`\\b${database}\\s*\\.`, 'i').test(query.sql)) {
    throw new Error(`Scoped SQL must read datasets by bare name, not ${database}.<table>: ${query.sql}`);
  }
  if (/^\s*WITH\s+RECURSIVE\b/i.test(query.sql)) throw new Error('Scoped SQL cannot be WITH RECURSIVE.');
  for (const name of query.datasets) {
    if (new RegExp(`\\b${name}\\s+AS\\s*\\(`, 'i').test(query.sql)) {
      throw new Error(`Scoped SQL must not define its own ${name}: it would shadow the scoped one.`);
    }
  }
}
