import type { Table } from '@aws-sdk/client-glue';
import { sqlIdentifier, sqlString } from '../../../etl/sql/sqlText';
import type { S3ObjectFiles, StoredObject } from '../s3/S3ObjectFiles';
import { duckdbTypeOfGlue } from './athenaTypes';

/** The files of one partition of a table (one branch of the table's view). */
export interface PartitionFiles {
  /** Partition values in the order of the table's PartitionKeys, as text. */
  readonly values: readonly string[];
  readonly files: readonly StoredObject[];
}

/** A catalog table resolved to the stored files a query over it may read. */
export interface TableSource {
  readonly database: string;
  readonly name: string;
  readonly format: 'parquet' | 'csv';
  readonly columns: readonly { readonly name: string; readonly duckdbType: string }[];
  readonly partitionKeys: readonly { readonly name: string; readonly duckdbType: string }[];
  readonly partitions: readonly PartitionFiles[];
  /** CSV only: header lines to skip and the field delimiter. */
  readonly csv: { readonly skipHeaderLines: number; readonly delimiter: string };
}

/** A table Athena could not read either (unknown format, bad location, unsupported column type). */
export class TableNotReadableError extends Error {
  readonly code = 'TABLE_NOT_READABLE';
  constructor(table: string, reason: string) {
    super(`HIVE_UNSUPPORTED_FORMAT: Table ${table} cannot be read locally: ${reason}`);
    this.name = 'TableNotReadableError';
  }
}

/**
 * Resolves a Glue table to its files: every object under `StorageDescriptor.Location` (or under the static
 * prefix of `storage.location.template` when partition projection is enabled), except hidden objects (a path
 * segment starting with `_` or `.`, as Hive and Athena skip `_SUCCESS` and the like), folder markers and empty
 * objects. Partition values come from the key: `name=value` segments (Hive layout), or the template's
 * `${name}` placeholders. With projection enabled, values outside the projected range (integer `range`,
 * `digits`, `enum` `values`) are not partitions Athena would read, so their files are left out.
 */
export async function resolveTableSource(database: string, table: Table, objects: S3ObjectFiles): Promise<TableSource> {
  const qualified = `${database}.${table.Name}`;
  const descriptor = table.StorageDescriptor ?? {};
  const location = parseS3Location(descriptor.Location ?? '');
  if (!location)
    throw new TableNotReadableError(
      qualified,
      `its location '${descriptor.Location ?? ''}' is not s3://bucket/prefix/.`,
    );
  const params = table.Parameters ?? {};
  const toType = (name: string, type: string | undefined) => {
    try {
      return duckdbTypeOfGlue(type ?? '');
    } catch (err) {
      throw new TableNotReadableError(qualified, `column ${name}: ${(err as Error).message}`);
    }
  };
  const columns = (descriptor.Columns ?? []).map((c) => ({
    name: c.Name ?? '',
    duckdbType: toType(c.Name ?? '', c.Type),
  }));
  const partitionKeys = (table.PartitionKeys ?? []).map((c) => ({
    name: c.Name ?? '',
    duckdbType: toType(c.Name ?? '', c.Type),
  }));
  const format = tableFormat(table);
  if (!format) throw new TableNotReadableError(qualified, 'only Parquet and CSV (text) tables are supported.');
  const serde = descriptor.SerdeInfo?.Parameters ?? {};
  const csv = {
    skipHeaderLines: Number(params['skip.header.line.count'] ?? serde['skip.header.line.count'] ?? 0) || 0,
    delimiter: serde['field.delim'] ?? serde.separatorChar ?? ',',
  };

  const projected = params['projection.enabled']?.toLowerCase() === 'true';
  const template = projected ? params['storage.location.template'] : undefined;
  const layout = partitionLayout(
    location,
    template,
    partitionKeys.map((k) => k.name),
    qualified,
  );
  const listed = await objects.list(layout.bucket, layout.prefix);
  const groups = new Map<string, { values: string[]; files: StoredObject[] }>();
  for (const object of listed) {
    const rest = object.key.slice(layout.prefix.length);
    if (object.size === 0 || rest === '' || rest.endsWith('/')) continue;
    if (rest.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'))) continue;
    const values = layout.match(rest);
    if (!values) continue;
    if (projected && !values.every((v, i) => withinProjection(params, partitionKeys[i]?.name ?? '', v))) continue;
    const id = JSON.stringify(values);
    const group = groups.get(id) ?? { values, files: [] };
    group.files.push(object);
    groups.set(id, group);
  }
  return {
    database,
    name: table.Name ?? '',
    format,
    columns,
    partitionKeys,
    partitions: [...groups.values()],
    csv,
  };
}

/**
 * The SQL of the view standing for the table: one `UNION ALL` branch per partition, typed by the catalog.
 * `fileColumns` (Parquet) gives the lower-cased column names each file holds: a catalog column no file of a
 * partition holds reads as NULL there, as Athena reads it (columns added to a table after older files were written).
 */
export function tableViewSql(source: TableSource, fileColumns?: ReadonlyMap<string, ReadonlySet<string>>): string {
  const column = (c: { name: string; duckdbType: string }, partition: PartitionFiles) => {
    const present =
      !fileColumns || partition.files.some((f) => fileColumns.get(f.path)?.has(c.name.toLowerCase()) ?? true);
    const value = present ? sqlIdentifier(c.name) : 'NULL';
    return `CAST(${value} AS ${c.duckdbType}) AS ${sqlIdentifier(c.name)}`;
  };
  if (source.partitions.length === 0) {
    const nulls = [...source.columns, ...source.partitionKeys].map(
      (c) => `CAST(NULL AS ${c.duckdbType}) AS ${sqlIdentifier(c.name)}`,
    );
    return `SELECT ${nulls.join(', ') || 'NULL AS "_"'} WHERE false`;
  }
  return source.partitions
    .map((partition) => {
      const keys = source.partitionKeys.map(
        (k, i) => `CAST(${sqlString(partition.values[i] ?? '')} AS ${k.duckdbType}) AS ${sqlIdentifier(k.name)}`,
      );
      const files = `[${partition.files.map((f) => sqlString(f.path)).join(', ')}]`;
      const reader =
        source.format === 'parquet'
          ? `read_parquet(${files}, union_by_name = true, hive_partitioning = false)`
          : `read_csv(${files}, header = false, skip = ${source.csv.skipHeaderLines}, delim = ${sqlString(source.csv.delimiter)}, ` +
            `quote = '"', escape = '"', auto_detect = false, hive_partitioning = false, columns = {${source.columns
              .map((c) => `${sqlString(c.name)}: 'VARCHAR'`)
              .join(', ')}})`;
      const columns = source.columns.map((c) => column(c, partition));
      return `SELECT ${[...columns, ...keys].join(', ')} FROM ${reader}`;
    })
    .join('\nUNION ALL\n');
}

function tableFormat(table: Table): 'parquet' | 'csv' | undefined {
  const descriptor = table.StorageDescriptor ?? {};
  const hints = [table.Parameters?.classification, descriptor.InputFormat, descriptor.SerdeInfo?.SerializationLibrary]
    .filter((h): h is string => typeof h === 'string')
    .join(' ')
    .toLowerCase();
  if (hints.includes('parquet')) return 'parquet';
  if (/csv|lazysimpleserde|textinputformat/.test(hints)) return 'csv';
  return undefined;
}

/**
 * The bucket and key (or prefix, possibly empty) of an `s3://` or `s3a://` location; undefined for anything else.
 * Not the API's `parseS3Url`, which takes object URLs only and throws.
 */
export function parseS3Location(url: string): { bucket: string; key: string } | undefined {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url.trim());
  return match ? { bucket: match[1] as string, key: match[2] as string } : undefined;
}

