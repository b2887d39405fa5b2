/** A node of DuckDB's serialized parse tree (`json_serialize_sql`). */
export type Node = Record<string, unknown>;

/** DuckDB's parse tree location of a node the parser did not place (2^64 - 1). */
const NO_LOCATION = '18446744073709551615';

/** Reads `json_serialize_sql` output; "no location" (beyond a double's precision) becomes -1. */
export function parseTreeJson(text: string): unknown {
  return JSON.parse(text.replaceAll(`:${NO_LOCATION}`, ':-1'));
}

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
