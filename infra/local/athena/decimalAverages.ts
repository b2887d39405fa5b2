import type { DuckDBConnection } from '@duckdb/node-api';
import { type Node, visit } from './parseTree';
import { instantiate } from './trinoTranslation';

/** Decimal columns of the tables a query reads, by lower-cased name. */
export type DecimalColumns = ReadonlyMap<string, { readonly precision: number; readonly scale: number }>;

/** The columns a translated tree averages directly (`avg(score)`), lower-cased. */
export function averagedColumns(tree: unknown): string[] {
  const names: string[] = [];
  visit(tree, (node) => {
    const child = (node['children'] as Node[] | undefined)?.[0];
    if (isAverageOfColumn(node) && child) {
      names.push(String((child['column_names'] as string[]).at(-1)).toLowerCase());
    }
  });
  return names;
}

function isAverageOfColumn(node: Node): boolean {
  const children = node['children'] as Node[] | undefined;
  return (
    node['class'] === 'FUNCTION' &&
    String(node['function_name']).toLowerCase() === 'avg' &&
    !node['distinct'] &&
    children?.length === 1 &&
    children[0]?.['class'] === 'COLUMN_REF'
  );
}

/**
 * The translated tree with `avg` of each decimal column giving Trino's answer: a `decimal(p,s)` of the column's
 * own type, the exact mean rounded half away from zero (DuckDB's `avg` of a decimal is a double). Computed from
 * the decimal sum in integers, so no double rounding enters. Undefined when the tree averages no decimal column.
 */
export async function withDecimalAverages(
  parser: DuckDBConnection,
  tree: unknown,
  decimals: DecimalColumns,
): Promise<unknown | undefined> {
  let changed = false;
  const rewrite = async (value: unknown): Promise<unknown> => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i += 1) value[i] = await rewrite(value[i]);
      return value;
    }
    if (!value || typeof value !== 'object') return value;
    const node = value as Node;
    if (isAverageOfColumn(node)) {
      const column = (node['children'] as Node[])[0] as Node;
      const type = decimals.get(String((column['column_names'] as string[]).at(-1)).toLowerCase());
      if (type) {
        changed = true;
        return instantiate(parser, decimalAverage(type.precision, type.scale), [column], node);
      }
    }
    for (const key of Object.keys(node)) node[key] = await rewrite(node[key]);
    return node;
  };
  const result = await rewrite(tree);
  return changed ? result : undefined;
}

function decimalAverage(precision: number, scale: number): string {
  // units: the sum in units of the last decimal place; the mean in those units, rounded half away from zero.
  const units = `CAST(sum(__arg1) * ${10 ** scale} AS HUGEINT)`;
  const mean = `(2 * abs(${units}) + count(__arg1)) // (2 * count(__arg1)) * sign(${units})`;
  const scaled =
    scale === 0
      ? `CAST(${mean} AS DECIMAL(38, 0))`
      : `CAST(${mean} AS DECIMAL(38, 0)) * CAST('${(10 ** -scale).toFixed(scale)}' AS DECIMAL(${scale + 1}, ${scale}))`;
  return `CAST(${scaled} AS DECIMAL(${precision}, ${scale}))`;
}
