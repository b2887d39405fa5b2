import type { DuckDBConnection } from '@duckdb/node-api';
import { type Node, parseTreeJson } from './parseTree';

/**
 * Translation templates: DuckDB expressions with `__argN` placeholders, parsed once by DuckDB's parser and kept,
 * then filled with a statement's argument trees. Shared by the translation and the modules it dispatches to.
 */

/** The template's tree with each `__argN` replaced by argument N; the original's alias and location kept. */
export async function instantiate(
  parser: DuckDBConnection,
  template: string,
  args: readonly Node[],
  original: Node | undefined,
): Promise<Node> {
  const tree = structuredClone(await templateTree(parser, template));
  const filled = substitute(tree, args) as Node;
  if (original) {
    filled['alias'] = original['alias'];
    filled['query_location'] = original['query_location'];
  }
  return filled;
}

/** The tree with each `__argN` column reference replaced by argument N. */
export function substitute(value: unknown, args: readonly Node[]): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, args));
  if (!value || typeof value !== 'object') return value;
  const node = value as Node;
  const names = node['column_names'];
  if (node['class'] === 'COLUMN_REF' && Array.isArray(names) && names.length === 1) {
    const m = /^__arg(\d+)$/.exec(String(names[0]));
    if (m) {
      const arg = structuredClone(args[Number(m[1]) - 1]) as Node;
      // A placeholder's alias is the template's (a struct field name), not the argument's.
      if (node['alias']) arg['alias'] = node['alias'];
      return arg;
    }
  }
  const out: Node = {};
  for (const [key, v] of Object.entries(node)) out[key] = substitute(v, args);
  return out;
}

const templates = new Map<string, Node>();

export async function templateTree(parser: DuckDBConnection, template: string): Promise<Node> {
  const known = templates.get(template);
  if (known) return known;
  const reader = await parser.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [`SELECT ${template}`]);
  const tree = parseTreeJson(String(reader.getRows()[0]?.[0])) as { error?: boolean; statements?: { node: Node }[] };
  const expression = (tree.statements?.[0]?.node['select_list'] as Node[] | undefined)?.[0];
  if (tree.error || !expression) throw new Error(`Translation template does not parse: ${template}`);
  templates.set(template, expression);
  return expression;
}
