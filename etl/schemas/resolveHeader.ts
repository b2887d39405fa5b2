import type { ColumnDefinition, DatasetSchema } from './DatasetSchema';
import { getDataset } from './datasets';
import { type DuplicateHeader, HeaderMismatchError } from './errors';
import { normalizeHeaderName } from './normalizeHeaderName';

/** How an export's header maps onto a dataset's columns. */
export interface HeaderMapping {
  readonly dataset: DatasetSchema;
  /** Number of fields in the header: every data row must have as many. */
  readonly fieldCount: number;
  /** For each header field, in order: the column it fills, or undefined for an ignored field. */
  readonly fields: readonly (ColumnDefinition | undefined)[];
  /** Field index of each column present in the header, by canonical name. */
  readonly indexOf: Readonly<Record<string, number>>;
  /** Nullable columns the header lacks: null in every row. */
  readonly absent: readonly string[];
  /** Header fields ignored because they match no column (only with `unknownColumns: 'ignore'`). */
  readonly ignored: readonly string[];
}

export interface ResolveHeaderOptions {
  /**
   * What to do with header fields that match no column: refuse the file, or ignore those fields.
   * @default 'reject'
   */
  readonly unknownColumns?: 'reject' | 'ignore';
}

/**
 * Maps an export's header fields onto a dataset's columns through each column's name and aliases, ignoring
 * case, spaces, underscores, hyphens, dots and a leading byte order mark. Throws a `HeaderMismatchError` listing
 * every unknown, missing (required) and duplicated column at once, so one message says all that is wrong.
 */
export function resolveHeader(
  dataset: DatasetSchema | string,
  headerFields: readonly string[],
  options: ResolveHeaderOptions = {},
): HeaderMapping {
  const schema = typeof dataset === 'string' ? getDataset(dataset) : dataset;
  const lookup = headerLookup(schema);
  const fields: (ColumnDefinition | undefined)[] = [];
  const indexOf: Record<string, number> = {};
  const seen = new Map<string, string[]>();
  const unknown: string[] = [];
  headerFields.forEach((field, index) => {
    const col = lookup.get(normalizeHeaderName(field));
    fields.push(col);
    if (!col) {
      unknown.push(field.trim() === '' ? `(empty field ${index + 1})` : field);
      return;
    }
    const names = seen.get(col.name);
    if (names) names.push(field);
    else {
      seen.set(col.name, [field]);
      indexOf[col.name] = index;
    }
  });
  const duplicate: DuplicateHeader[] = [...seen.entries()]
    .filter(([, names]) => names.length > 1)
    .map(([column, names]) => ({ column, fields: names }));
  const missing = schema.columns.filter((c) => !c.nullable && !(c.name in indexOf)).map((c) => c.name);
  const rejectUnknown = (options.unknownColumns ?? 'reject') === 'reject';
  if (missing.length > 0 || duplicate.length > 0 || (rejectUnknown && unknown.length > 0)) {
    throw new HeaderMismatchError(schema.name, rejectUnknown ? unknown : [], missing, duplicate);
  }
  return {
    dataset: schema,
    fieldCount: headerFields.length,
    fields,
    indexOf,
    absent: schema.columns.filter((c) => !(c.name in indexOf)).map((c) => c.name),
    ignored: unknown,
  };
}

const lookups = new WeakMap<DatasetSchema, Map<string, ColumnDefinition>>();

/** Normalised header name → column, for the canonical names and every alias (built once per dataset). */
function headerLookup(schema: DatasetSchema): Map<string, ColumnDefinition> {
  let lookup = lookups.get(schema);
  if (!lookup) {
    lookup = new Map();
    for (const col of schema.columns) {
      for (const name of [col.name, ...col.aliases]) lookup.set(normalizeHeaderName(name), col);
    }
    lookups.set(schema, lookup);
  }
  return lookup;
}
