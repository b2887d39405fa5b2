import { BOOLEAN_TEXT, type ColumnType, TYPE_FORMATS } from './columnTypes';
import { invalidTypeReason, type RejectReasonCode } from './rejectReasons';

/** A field's typed value: numbers for numeric types, epoch milliseconds (UTC) for timestamps, `YYYY-MM-DD` for dates. */
export type FieldValue = string | number | boolean | null;

export type ParsedField =
  | { readonly ok: true; readonly value: FieldValue }
  | { readonly ok: false; readonly reason: RejectReasonCode; readonly message: string };

const patterns = Object.fromEntries(
  Object.entries(TYPE_FORMATS).map(([kind, format]) => [kind, new RegExp(format.pattern)]),
) as Record<ColumnType['kind'], RegExp>;

const INT_LIMITS = { integer: 2n ** 31n, bigint: 2n ** 63n } as const;

/**
 * Parses one CSV field as a column type by the rules of `TYPE_FORMATS`: the reference reading of a field that
 * the transform's SQL and the Glue job must agree with (tests compare them). An empty or all-space field is null;
 * nullability is checked by the caller.
 */
export function parseField(type: ColumnType, text: string): ParsedField {
  if (type.kind === 'string') return { ok: true, value: text.trim() === '' ? null : text };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const invalid = (detail: string): ParsedField => ({
    ok: false,
    reason: invalidTypeReason(type.kind as Exclude<ColumnType['kind'], 'string'>),
    message: `'${text}' is not ${detail}`,
  });
  if (!patterns[type.kind].test(trimmed))
    return invalid(`a valid ${type.kind}: ${TYPE_FORMATS[type.kind].description}`);
  switch (type.kind) {
    case 'integer':
    case 'bigint': {
      const big = BigInt(trimmed);
      const limit = INT_LIMITS[type.kind];
      if (big < -limit || big >= limit) return invalid(`within the ${type.kind === 'integer' ? 32 : 64}-bit range`);
      return { ok: true, value: Number(big) };
    }
    case 'decimal': {
      const unsigned = trimmed.replace(/^[+-]/, '');
      const [whole = '', fraction = ''] = unsigned.split('.');
      const wholeDigits = whole.replace(/^0+/, '').length;
      const fractionDigits = fraction.replace(/0+$/, '').length;
      if (fractionDigits > type.scale || wholeDigits > type.precision - type.scale) {
        return invalid(
          `a decimal(${type.precision},${type.scale}) (at most ${type.precision - type.scale} digits before the point ` +
            `and ${type.scale} after it)`,
        );
      }
      return { ok: true, value: Number(trimmed) };
    }
    case 'double': {
      const value = Number(trimmed);
      return Number.isFinite(value) ? { ok: true, value } : invalid('a finite number');
    }
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      return { ok: true, value: (BOOLEAN_TEXT.true as readonly string[]).includes(lower) };
    }
    case 'timestamp': {
      const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(
        trimmed,
      )!;
      const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (!dayExists(year, month, day)) return invalid(`a timestamp of an existing day`);
      const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
      const offsetMinutes = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
      const local = Date.UTC(year, month - 1, day, Number(m[4]), Number(m[5]), Number(m[6] ?? 0), millis);
      return { ok: true, value: local - offsetMinutes * 60_000 };
    }
    case 'date': {
      const [year, month, day] = trimmed.split('-').map(Number) as [number, number, number];
      return dayExists(year, month, day) ? { ok: true, value: trimmed } : invalid('a date that exists');
    }
  }
}

function dayExists(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
