import { ZONED_STRUCT_TYPE } from './trinoTimeZones';

/** The SQL expression giving a column's value as the text Athena writes in its CSV (Trino's rendering). */
export function trinoText(duckdbType: string, column: string): string {
  const type = duckdbType.toUpperCase();
  if (type === ZONED_STRUCT_TYPE.toUpperCase()) {
    // A zoned timestamp (trinoTimeZones.ts): the local time in its zone, then the zone.
    return `trino_zoned_text(${column}.trino_instant, ${column}.trino_zone)`;
  }
  if (type === 'TIMESTAMP WITH TIME ZONE') {
    return `strftime(timezone('UTC', ${column}), '%Y-%m-%d %H:%M:%S.%g') || ' UTC'`;
  }
  if (type.startsWith('TIMESTAMP')) return `strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')`;
  if (type === 'TIME') return `strftime(DATE '1970-01-01' + ${column}, '%H:%M:%S.%g')`;
  if (type === 'INTERVAL') return `trino_interval_text(${column})`;
  if (type === 'VARCHAR[]') {
    // Trino writes array elements as they are; DuckDB quotes empty strings and strings with separators.
    return `'[' || array_to_string(list_transform(${column}, e -> coalesce(e, 'NULL')), ', ') || ']'`;
  }
  return `CAST(${column} AS VARCHAR)`;
}

/**
 * A double as Trino (Java's `Double.toString`) writes it: plain from 10^-3 up to 10^7 with at least one decimal
 * (`3.0`, `0.001`), scientific outside that range (`1.0E20`, `1.5E-7`), `NaN`, `Infinity`. DuckDB's text
 * (`1e+20`) is read back and rewritten; the digits are the shortest that round-trip in both.
 */
export function trinoDoubleText(duckdbText: string): string {
  const special = duckdbText.toLowerCase();
  if (special === 'inf' || special === 'infinity') return 'Infinity';
  if (special === '-inf' || special === '-infinity') return '-Infinity';
  const value = Number(duckdbText);
  if (Number.isNaN(value)) return special === 'nan' || special === '-nan' ? 'NaN' : duckdbText;
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** The rows with their double and real columns in Trino's text. */
export function withTrinoDoubles(
  columns: readonly { readonly duckdbType: string }[],
  rows: (string | null)[][],
): (string | null)[][] {
  const doubles = columns.flatMap((c, i) => (/^(DOUBLE|FLOAT)$/i.test(c.duckdbType) ? [i] : []));
  if (doubles.length === 0) return rows;
  for (const row of rows) {
    for (const i of doubles) {
      const v = row[i];
      if (v !== null && v !== undefined) row[i] = trinoDoubleText(v);
    }
  }
  return rows;
}
