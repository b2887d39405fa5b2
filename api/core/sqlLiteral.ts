import { sqlString } from '../../etl/sql/sqlText';

/**
 * A value as an Athena execution parameter: Athena substitutes parameters as SQL literal text, so strings are
 * single-quoted with quotes doubled, dates are `DATE '…'`, numbers and booleans are written plainly. The SQL
 * text itself never contains user input.
 */
export type SqlValue = string | number | boolean | { readonly date: string };

export function sqlLiteral(value: SqlValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value.date)) throw new RangeError(`Not an ISO date: ${value.date}`);
    return `DATE '${value.date}'`;
  }
  return sqlString(value);
}
