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

/** Writes a tree for `json_deserialize_sql`, with "no location" as DuckDB wrote it. */
export function treeJson(tree: unknown): string {
  return JSON.stringify(tree).replaceAll('"query_location":-1', `"query_location":${NO_LOCATION}`);
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
