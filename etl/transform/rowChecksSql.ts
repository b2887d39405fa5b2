import { BOOLEAN_TEXT, type ColumnType, TYPE_FORMATS } from '../schemas/columnTypes';
import type { ColumnDefinition, DatasetSchema } from '../schemas/DatasetSchema';
import { invalidTypeReason, REJECT_REASON_CODES, type RejectReasonCode } from '../schemas/rejectReasons';
import type { HeaderMapping } from '../schemas/resolveHeader';
import { sqlString } from '../sql/sqlText';
import { duckdbType, ident } from './duckdbTypes';

/**
 * The SQL that reads the data records of one export and judges them, generated from the dataset schema and the
 * export's header mapping (no column list is written by hand):
 *
 * - `fields`: the `columns` argument of `read_csv` (every header field as VARCHAR, named `f0`, `f1`, …);
 * - `select`: a query over `read_csv(...)` giving, per record, `_why` (the first failing check as
 *   `REASON|column|rule`, or NULL when the row is valid), `_quoted` (a field that may be unquoted holds a `"`) and
 *   every export column as its curated type (meaningless when the row is rejected).
 *
 * The checks follow `REJECT_REASONS` order, exactly as `validateRecord` states them: presence, type, range,
 * enum, pattern, length (each reason over the columns in schema order), then the rules across columns.
 * Structural defects (encoding, quoting, field count) are DuckDB's CSV reader's to find; duplicates are judged
 * later, over the valid rows of all objects.
 */
export interface RowChecksSql {
  readonly fields: string;
  /** `SELECT _why, <columns> FROM (SELECT … FROM {source})`: replace `{source}` with the read_csv call. */
  readonly select: string;
}

/** Separator of the parts of `_why` (never in a reason code, column or rule name). */
export const WHY_SEPARATOR = '|';

/** The `_why` of a row rejected for a whole-record reason (no column, no rule). */
export function recordWhy(reason: RejectReasonCode): string {
  return `${reason}${WHY_SEPARATOR}${WHY_SEPARATOR}`;
}

export function rowChecksSql(mapping: HeaderMapping): RowChecksSql {
  const { dataset } = mapping;
  const fields = `{${Array.from({ length: mapping.fieldCount }, (_, i) => `'f${i}': 'VARCHAR'`).join(', ')}}`;
  const read: string[] = [];
  const typed: string[] = [];
  for (const [i, col] of dataset.columns.entries()) {
    const index = mapping.indexOf[col.name];
    const raw = index === undefined ? 'NULL::VARCHAR' : `f${index}`;
    read.push(`${raw} AS t${i}`, `${blank(raw)} AS e${i}`);
    typed.push(
      col.type.kind === 'string'
        ? `CASE WHEN NOT e${i} THEN t${i} END AS v${i}`
        : // Parsed as it is; only a field that does not parse is trimmed and parsed again (COALESCE evaluates its
          // second argument for those rows only), so valid rows pay no trim.
          `CASE WHEN NOT e${i} THEN COALESCE(${parsed(col.type, `t${i}`)}, ${parsed(col.type, jsTrim(`t${i}`))}) END AS v${i}`,
    );
  }
  // A quote inside a field DuckDB accepted: an escaped quote in a quoted field, or a quote inside an unquoted
  // one (which RFC 4180 forbids and DuckDB reads literally). `stageObject` tells them apart for these rows only.
  // A field that also holds a delimiter or a line feed was quoted (an unquoted field ends at either), so its quotes
  // are escaped ones and it does not make the row suspect: the exams' titles (`"Reading, grade 5: ""Seasons"""`).
  const quoted = Array.from(
    { length: mapping.fieldCount },
    (_, i) => `(contains(f${i}, '"') AND NOT contains(f${i}, ',') AND NOT contains(f${i}, chr(10)))`,
  ).join(' OR ');
  const canonical = dataset.columns.flatMap((col, i) =>
    col.constraints.enum ? [`${canonicalEnum(col, i)} AS k${i}`] : [],
  );
  const why = whyExpression(dataset);
  const outer = dataset.columns.map((col, i) => `${col.constraints.enum ? `k${i}` : `v${i}`} AS ${ident(col.name)}`);
  // Levels, innermost first: the fields and whether each is blank; typed values; enum spellings; the verdict.
  // Each expression is computed once; values of rejected rows are never read (consumers filter on `_why`).
  const select =
    `SELECT _why, _quoted, ${outer.join(', ')} FROM (SELECT *, ${why} AS _why FROM (SELECT *${canonical
      .map((c) => `, ${c}`)
      .join(
        '',
      )} FROM (SELECT _quoted, e0${dataset.columns.map((_, i) => (i === 0 ? '' : `, e${i}`)).join('')}, ${typed.join(', ')} ` +
    `FROM (SELECT ${read.join(', ')}, ${quoted} AS _quoted FROM {source}))))`;
  return { fields, select };
}

