import type { ColumnConstraints, ColumnDefinition, RuleOperator } from './DatasetSchema';
import { type FieldValue, parseField } from './parseField';
import { REJECT_REASON_CODES, type RejectReasonCode } from './rejectReasons';
import type { HeaderMapping } from './resolveHeader';

/** The verdict on one data row: its typed values by column, or the one reason it is rejected. */
export type RecordCheck =
  | { readonly ok: true; readonly values: Readonly<Record<string, FieldValue>> }
  | {
      readonly ok: false;
      readonly reason: RejectReasonCode;
      /** The column at fault, for per-column reasons. */
      readonly column?: string;
      /** The rule that failed, for CONSTRAINT_VIOLATION. */
      readonly rule?: string;
      readonly message: string;
    };

type Failure = Extract<RecordCheck, { ok: false }>;

/** Position of each reason in `REJECT_REASONS`: the order in which checks apply. */
const REASON_ORDER = Object.fromEntries(REJECT_REASON_CODES.map((code, i) => [code, i])) as Record<
  RejectReasonCode,
  number
>;

/**
 * Checks one decoded, split row against its dataset: field count, then for every column presence, type, range,
 * enum, pattern and length, then the rules across columns. A row with several defects gets the reason that
 * comes first in `REJECT_REASONS` (and within it the first column in schema order). It is the
 * executable statement of the schema's rules (what the transform's SQL must agree with); decoding, CSV quoting
 * and duplicates are judged on the file by the caller.
 */
export function validateRecord(mapping: HeaderMapping, fields: readonly string[]): RecordCheck {
  if (fields.length !== mapping.fieldCount) {
    return {
      ok: false,
      reason: 'WRONG_FIELD_COUNT',
      message: `The row has ${fields.length} fields; the header has ${mapping.fieldCount}.`,
    };
  }
  const { columns, rules } = mapping.dataset;
  const text = (col: ColumnDefinition) => {
    const index = mapping.indexOf[col.name];
    return index === undefined ? '' : fields[index]!;
  };
  for (const col of columns) {
    if (!col.nullable && text(col).trim() === '') {
      return { ok: false, reason: 'MISSING_REQUIRED', column: col.name, message: `${col.name} is required.` };
    }
  }
  const values: Record<string, FieldValue> = {};
  // Every column is parsed before judging: the row's reason is the type reason first in the catalogue (an
  // invalid decimal before an invalid boolean), and within it the first column, whatever the column order.
  let typeFailure: Failure | undefined;
  for (const col of columns) {
    const parsed = parseField(col.type, text(col));
    if (parsed.ok) values[col.name] = parsed.value;
    else if (!typeFailure || REASON_ORDER[parsed.reason] < REASON_ORDER[typeFailure.reason]) {
      // The format descriptions end with a full stop already.
      const message = `${col.name}: ${parsed.message}${parsed.message.endsWith('.') ? '' : '.'}`;
      typeFailure = { ok: false, reason: parsed.reason, column: col.name, message };
    }
  }
  if (typeFailure) return typeFailure;
  for (const check of VALUE_CHECKS) {
    for (const col of columns) {
      const value = values[col.name];
      if (value === null || value === undefined) continue;
      const failure = check(col, col.constraints, value);
      if (failure) return failure;
    }
  }
  for (const rule of rules) {
    const left = values[rule.left];
    const right = values[rule.right];
    if (left === null || right === null || left === undefined || right === undefined) continue;
    if (!compare(left, rule.operator, right)) {
      return {
        ok: false,
        reason: 'CONSTRAINT_VIOLATION',
        rule: rule.name,
        message: `Rule ${rule.name} fails: ${rule.left} ${rule.operator} ${rule.right} (${rule.description})`,
      };
    }
  }
  // Enum values are stored in their canonical spelling.
  for (const col of columns) {
    const allowed = col.constraints.enum;
    const value = values[col.name];
    if (allowed && typeof value === 'string') values[col.name] = canonicalEnum(allowed, value)!;
  }
  return { ok: true, values };
}

type ValueCheck = (col: ColumnDefinition, c: ColumnConstraints, value: FieldValue) => Failure | undefined;

const VALUE_CHECKS: readonly ValueCheck[] = [
  (col, c, value) => {
    if (typeof value !== 'number') return undefined;
    const low = (c.min !== undefined && value < c.min) || (c.exclusiveMin !== undefined && value <= c.exclusiveMin);
    const high = (c.max !== undefined && value > c.max) || (c.exclusiveMax !== undefined && value >= c.exclusiveMax);
    if (!low && !high) return undefined;
    return { ok: false, reason: 'OUT_OF_RANGE', column: col.name, message: `${col.name} ${value} is ${rangeText(c)}.` };
  },
  (col, c, value) =>
    c.enum && typeof value === 'string' && canonicalEnum(c.enum, value) === undefined
      ? {
          ok: false,
          reason: 'INVALID_ENUM',
          column: col.name,
          message: `${col.name} '${value}' is not one of ${c.enum.join(', ')}.`,
        }
      : undefined,
  (col, c, value) =>
    c.pattern && typeof value === 'string' && !compiled(c.pattern).test(value)
      ? {
          ok: false,
          reason: 'PATTERN_MISMATCH',
          column: col.name,
          message: `${col.name} '${value}' does not match ${c.pattern}.`,
        }
      : undefined,
  (col, c, value) =>
    c.maxLength !== undefined && typeof value === 'string' && [...value].length > c.maxLength
      ? {
          ok: false,
          reason: 'TOO_LONG',
          column: col.name,
          message: `${col.name} is longer than ${c.maxLength} characters.`,
        }
      : undefined,
];

const patterns = new Map<string, RegExp>();

/** A constraint's pattern, compiled once. */
function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    patterns.set(pattern, re);
  }
  return re;
}

function rangeText(c: ColumnConstraints): string {
  const parts = [
    c.min !== undefined && `at least ${c.min}`,
    c.exclusiveMin !== undefined && `greater than ${c.exclusiveMin}`,
    c.max !== undefined && `at most ${c.max}`,
    c.exclusiveMax !== undefined && `less than ${c.exclusiveMax}`,
  ].filter(Boolean);
  return `not ${parts.join(' and ')}`;
}

/** The allowed spelling a value matches, ignoring case and surrounding spaces. */
export function canonicalEnum(allowed: readonly string[], value: string): string | undefined {
  const wanted = value.trim().toLowerCase();
  return allowed.find((v) => v.toLowerCase() === wanted);
}

function compare(left: FieldValue, operator: RuleOperator, right: FieldValue): boolean {
  switch (operator) {
    case '<':
      return left! < right!;
    case '<=':
      return left! <= right!;
    case '=':
      return left === right;
    case '>=':
      return left! >= right!;
    case '>':
      return left! > right!;
  }
}