interface PartitionLayout {
  readonly bucket: string;
  readonly prefix: string;
  /** Partition values of a key relative to the prefix, or undefined when the key is not in a partition. */
  match(rest: string): string[] | undefined;
}

function partitionLayout(
  location: { bucket: string; key: string },
  template: string | undefined,
  keys: readonly string[],
  table: string,
): PartitionLayout {
  const base = location.key === '' || location.key.endsWith('/') ? location.key : `${location.key}/`;
  if (keys.length === 0) return { bucket: location.bucket, prefix: base, match: () => [] };
  if (template) {
    const parsed = parseS3Location(template);
    if (!parsed) throw new TableNotReadableError(table, `storage.location.template '${template}' is not an s3:// URL.`);
    const firstPlaceholder = parsed.key.indexOf('${');
    const prefix = firstPlaceholder < 0 ? parsed.key : parsed.key.slice(0, firstPlaceholder);
    const order: string[] = [];
    const pattern = parsed.key
      .slice(prefix.length)
      .split(/(\$\{[^}]+\})/)
      .map((part) => {
        const placeholder = /^\$\{([^}]+)\}$/.exec(part);
        if (!placeholder) return escapeRegExp(part);
        order.push((placeholder[1] as string).toLowerCase());
        return '([^/]+)';
      })
      .join('');
    const regex = new RegExp(`^${pattern}${pattern.endsWith('/') ? '' : '/'}`);
    const missing = keys.find((k) => !order.includes(k.toLowerCase()));
    if (missing) throw new TableNotReadableError(table, `storage.location.template has no \${${missing}}.`);
    return {
      bucket: parsed.bucket,
      prefix,
      match(rest) {
        const m = regex.exec(rest);
        if (!m) return undefined;
        return keys.map((k) => decodePart(m[order.indexOf(k.toLowerCase()) + 1] as string));
      },
    };
  }
  return {
    bucket: location.bucket,
    prefix: base,
    match(rest) {
      const segments = rest.split('/').slice(0, -1);
      const found = new Map<string, string>();
      for (const segment of segments) {
        const eq = segment.indexOf('=');
        if (eq > 0) found.set(decodePart(segment.slice(0, eq)).toLowerCase(), decodePart(segment.slice(eq + 1)));
      }
      const values = keys.map((k) => found.get(k.toLowerCase()));
      return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
    },
  };
}

function withinProjection(params: Record<string, string>, key: string, value: string): boolean {
  const type = params[`projection.${key}.type`]?.toLowerCase();
  if (type === 'integer') {
    if (!/^-?\d+$/.test(value)) return false;
    const digits = Number(params[`projection.${key}.digits`] ?? 0);
    if (digits > 0 && value.replace('-', '').length < digits) return false;
    const [low, high] = (params[`projection.${key}.range`] ?? '').split(',').map((s) => Number(s.trim()));
    const n = Number(value);
    return (
      !(low !== undefined && Number.isFinite(low) && n < low) &&
      !(high !== undefined && Number.isFinite(high) && n > high)
    );
  }
  if (type === 'enum') {
    return (params[`projection.${key}.values`] ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes(value);
  }
  return true;
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