/** What JavaScript's `String.prototype.trim` removes (parseField trims with it). */
const JS_WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** `trim` as JavaScript trims. */
function jsTrim(raw: string): string {
  return `trim(${raw}, ${sqlString(JS_WHITESPACE)})`;
}

/**
 * True when the field is missing, empty or only whitespace. A field starting with a printable ASCII character
 * (compared as a string: at least `!`, below DEL) is decided without looking further; only others are trimmed.
 */
function blank(raw: string): string {
  return `CASE WHEN ${raw} IS NULL THEN true WHEN ${raw} >= '!' AND ${raw} < '\x7f' THEN false ELSE ${jsTrim(raw)} = '' END`;
}

function parsed(type: ColumnType, s: string): string {
  const shaped = (sql: string) =>
    `CASE WHEN regexp_full_match(${s}, ${sqlString(TYPE_FORMATS[type.kind].pattern)}) THEN ${sql} END`;
  switch (type.kind) {
    case 'string':
      return s;
    case 'integer':
    case 'bigint':
    case 'double': {
      const cast = `TRY_CAST(${s} AS ${duckdbType(type)})`;
      return shaped(type.kind === 'double' ? `CASE WHEN isfinite(${cast}) THEN ${cast} END` : cast);
    }
    case 'decimal': {
      // At most precision − scale whole digits and scale fractional digits, ignoring leading and trailing zeros
      // (a cast alone would round 1.234 to 1.23). This pattern is the TYPE_FORMATS one bounded, except that it also
      // matches texts without a digit ('', '+', '.', '-.'), which the cast refuses: one regex instead of two.
      const fits = `^[+-]?0*[0-9]{0,${type.precision - type.scale}}([.][0-9]{0,${type.scale}}0*)?$`;
      return `CASE WHEN regexp_full_match(${s}, ${sqlString(fits)}) THEN TRY_CAST(${s} AS ${duckdbType(type)}) END`;
    }
    case 'boolean': {
      const cases = [
        ...BOOLEAN_TEXT.true.map((t) => `WHEN ${sqlString(t)} THEN true`),
        ...BOOLEAN_TEXT.false.map((t) => `WHEN ${sqlString(t)} THEN false`),
      ];
      return `CASE lower(${s}) ${cases.join(' ')} END`;
    }
    case 'timestamp': {
      // DuckDB's TIMESTAMPTZ cast needs seconds: `…T09:05+02:00` gets `:00`. The instant is kept in UTC, to the
      // millisecond (as parseField reads it).
      const withSeconds = `regexp_replace(${s}, '^(.{10})[T ]([0-9]{2}:[0-9]{2})([Z+-])', '\\1T\\2:00\\3')`;
      const instant = `COALESCE(TRY_CAST(${s} AS TIMESTAMPTZ), TRY_CAST(${withSeconds} AS TIMESTAMPTZ))`;
      return shaped(`make_timestamp(epoch_ms(${instant}) * 1000)`);
    }
    case 'date':
      return shaped(`TRY_CAST(${s} AS DATE)`);
  }
}

