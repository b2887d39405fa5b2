import type { ColumnType } from './columnTypes';
import type { ColumnConstraints, ColumnDefinition, DatasetSchema } from './DatasetSchema';
import { normalizeHeaderName } from './normalizeHeaderName';

/** Options of `column()`; everything but the description has a default. */
export interface ColumnOptions {
  readonly description: string;
  readonly example: string;
  /** @default false */
  readonly nullable?: boolean;
  /** @default false */
  readonly pii?: boolean;
  /** @default [] */
  readonly aliases?: readonly string[];
  /** @default {} */
  readonly constraints?: ColumnConstraints;
}

/** A column definition with defaults filled in. */
export function column(name: string, type: ColumnType, options: ColumnOptions): ColumnDefinition {
  return Object.freeze({
    name,
    type,
    nullable: options.nullable ?? false,
    pii: options.pii ?? false,
    description: options.description,
    aliases: Object.freeze([...(options.aliases ?? [])]),
    constraints: Object.freeze({ ...(options.constraints ?? {}) }),
    example: options.example,
  });
}

const NAME = /^[a-z][a-z0-9_]*$/;
const NUMERIC = new Set(['integer', 'bigint', 'decimal', 'double']);

/**
 * Checks a dataset definition for mistakes a reader of the schema would otherwise meet at run time (a rule
 * naming a missing column, two columns claiming the same alias, a range on a string) and freezes it.
 */
export function defineDataset(schema: DatasetSchema): DatasetSchema {
  const fail = (message: string): never => {
    throw new Error(`Dataset ${schema.name}: ${message}`);
  };
  if (!NAME.test(schema.name)) fail('the name must be snake_case');
  const byName = new Map<string, ColumnDefinition>();
  const claimed = new Map<string, string>();
  for (const col of schema.columns) {
    if (!NAME.test(col.name)) fail(`column name ${col.name} must be snake_case`);
    if (byName.has(col.name)) fail(`column ${col.name} is declared twice`);
    byName.set(col.name, col);
    for (const alias of [col.name, ...col.aliases]) {
      const key = normalizeHeaderName(alias);
      const owner = claimed.get(key);
      if (owner !== undefined && owner !== col.name)
        fail(`header name '${alias}' of ${col.name} also matches ${owner}`);
      claimed.set(key, col.name);
    }
    checkConstraints(col, fail);
  }
  const known = (name: string, where: string) => {
    if (!byName.has(name)) fail(`${where} names unknown column ${name}`);
    return byName.get(name)!;
  };
  if (schema.naturalKey.length === 0) fail('the natural key is empty');
  for (const name of schema.naturalKey) {
    if (known(name, 'the natural key').nullable) fail(`natural key column ${name} must not be nullable`);
  }
  for (const name of schema.sortKeys) known(name, 'the sort keys');
  const source = known(schema.partitionSource, 'the partition source');
  if (source.type.kind !== 'timestamp' || source.nullable) fail('the partition source must be a required timestamp');
  if (schema.pseudonymSource !== undefined) known(schema.pseudonymSource, 'the pseudonym source');
  const ruleNames = new Set<string>();
  for (const rule of schema.rules) {
    if (ruleNames.has(rule.name)) fail(`rule ${rule.name} is declared twice`);
    ruleNames.add(rule.name);
    const left = known(rule.left, `rule ${rule.name}`);
    const right = known(rule.right, `rule ${rule.name}`);
    const comparable = (a: ColumnDefinition, b: ColumnDefinition) =>
      a.type.kind === b.type.kind || (NUMERIC.has(a.type.kind) && NUMERIC.has(b.type.kind));
    if (!comparable(left, right)) fail(`rule ${rule.name} compares ${left.type.kind} with ${right.type.kind}`);
  }
  return deepFreeze(schema);
}

function checkConstraints(col: ColumnDefinition, fail: (message: string) => never): void {
  const c = col.constraints;
  const numeric = NUMERIC.has(col.type.kind);
  const bounds = [c.min, c.max, c.exclusiveMin, c.exclusiveMax].some((v) => v !== undefined);
  if (bounds && !numeric) fail(`column ${col.name}: ranges apply to numbers only`);
  const textual = c.enum !== undefined || c.pattern !== undefined || c.maxLength !== undefined;
  if (textual && col.type.kind !== 'string') fail(`column ${col.name}: enum, pattern and maxLength apply to strings`);
  if (c.pattern !== undefined) {
    if (!c.pattern.startsWith('^') || !c.pattern.endsWith('$')) fail(`column ${col.name}: anchor the pattern (^…$)`);
    new RegExp(c.pattern);
  }
  if (c.enum !== undefined && c.enum.length === 0) fail(`column ${col.name}: the enum is empty`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
