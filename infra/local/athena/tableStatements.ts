import { QueryRejectedError } from './QueryRejectedError';
import { parseS3Location } from './tableSource';

/** Compressions a CTAS writes Parquet with (`write_compression`; Athena's Parquet default is GZIP). */
export const CTAS_COMPRESSIONS = ['GZIP', 'SNAPPY', 'ZSTD', 'NONE'] as const;

/** A table name as written in a statement: `db.t`, `"db"."t"`, `awsdatacatalog.db.t` or `t`. */
export interface StatementTableName {
  readonly database: string | undefined;
  readonly table: string;
}

/** `CREATE TABLE [IF NOT EXISTS] name WITH (…) AS <query> [WITH [NO] DATA]`, taken apart. */
export interface CreateTableAs {
  readonly kind: 'CREATE_TABLE_AS_SELECT';
  readonly name: StatementTableName;
  readonly ifNotExists: boolean;
  /** The query after AS, run as any query is. */
  readonly select: string;
  /** `external_location`, as given (an `s3://` URL), or undefined for Athena's default (`<results>tables/<id>/`). */
  readonly location: string | undefined;
  /** Upper case, one of {@link CTAS_COMPRESSIONS}. @default 'GZIP' */
  readonly compression: string;
  /** `partitioned_by`: the query's last columns, in order. */
  readonly partitionedBy: readonly string[];
  /** `WITH NO DATA`: the table is created empty. */
  readonly withData: boolean;
}

/** `DROP TABLE [IF EXISTS] name`. */
export interface DropTable {
  readonly kind: 'DROP_TABLE';
  readonly name: StatementTableName;
  readonly ifExists: boolean;
}

export type TableStatement = CreateTableAs | DropTable;

/** Athena's statement type and substatement type of a query text (GetQueryExecution's StatementType). */
export function statementTypeOf(sql: string): { statementType: 'DML' | 'DDL' | 'UTILITY'; substatementType: string } {
  if (/^\s*UNLOAD\b/i.test(sql)) return { statementType: 'DML', substatementType: 'UNLOAD' };
  if (/^\s*SHOW\s+TABLES\b/i.test(sql)) return { statementType: 'UTILITY', substatementType: 'SHOW_TABLES' };
  if (/^\s*SHOW\s+COLUMNS\b/i.test(sql)) return { statementType: 'UTILITY', substatementType: 'SHOW_COLUMNS' };
  if (/^\s*SHOW\s+CREATE\s+TABLE\b/i.test(sql)) {
    return { statementType: 'UTILITY', substatementType: 'SHOW_CREATE_TABLE' };
  }
  if (/^\s*SHOW\s+PARTITIONS\b/i.test(sql)) return { statementType: 'UTILITY', substatementType: 'SHOW_PARTITIONS' };
  if (/^\s*DESC(RIBE)?\b/i.test(sql)) return { statementType: 'UTILITY', substatementType: 'DESCRIBE_TABLE' };
  if (/^\s*CREATE\s+TABLE\b[\s\S]*\bAS\b/i.test(sql)) {
    return { statementType: 'DDL', substatementType: 'CREATE_TABLE_AS_SELECT' };
  }
  if (/^\s*DROP\s+TABLE\b/i.test(sql)) return { statementType: 'DDL', substatementType: 'DROP_TABLE' };
  return { statementType: 'DML', substatementType: 'SELECT' };
}

/**
 * Whether Athena writes the statement's result as plain text (`<id>.txt`: one line per row, fields separated by
 * tabs, no header, no quoting) rather than CSV: DDL and utility statements (`SHOW`, `DESCRIBE`, `DROP TABLE`).
 * GetQueryResults then answers each line as one datum and no header row, as Athena does.
 */
