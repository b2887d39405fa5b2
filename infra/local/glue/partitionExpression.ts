import type { Column, Partition } from '@aws-sdk/client-glue';
import { glueErrors } from './glueErrors';

/**
 * GetPartitions' `Expression`, the subset the local Glue evaluates: comparisons of a partition key with a
 * literal (`=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`; `'text'` or a number), `key IN (v, …)`, joined by `AND` or `OR`
 * and grouped with parentheses. Keys of integer types compare as numbers, others as text, as Glue does. Anything
 * else (`LIKE`, `BETWEEN`, functions) is an InvalidInputException naming what is supported, never ignored.
 */
export function partitionFilter(
  expression: string | undefined,
  keys: readonly Column[],
): (partition: Partition) => boolean {
  if (expression === undefined || expression.trim() === '') return () => true;
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const fail = (why: string): never => {
    throw glueErrors.invalidInput(
      `Unsupported partition expression '${expression}': ${why}. The local Glue evaluates comparisons of a partition key with a literal (=, <>, <, <=, >, >=, IN) joined by AND/OR.`,
    );
  };
  type Test = (values: readonly string[]) => boolean;
  const primary = (): Test => {
    if (peek()?.kind === '(') {
      next();
      const inner = or();
      if (next()?.kind !== ')') fail('missing )');
      return inner;
    }
    const name = next();
    if (name?.kind !== 'word') return fail('expected a partition key');
    const index = keys.findIndex((k) => k.Name?.toLowerCase() === name.text.toLowerCase());
    if (index < 0) return fail(`${name.text} is not a partition key`);
    const numeric = /^(tinyint|smallint|int|integer|bigint|long)$/i.test(keys[index]!.Type ?? '');
    const compare = (value: string, literal: Token): number => {
      if (numeric) return Number(value) - Number(literal.text);
      return value < literal.text ? -1 : value > literal.text ? 1 : 0;
    };
    const op = next();
    if (op?.kind === 'word' && op.text.toUpperCase() === 'IN') {
      if (next()?.kind !== '(') fail('IN needs a list');
      const literals: Token[] = [];
      for (;;) {
        literals.push(literal(next(), fail));
        const sep = next();
        if (sep?.kind === ')') break;
        if (sep?.kind !== ',') fail('expected , or )');
      }
      return (values) => literals.some((l) => compare(values[index]!, l) === 0);
    }
    if (op?.kind !== 'op') return fail(`expected an operator after ${name.text}`);
    const value = literal(next(), fail);
    const test: Record<string, (c: number) => boolean> = {
      '=': (c) => c === 0,
      '<>': (c) => c !== 0,
      '!=': (c) => c !== 0,
      '<': (c) => c < 0,
      '<=': (c) => c <= 0,
      '>': (c) => c > 0,
      '>=': (c) => c >= 0,
    };
    const holds = test[op.text] ?? fail(`operator ${op.text}`);
    return (values) => holds(compare(values[index]!, value));
  };
  const and = (): Test => {
    let left = primary();
    while (peek()?.kind === 'word' && peek()!.text.toUpperCase() === 'AND') {
      next();
      const l = left;
      const r = primary();
      left = (v) => l(v) && r(v);
    }
    return left;
  };
  const or = (): Test => {
    let left = and();
    while (peek()?.kind === 'word' && peek()!.text.toUpperCase() === 'OR') {
      next();
      const l = left;
      const r = and();
      left = (v) => l(v) || r(v);
    }
    return left;
  };
  const test = or();
  if (at !== tokens.length) fail(`unexpected ${tokens[at]!.text}`);
  return (partition) => test(partition.Values ?? []);
}

interface Token {
  readonly kind: 'word' | 'string' | 'number' | 'op' | '(' | ')' | ',';
  readonly text: string;
}

function literal(token: Token | undefined, fail: (why: string) => never): Token {
  if (token?.kind !== 'string' && token?.kind !== 'number') return fail('expected a literal');
  return token;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|(<>|!=|<=|>=|=|<|>)|([(),])|([A-Za-z_][A-Za-z0-9_]*|`[^`]+`))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m) throw glueErrors.invalidInput(`Unsupported partition expression '${text}': cannot read it at ${at + 1}.`);
    at = pattern.lastIndex;
    if (m[1]) tokens.push({ kind: 'string', text: m[1].slice(1, -1).replaceAll("''", "'") });
    else if (m[2]) tokens.push({ kind: 'number', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'op', text: m[3] });
    else if (m[4]) tokens.push({ kind: m[4] as '(' | ')' | ',', text: m[4] });
    else tokens.push({ kind: 'word', text: m[5]!.replaceAll('`', '') });
  }
  return tokens;
}
