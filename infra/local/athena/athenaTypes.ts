import type { ColumnInfo } from '@aws-sdk/client-athena';
import { ZONED_STRUCT_TYPE } from './trinoTimeZones';

/**
 * Athena's description of a result column, from the DuckDB type of that column (its `toString()`, e.g.
 * `DECIMAL(7,2)`, `VARCHAR`, `INTEGER[]`). Names, precisions and case sensitivity follow what Athena (engine v3)
 * reports for the Trino type the column would have there.
 */
export function athenaColumnInfo(name: string, duckdbType: string): ColumnInfo {
  const { type, precision, scale, caseSensitive } = athenaType(duckdbType);
  return {
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: type,
    Precision: precision,
    Scale: scale,
    Nullable: 'UNKNOWN',
    CaseSensitive: caseSensitive,
  };
}

interface AthenaType {
  readonly type: string;
  readonly precision: number;
  readonly scale: number;
  readonly caseSensitive: boolean;
}

const VARCHAR_PRECISION = 2_147_483_647;

const SIMPLE: Readonly<Record<string, AthenaType>> = {
  VARCHAR: { type: 'varchar', precision: VARCHAR_PRECISION, scale: 0, caseSensitive: true },
  BOOLEAN: { type: 'boolean', precision: 0, scale: 0, caseSensitive: false },
  TINYINT: { type: 'tinyint', precision: 3, scale: 0, caseSensitive: false },
  SMALLINT: { type: 'smallint', precision: 5, scale: 0, caseSensitive: false },
  INTEGER: { type: 'integer', precision: 10, scale: 0, caseSensitive: false },
  BIGINT: { type: 'bigint', precision: 19, scale: 0, caseSensitive: false },
  UTINYINT: { type: 'smallint', precision: 5, scale: 0, caseSensitive: false },
  USMALLINT: { type: 'integer', precision: 10, scale: 0, caseSensitive: false },
  UINTEGER: { type: 'bigint', precision: 19, scale: 0, caseSensitive: false },
  UBIGINT: { type: 'decimal', precision: 20, scale: 0, caseSensitive: false },
  HUGEINT: { type: 'decimal', precision: 38, scale: 0, caseSensitive: false },
  FLOAT: { type: 'real', precision: 17, scale: 0, caseSensitive: false },
  DOUBLE: { type: 'double', precision: 17, scale: 0, caseSensitive: false },
  DATE: { type: 'date', precision: 0, scale: 0, caseSensitive: false },
  TIME: { type: 'time', precision: 3, scale: 0, caseSensitive: false },
  TIMESTAMP: { type: 'timestamp', precision: 3, scale: 0, caseSensitive: false },
  TIMESTAMP_MS: { type: 'timestamp', precision: 3, scale: 0, caseSensitive: false },
  TIMESTAMP_S: { type: 'timestamp', precision: 3, scale: 0, caseSensitive: false },
  TIMESTAMP_NS: { type: 'timestamp', precision: 3, scale: 0, caseSensitive: false },
  'TIMESTAMP WITH TIME ZONE': { type: 'timestamp with time zone', precision: 3, scale: 0, caseSensitive: false },
  INTERVAL: { type: 'interval day to second', precision: 0, scale: 0, caseSensitive: false },
  BLOB: { type: 'varbinary', precision: VARCHAR_PRECISION, scale: 0, caseSensitive: false },
  UUID: { type: 'uuid', precision: 0, scale: 0, caseSensitive: false },
  JSON: { type: 'json', precision: 0, scale: 0, caseSensitive: true },
  '"NULL"': { type: 'unknown', precision: 0, scale: 0, caseSensitive: false },
  NULL: { type: 'unknown', precision: 0, scale: 0, caseSensitive: false },
};

function athenaType(duckdbType: string): AthenaType {
  const upper = duckdbType.trim().toUpperCase();
  // A zoned timestamp travels as a struct of instant and zone (trinoTimeZones.ts).
  const simple = upper === ZONED_STRUCT_TYPE.toUpperCase() ? SIMPLE['TIMESTAMP WITH TIME ZONE'] : SIMPLE[upper];
  if (simple) return simple;
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(upper);
  if (decimal)
    return { type: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]), caseSensitive: false };
  if (upper.endsWith('[]') || /\[\d+\]$/.test(upper)) {
    return { type: 'array', precision: 0, scale: 0, caseSensitive: false };
  }
  if (upper.startsWith('STRUCT(')) return { type: 'row', precision: 0, scale: 0, caseSensitive: false };
  if (upper.startsWith('MAP(')) return { type: 'map', precision: 0, scale: 0, caseSensitive: false };
  if (upper.startsWith('ENUM(')) return SIMPLE.VARCHAR as AthenaType;
  return { type: upper.toLowerCase(), precision: 0, scale: 0, caseSensitive: false };
}

/**
 * The DuckDB type a Glue (Hive DDL) column type is read as. Throws a `TypeError` naming the type for anything
 * Athena would not read either.
 */
export function duckdbTypeOfGlue(glueType: string): string {
  const type = glueType.trim().toLowerCase();
  switch (type) {
    case 'string':
      return 'VARCHAR';
    case 'int':
    case 'integer':
      return 'INTEGER';
    case 'tinyint':
      return 'TINYINT';
    case 'smallint':
      return 'SMALLINT';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'float':
      return 'FLOAT';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'binary':
      return 'BLOB';
  }
  const decimal = /^decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(type);
  if (decimal) return `DECIMAL(${Number(decimal[1])},${Number(decimal[2])})`;
  if (type === 'decimal') return 'DECIMAL(10,0)';
  if (/^(var)?char\s*\(\s*\d+\s*\)$/.test(type)) return 'VARCHAR';
  const array = /^array\s*<(.+)>$/.exec(type);
  if (array) return `${duckdbTypeOfGlue(array[1] as string)}[]`;
  throw new TypeError(`Unsupported Glue column type '${glueType}'.`);
}
