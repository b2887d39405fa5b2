import { BIG_NUMBER, type Node, stringConstant } from './parseTree';

/**
 * Trino literals DuckDB's parse tree does not keep as Trino reads them, as expression templates (`__arg1` is
 * the literal's text as a string constant):
 * - a double (`1.5E0`, `1E0`): the tree keeps the number, which `json_deserialize_sql` writes back without its
 *   exponent, so DuckDB would read `1.5E0` as the decimal `1.5` and `1E0` not at all;
 * - an integer or decimal beyond a double's integers, kept as its digits by `parseTreeJson`;
 * - a binary string (`X'58F7'`): DuckDB's parser reads it as the varchar `'x58F7'`; Trino's is a varbinary.
 *   The tree does not tell it from the string `'x58F7'`, so the statement's text at the constant's position does.
 */
export function literalForm(node: Node, sql: string): { template: string; args: Node[] } | undefined {
  if (node['class'] !== 'CONSTANT') return undefined;
  const value = node['value'] as { type?: { id?: string }; is_null?: boolean; value?: unknown } | undefined;
  if (!value || value.is_null) return undefined;
  const digits =
    typeof value.value === 'string' && value.value.startsWith(BIG_NUMBER)
      ? value.value.slice(BIG_NUMBER.length)
      : undefined;
  if (digits !== undefined)
    return {
      template: `CAST(__arg1 AS ${numberType(value.type)})`,
      args: [stringConstant(numberText(digits, value.type))],
    };
  if (value.type?.id === 'DOUBLE' && typeof value.value === 'number') {
    return { template: 'CAST(__arg1 AS DOUBLE)', args: [stringConstant(String(value.value))] };
  }
  const at = Number(node['query_location']);
  if (value.type?.id === 'VARCHAR' && at >= 0 && /^[xX]'/.test(sql.slice(at, at + 2))) {
    const hex = String(value.value).replace(/^x/, '');
    return { template: 'from_hex(__arg1)', args: [stringConstant(hex)] };
  }
  return undefined;
}

type ConstantType = { id?: string; type_info?: { width?: number; scale?: number } | null } | undefined;

function numberType(type: ConstantType): string {
  const info = type?.type_info;
  return type?.id === 'DECIMAL' && info ? `DECIMAL(${info.width}, ${info.scale})` : String(type?.id ?? 'HUGEINT');
}

/** A decimal constant's digits are its unscaled value. */
function numberText(digits: string, type: ConstantType): string {
  const scale = type?.id === 'DECIMAL' ? Number(type.type_info?.scale ?? 0) : 0;
  if (scale === 0) return digits;
  const negative = digits.startsWith('-');
  const bare = (negative ? digits.slice(1) : digits).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${bare.slice(0, -scale)}.${bare.slice(-scale)}`;
}