/** An enum column's value in the schema's spelling, or NULL when it is none of the allowed values. */
function canonicalEnum(col: ColumnDefinition, i: number): string {
  const allowed = col.constraints.enum ?? [];
  const exact = allowed.map(sqlString).join(', ');
  const loose = allowed.map((a) => `WHEN ${sqlString(a.toLowerCase())} THEN ${sqlString(a)}`).join(' ');
  // Values already in the schema's spelling (nearly all) pass one IN test; only others are trimmed and lowered.
  return `CASE WHEN v${i} IN (${exact}) THEN v${i} ELSE CASE lower(${jsTrim(`v${i}`)}) ${loose} END END`;
}

type Check = { reason: RejectReasonCode; column?: string; rule?: string; failed: string };

/** `CASE WHEN <first failing check> THEN 'REASON|column|rule' … END`, in the order of `REJECT_REASONS`. */
function whyExpression(dataset: DatasetSchema): string {
  const checks: Check[] = [];
  const cols = dataset.columns.map((col, i) => ({ col, i }));
  for (const { col, i } of cols) {
    if (!col.nullable) checks.push({ reason: 'MISSING_REQUIRED', column: col.name, failed: `e${i}` });
  }
  for (const { col, i } of cols) {
    if (col.type.kind === 'string') continue;
    checks.push({ reason: invalidTypeReason(col.type.kind), column: col.name, failed: `NOT e${i} AND v${i} IS NULL` });
  }
  for (const { col, i } of cols) {
    const c = col.constraints;
    const v = `v${i}`;
    const outside = [
      c.min !== undefined && `${v} < ${c.min}`,
      c.exclusiveMin !== undefined && `${v} <= ${c.exclusiveMin}`,
      c.max !== undefined && `${v} > ${c.max}`,
      c.exclusiveMax !== undefined && `${v} >= ${c.exclusiveMax}`,
    ].filter((x): x is string => typeof x === 'string');
    if (outside.length > 0 && col.type.kind !== 'string') {
      checks.push({ reason: 'OUT_OF_RANGE', column: col.name, failed: `(${outside.join(' OR ')})` });
    }
    if (c.enum && col.type.kind === 'string') {
      checks.push({ reason: 'INVALID_ENUM', column: col.name, failed: `${v} IS NOT NULL AND k${i} IS NULL` });
    }
    if (c.pattern && col.type.kind === 'string') {
      checks.push({
        reason: 'PATTERN_MISMATCH',
        column: col.name,
        failed: `NOT regexp_matches(${v}, ${sqlString(c.pattern)})`,
      });
    }
    if (c.maxLength !== undefined && col.type.kind === 'string') {
      // strlen (bytes, constant time) ≥ length (characters): only long values are counted in characters.
      checks.push({
        reason: 'TOO_LONG',
        column: col.name,
        failed: `strlen(${v}) > ${c.maxLength} AND length(${v}) > ${c.maxLength}`,
      });
    }
  }
  const index = (name: string) => dataset.columns.findIndex((c) => c.name === name);
  for (const rule of dataset.rules) {
    const [l, r] = [`v${index(rule.left)}`, `v${index(rule.right)}`];
    checks.push({ reason: 'CONSTRAINT_VIOLATION', rule: rule.name, failed: `NOT (${l} ${rule.operator} ${r})` });
  }
  // Stable sort by reason: within a reason the checks keep schema order.
  const order = (c: Check) => REJECT_REASON_CODES.indexOf(c.reason);
  checks.sort((a, b) => order(a) - order(b));
  const whens = checks.map(
    (c) => `WHEN ${c.failed} THEN ${sqlString([c.reason, c.column ?? '', c.rule ?? ''].join(WHY_SEPARATOR))}`,
  );
  return `CASE ${whens.join(' ')} END`;
}
