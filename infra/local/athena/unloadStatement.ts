import { QueryRejectedError } from './QueryRejectedError';
import { parseS3Location } from './tableSource';

/** Output formats the local UNLOAD writes (Athena also has ORC, AVRO and JSON, refused here by name). */
export const UNLOAD_FORMATS = { PARQUET: 'PARQUET', TEXTFILE: 'TEXTFILE' } as const;
export type UnloadFormat = keyof typeof UNLOAD_FORMATS;

/** Compressions the local UNLOAD writes: Athena's default, GZIP, for both formats; SNAPPY and ZSTD for Parquet. */
const COMPRESSIONS: Readonly<Record<UnloadFormat, readonly string[]>> = {
  PARQUET: ['GZIP', 'SNAPPY', 'ZSTD', 'NONE'],
  TEXTFILE: ['GZIP', 'NONE'],
};

/** `UNLOAD (<select>) TO 's3://bucket/prefix/' WITH (format = '…', …)`, taken apart. */
export interface UnloadStatement {
  /** The SELECT (or WITH … SELECT) inside the parentheses, run as any query is. */
  readonly select: string;
  readonly bucket: string;
  /** The target prefix, ending in `/` (Athena writes the files directly under it). */
  readonly prefix: string;
  readonly format: UnloadFormat;
  /** Upper case, one of {@link COMPRESSIONS} for the format. @default 'GZIP' */
  readonly compression: string;
  /** TEXTFILE only: one character. @default '\u0001' (Hive's default, as Athena's) */
  readonly fieldDelimiter: string;
}

const UNLOAD = /^\s*UNLOAD\s*\(([\s\S]*)\)\s*TO\s*'([^']*)'\s*WITH\s*\(([\s\S]*)\)\s*;?\s*$/i;
const PROPERTY = /^\s*([A-Za-z_]+)\s*=\s*'((?:[^']|'')*)'\s*$/;

/** Whether the statement is an UNLOAD (its first word), for the statement type. */
export function isUnload(sql: string): boolean {
  return /^\s*UNLOAD\b/i.test(sql);
}

/**
 * Parses an UNLOAD statement as Athena accepts it (`docs/local-stack.md`): one parenthesised query, a quoted
 * `s3://` location, and `WITH (name = 'value', …)` properties of which `format` is required. Undefined for any
 * other statement; `QueryRejectedError` (a user error, as Athena's) for an UNLOAD it cannot run, naming why.
 */
export function parseUnload(sql: string): UnloadStatement | undefined {
  if (!isUnload(sql)) return undefined;
  const match = UNLOAD.exec(sql);
  if (!match) {
    throw new QueryRejectedError(
      "line 1:1: UNLOAD must read UNLOAD (SELECT …) TO 's3://bucket/prefix/' WITH (format = 'PARQUET' | 'TEXTFILE', …)",
    );
  }
  const [, select, location, propertyText] = match as unknown as [string, string, string, string];
  if (!/^\s*(SELECT|WITH)\b/i.test(select)) {
    throw new QueryRejectedError('UNLOAD wraps a SELECT statement (or WITH … SELECT).');
  }
  const target = parseS3Location(location);
  if (!target?.bucket || !location.startsWith('s3://')) {
    throw new QueryRejectedError(
      `UNLOAD's TO location must be an S3 location (s3://bucket/prefix/), got '${location}'.`,
    );
  }
  const properties = new Map<string, string>();
  for (const part of splitProperties(propertyText)) {
    const property = PROPERTY.exec(part);
    if (!property) throw new QueryRejectedError(`UNLOAD property must read name = 'value', got '${part.trim()}'.`);
    const name = property[1]!.toLowerCase();
    if (properties.has(name)) throw new QueryRejectedError(`UNLOAD property ${name} is given twice.`);
    properties.set(name, property[2]!.replaceAll("''", "'"));
  }
  for (const name of properties.keys()) {
    if (!['format', 'compression', 'field_delimiter'].includes(name)) {
      throw new QueryRejectedError(
        `UNLOAD property ${name} is not supported by the local Athena (format, compression, field_delimiter are).`,
      );
    }
  }
  const format = properties.get('format')?.toUpperCase();
  if (format === undefined)
    throw new QueryRejectedError("UNLOAD needs the format property (WITH (format = 'PARQUET')).");
  if (!(format in UNLOAD_FORMATS)) {
    throw new QueryRejectedError(
      `UNLOAD format ${format} is not supported by the local Athena (PARQUET and TEXTFILE are).`,
    );
  }
  const unloadFormat = format as UnloadFormat;
  const compression = (properties.get('compression') ?? 'GZIP').toUpperCase();
  if (!COMPRESSIONS[unloadFormat].includes(compression)) {
    throw new QueryRejectedError(
      `UNLOAD compression ${compression} is not supported for ${format} (${COMPRESSIONS[unloadFormat].join(', ')}).`,
    );
  }
  const delimiter = properties.get('field_delimiter');
  if (delimiter !== undefined && unloadFormat !== 'TEXTFILE') {
    throw new QueryRejectedError('UNLOAD property field_delimiter applies to format TEXTFILE only.');
  }
  if (delimiter !== undefined && [...delimiter].length !== 1) {
    throw new QueryRejectedError(`UNLOAD field_delimiter must be one character, got '${delimiter}'.`);
  }
  return {
    select: select.trim(),
    bucket: target.bucket,
    prefix: target.key === '' || target.key.endsWith('/') ? target.key : `${target.key}/`,
    format: unloadFormat,
    compression,
    fieldDelimiter: delimiter ?? '\u0001',
  };
}

/** Splits `a = 'x', b = 'y,z'` at the commas outside quotes. */
function splitProperties(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current);
  return parts;
}
