/**
 * One Athena execution parameter, parsed. Athena substitutes each `?` with the parameter's text as a SQL
 * literal; the local engine instead parses the text as exactly one literal and binds its value to a prepared
 * statement, so no parameter text ever becomes SQL.
 */
export type ExecutionParameter =
  | { readonly kind: 'null' }
  | { readonly kind: 'varchar'; readonly text: string }
  /** `DUCKDB_TYPE` is chosen here (never from the input): the text is converted by a fixed-type cast. */
  | { readonly kind: 'typed'; readonly duckdbType: string; readonly text: string };

/** Thrown for a parameter that is not a single SQL literal. */
export class InvalidExecutionParameterError extends Error {
  readonly code = 'INVALID_EXECUTION_PARAMETER';
  constructor(
    readonly index: number,
    readonly value: string,
  ) {
    super(
      `Execution parameter ${index + 1} (${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}) is not a SQL literal. ` +
        "Use a quoted string ('SCH-0001'), a number (42, 1.5), TRUE/FALSE, NULL, DATE 'yyyy-mm-dd' or TIMESTAMP 'yyyy-mm-dd hh:mm:ss'.",
    );
    this.name = 'InvalidExecutionParameterError';
  }
}

const STRING = /^'((?:[^']|'')*)'$/s;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+)\.(\d*)$|^[+-]?\.(\d+)$/;
const DOUBLE = /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;
const DATE = /^DATE\s*'(\d{4}-\d{2}-\d{2})'$/i;
const TIMESTAMP = /^TIMESTAMP\s*'(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)'$/i;
const INT32_MAX = 2_147_483_647n;
const INT64_MAX = 9_223_372_036_854_775_807n;

/** Parses Athena's parameter text; `index` is the parameter's 0-based position, used in the error. */
export function parseExecutionParameter(value: string, index: number): ExecutionParameter {
  const text = value.trim();
  const string = STRING.exec(text);
  if (string) return { kind: 'varchar', text: (string[1] as string).replaceAll("''", "'") };
  if (/^null$/i.test(text)) return { kind: 'null' };
  if (/^(true|false)$/i.test(text)) return { kind: 'typed', duckdbType: 'BOOLEAN', text: text.toLowerCase() };
  if (INTEGER.test(text)) {
    const n = BigInt(text);
    const abs = n < 0n ? -n : n;
    if (abs <= INT32_MAX) return { kind: 'typed', duckdbType: 'INTEGER', text };
    if (abs <= INT64_MAX) return { kind: 'typed', duckdbType: 'BIGINT', text };
    if (text.replace(/^[+-]/, '').length <= 38) return { kind: 'typed', duckdbType: 'DECIMAL(38,0)', text };
    throw new InvalidExecutionParameterError(index, value);
  }
  const decimal = DECIMAL.exec(text);
  if (decimal) {
    const whole = (decimal[1] ?? '').replace(/^0+/, '');
    const fraction = decimal[2] ?? decimal[3] ?? '';
    const scale = fraction.length;
    const precision = Math.max(whole.length + scale, 1, scale);
    if (precision > 38) return { kind: 'typed', duckdbType: 'DOUBLE', text };
    return { kind: 'typed', duckdbType: `DECIMAL(${Math.max(precision, scale)},${scale})`, text };
  }
  if (DOUBLE.test(text)) return { kind: 'typed', duckdbType: 'DOUBLE', text };
  const date = DATE.exec(text);
  if (date) return { kind: 'typed', duckdbType: 'DATE', text: date[1] as string };
  const timestamp = TIMESTAMP.exec(text);
  if (timestamp) return { kind: 'typed', duckdbType: 'TIMESTAMP', text: timestamp[1] as string };
  throw new InvalidExecutionParameterError(index, value);
}
