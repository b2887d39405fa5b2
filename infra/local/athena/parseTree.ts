/** A node of DuckDB's serialized parse tree (`json_serialize_sql`). */
export type Node = Record<string, unknown>;

/** DuckDB's parse tree location of a node the parser did not place (2^64 - 1). */
const NO_LOCATION = '18446744073709551615';

/** Reads `json_serialize_sql` output; "no location" (beyond a double's precision) becomes -1. */
export function parseTreeJson(text: string): unknown {
  // A constant beyond a double's integers (`9223372036854775807`) is kept as its digits, marked for the translation
  // to write back as a cast of its text (trinoLiterals.ts). Keys follow `{` or `,`; inside a string a quote is `\"`.
  return JSON.parse(
    text
      .replaceAll(`:${NO_LOCATION}`, ':-1')
      .replace(/(?<=[{,])"value":(-?\d{16,})(?=[,}])/g, `"value":"${BIG_NUMBER}$1"`)
      .replace(
        /(?<=[{,])"value":\{"upper":(-?\d+),"lower":(\d+)\}/g,
        (_, upper: string, lower: string) => `"value":"${BIG_NUMBER}${(BigInt(upper) << 64n) + BigInt(lower)}"`,
      ),
  );
}

/** The mark of a constant's digits read as text (see {@link parseTreeJson}). */
export const BIG_NUMBER = '__number:';

/** Marks a whole-number double constant while it is written (JSON.stringify writes `1.0` as `1`). */
const DOUBLE_MARK = '__duckdb_double__';

/**
 * Writes a tree for `json_deserialize_sql`, with "no location" as DuckDB wrote it and whole-number doubles
 * (`1e0`) written with a decimal point, since DuckDB reads `1` as an integer where its tree wants a double.
 */
export function treeJson(tree: unknown): string {
  const text = JSON.stringify(tree, (_key, value: unknown) => {
    const constant = value as { type?: { id?: unknown }; value?: unknown } | null;
    if (
      constant &&
      typeof constant === 'object' &&
      (constant.type?.id === 'DOUBLE' || constant.type?.id === 'FLOAT') &&
      typeof constant.value === 'number' &&
      Number.isInteger(constant.value)
    ) {
      return { ...constant, value: `${DOUBLE_MARK}${constant.value}` };
    }
    return value;
  });
  return text
    .replace(new RegExp(`"${DOUBLE_MARK}([^"]*)"`, 'g'), (_m, n: string) => (/[eE]/.test(n) ? n : `${n}.0`))
    .replaceAll('"query_location":-1', `"query_location":${NO_LOCATION}`);
}

export function visit(value: unknown, fn: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) visit(v, fn);
    return;
  }
  if (!value || typeof value !== 'object') return;
  fn(value as Node);
  for (const v of Object.values(value)) visit(v, fn);
}

/** A string constant node (the shape DuckDB's serializer writes). */
export function stringConstant(text: string): Node {
  return {
    class: 'CONSTANT',
    type: 'VALUE_CONSTANT',
    alias: '',
    query_location: -1,
    value: { type: { id: 'VARCHAR', type_info: null }, is_null: false, value: text },
  };
}

export function isConstant(node: Node | undefined): boolean {
  return node?.['class'] === 'CONSTANT';
}

export function isStringConstant(node: Node): boolean {
  const value = node['value'] as { type?: { id?: string }; is_null?: boolean } | undefined;
  return node['class'] === 'CONSTANT' && value?.type?.id === 'VARCHAR' && !value.is_null;
}

export function constantValue(node: Node): string {
  return String((node['value'] as { value: unknown }).value);
}