export function hasTextResult(sql: string): boolean {
  const { statementType, substatementType } = statementTypeOf(sql);
  return statementType === 'UTILITY' || substatementType === 'DROP_TABLE';
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|\`[^\`]+\`|[A-Za-z_][A-Za-z0-9_]*)`;
const NAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT}){0,2})`;
const CREATE = new RegExp(String.raw`^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?${NAME}\s*`, 'i');
const DROP = new RegExp(String.raw`^\s*DROP\s+TABLE\s+(IF\s+EXISTS\s+)?${NAME}\s*;?\s*$`, 'i');

/**
 * Parses `CREATE TABLE … AS` and `DROP TABLE` as Athena accepts them (`docs/local-stack.md`, "CTAS and DROP
 * TABLE"); undefined for any other statement. A CTAS property the local Athena cannot honour (another format,
 * bucketing, Iceberg) is a `QueryRejectedError` naming it, never ignored.
 */
export function parseTableStatement(sql: string): TableStatement | undefined {
  const drop = DROP.exec(sql);
  if (drop) return { kind: 'DROP_TABLE', ifExists: Boolean(drop[1]), name: tableName(drop[2]!) };
  if (!/^\s*CREATE\s+TABLE\b/i.test(sql)) return undefined;
  const create = CREATE.exec(sql);
  if (!create)
    throw new QueryRejectedError('line 1:1: CREATE TABLE needs a table name (CREATE TABLE db.t AS SELECT …).');
  let rest = sql.slice(create[0].length);
  const properties = new Map<string, string>();
  if (/^WITH\s*\(/i.test(rest)) {
    const open = rest.indexOf('(');
    const close = closingParen(rest, open);
    for (const part of splitTopLevel(rest.slice(open + 1, close))) {
      const m = /^\s*([A-Za-z_]+)\s*=\s*([\s\S]*?)\s*$/.exec(part);
      if (!m) throw new QueryRejectedError(`CREATE TABLE property must read name = value, got '${part.trim()}'.`);
      const name = m[1]!.toLowerCase();
      if (properties.has(name)) throw new QueryRejectedError(`CREATE TABLE property ${name} is given twice.`);
      properties.set(name, m[2]!);
    }
    rest = rest.slice(close + 1);
  }
  const as = /^\s*AS\s+/i.exec(rest);
  if (!as) {
    throw new QueryRejectedError(
      'CREATE TABLE without AS SELECT is not supported by the local Athena: create the table through Glue (CreateTable) or use CREATE TABLE … AS SELECT.',
    );
  }
  let select = rest.slice(as[0].length).replace(/;\s*$/, '');
  let withData = true;
  const dataClause = /\s+WITH\s+(NO\s+)?DATA\s*$/i.exec(select);
  if (dataClause) {
    withData = !dataClause[1];
    select = select.slice(0, dataClause.index);
  }
  select = select.trim();
  if (select.startsWith('(') && closingParen(select, 0) === select.length - 1) select = select.slice(1, -1).trim();
  if (!/^(SELECT|WITH|VALUES)\b/i.test(select)) {
    throw new QueryRejectedError('CREATE TABLE AS wraps a query (SELECT, WITH … SELECT or VALUES).');
  }
  const known = [
    'external_location',
    'format',
    'write_compression',
    'parquet_compression',
    'partitioned_by',
    'table_type',
    'is_external',
  ];
  for (const name of properties.keys()) {
    if (!known.includes(name)) {
      throw new QueryRejectedError(
        `CREATE TABLE property ${name} is not supported by the local Athena (${known.join(', ')} are).`,
      );
    }
  }
  const format = stringProperty(properties, 'format')?.toUpperCase() ?? 'PARQUET';
  if (format !== 'PARQUET') {
    throw new QueryRejectedError(`CREATE TABLE format ${format} is not supported by the local Athena (PARQUET is).`);
  }
  const tableType = stringProperty(properties, 'table_type')?.toUpperCase();
  if (tableType !== undefined && tableType !== 'HIVE') {
    throw new QueryRejectedError(
      `CREATE TABLE table_type ${tableType} is not supported by the local Athena (HIVE is).`,
    );
  }
  const compression = (
    stringProperty(properties, 'write_compression') ??
    stringProperty(properties, 'parquet_compression') ??
    'GZIP'
  ).toUpperCase();
  if (!(CTAS_COMPRESSIONS as readonly string[]).includes(compression)) {
    throw new QueryRejectedError(
      `CREATE TABLE write_compression ${compression} is not supported for PARQUET (${CTAS_COMPRESSIONS.join(', ')}).`,
    );
  }
  const location = stringProperty(properties, 'external_location');
  if (location !== undefined && !(location.startsWith('s3://') && parseS3Location(location)?.bucket)) {
    throw new QueryRejectedError(
      `CREATE TABLE external_location must be an S3 location (s3://bucket/prefix/), got '${location}'.`,
    );
  }
  return {
    kind: 'CREATE_TABLE_AS_SELECT',
    name: tableName(create[2]!),
    ifNotExists: Boolean(create[1]),
    select,
    location,
    compression,
    partitionedBy: arrayProperty(properties, 'partitioned_by'),
    withData,
  };
}

function tableName(text: string): StatementTableName {
  const parts = [...text.matchAll(new RegExp(IDENT, 'g'))].map((m) => unquote(m[0]).toLowerCase());
  if (parts.length === 3 && parts[0] !== 'awsdatacatalog') {
    throw new QueryRejectedError(`CATALOG_NOT_FOUND: Catalog '${parts[0]}' does not exist`);
  }
  const [table, database] = [parts.at(-1)!, parts.length > 1 ? parts.at(-2) : undefined];
  return { database, table };
}

function unquote(ident: string): string {
  if (ident.startsWith('"')) return ident.slice(1, -1).replaceAll('""', '"');
  if (ident.startsWith('`')) return ident.slice(1, -1);
  return ident;
}

function stringProperty(properties: Map<string, string>, name: string): string | undefined {
  const value = properties.get(name);
  if (value === undefined) return undefined;
  const m = /^'((?:[^']|'')*)'$/.exec(value);
  if (!m) throw new QueryRejectedError(`CREATE TABLE property ${name} must be a quoted string, got ${value}.`);
  return m[1]!.replaceAll("''", "'");
}

function arrayProperty(properties: Map<string, string>, name: string): string[] {
  const value = properties.get(name);
  if (value === undefined) return [];
  const m = /^ARRAY\s*\[([\s\S]*)\]$/i.exec(value);
  if (!m) throw new QueryRejectedError(`CREATE TABLE property ${name} must be ARRAY['column', …], got ${value}.`);
  return splitTopLevel(m[1]!)
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const item = /^\s*'((?:[^']|'')*)'\s*$/.exec(part);
      if (!item)
        throw new QueryRejectedError(`CREATE TABLE property ${name} lists quoted column names, got ${part.trim()}.`);
      return item[1]!.replaceAll("''", "'").toLowerCase();
    });
}

/** Index of the parenthesis closing the one at `open`, outside quotes; -1 when unbalanced. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new QueryRejectedError('line 1:1: CREATE TABLE: unbalanced parentheses.');
}

/** Splits at the commas outside quotes, parentheses and brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[') depth += 1;
    else if (c === ')' || c === ']') depth -= 1;
    if (c === ',' && !quote && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}
