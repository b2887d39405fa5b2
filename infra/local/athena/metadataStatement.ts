import type { Table } from '@aws-sdk/client-glue';
import type { GlueCatalogReader } from '../glue/GlueCatalogReader';
import { QueryRejectedError } from './QueryRejectedError';
import type { StatementResult } from './StatementResult';

const IDENT = '`?"?([A-Za-z0-9_]+)"?`?';
const SHOW_TABLES = new RegExp(
  `^SHOW\\s+TABLES(?:\\s+(?:IN|FROM)\\s+${IDENT})?(?:\\s+(?:LIKE\\s+)?'([^']*)')?\\s*;?$`,
  'i',
);
const SHOW_COLUMNS = new RegExp(`^SHOW\\s+COLUMNS\\s+(?:IN|FROM)\\s+${IDENT}(?:\\.${IDENT})?\\s*;?$`, 'i');
const SHOW_CREATE_TABLE = new RegExp(`^SHOW\\s+CREATE\\s+TABLE\\s+${IDENT}(?:\\.${IDENT})?\\s*;?$`, 'i');
const SHOW_PARTITIONS = new RegExp(`^SHOW\\s+PARTITIONS\\s+${IDENT}(?:\\.${IDENT})?\\s*;?$`, 'i');
const DESCRIBE = new RegExp(`^(?:DESCRIBE|DESC)\\s+${IDENT}(?:\\.${IDENT})?\\s*;?$`, 'i');

/**
 * Athena's catalog statements answered from the Glue catalog (they never reach DuckDB): `SHOW TABLES [IN db]
 * ['pattern']` (column `tab_name`), `SHOW COLUMNS IN [db.]table` (`field`) and `DESCRIBE [db.]table`
 * (`col_name`, `data_type`, `comment`; partition keys last). Undefined for any other statement.
 */
export async function metadataStatement(
  catalog: GlueCatalogReader,
  sql: string,
  database: string,
): Promise<StatementResult | undefined> {
  const text = sql.trim();
  const show = SHOW_TABLES.exec(text);
  if (show) {
    const db = (show[1] ?? database).toLowerCase();
    await requireDatabase(catalog, db);
    const matches = pattern(show[2]);
    const names = (await catalog.getTables(db))
      .map((t) => t.Name ?? '')
      .filter(matches)
      .sort();
    return outcome(
      ['tab_name'],
      names.map((n) => [n]),
    );
  }
  const create = SHOW_CREATE_TABLE.exec(text);
  if (create) {
    const [db, name] = create[2] ? [create[1]!, create[2]] : [database, create[1]!];
    const table = await requireTable(catalog, db.toLowerCase(), name.toLowerCase());
    return outcome(
      ['createtab_stmt'],
      createTableStatement(db.toLowerCase(), table).map((line) => [line]),
    );
  }
  const partitions = SHOW_PARTITIONS.exec(text);
  if (partitions) {
    const [db, name] = partitions[2] ? [partitions[1]!, partitions[2]] : [database, partitions[1]!];
    const table = await requireTable(catalog, db.toLowerCase(), name.toLowerCase());
    const keys = (table.PartitionKeys ?? []).map((k) => k.Name ?? '');
    if (keys.length === 0) {
      throw new QueryRejectedError(`NOT_SUPPORTED: Table ${db.toLowerCase()}.${name.toLowerCase()} is not partitioned`);
    }
    // The registered partitions (Glue), as Athena lists them: `key=value/key=value`, sorted.
    const names = (await catalog.getPartitions(db.toLowerCase(), name.toLowerCase()))
      .map((p) => keys.map((k, i) => `${k}=${p.Values?.[i] ?? ''}`).join('/'))
      .sort();
    return outcome(
      ['partition'],
      names.map((n) => [n]),
    );
  }
  const columns = SHOW_COLUMNS.exec(text) ?? DESCRIBE.exec(text);
  if (!columns) return undefined;
  const [db, name] = columns[2] ? [columns[1] as string, columns[2]] : [database, columns[1] as string];
  const table = await requireTable(catalog, db.toLowerCase(), name.toLowerCase());
  const all = [...(table.StorageDescriptor?.Columns ?? []), ...(table.PartitionKeys ?? [])];
  if (/^SHOW/i.test(text))
    return outcome(
      ['field'],
      all.map((c) => [c.Name ?? '']),
    );
  // Hive's layout, which Athena returns and clients parse: every column (partition keys too), then the
  // partition keys again under `# Partition Information` (awswrangler's describe_table marks them so).
  const keys = table.PartitionKeys ?? [];
  const line = (c: { Name?: string; Type?: string; Comment?: string }) => [
    c.Name ?? '',
    c.Type ?? '',
    c.Comment ?? null,
  ];
  return outcome(
    ['col_name', 'data_type', 'comment'],
    [
      ...all.map(line),
      ...(keys.length > 0
        ? [
            ['', null, null],
            ['# Partition Information', null, null],
            ['# col_name', 'data_type', 'comment'],
            ['', null, null],
            ...keys.map(line),
          ]
        : []),
    ],
  );
}

/**
 * The Hive DDL Athena answers `SHOW CREATE TABLE` with, one line per row: columns, partition keys, SerDe and
 * its parameters, input and output formats, location and table properties, from the table's Glue definition.
 */
function createTableStatement(db: string, table: Table): string[] {
  const sd = table.StorageDescriptor ?? {};
  const column = (c: { Name?: string; Type?: string; Comment?: string }, last: boolean) =>
    `  \`${c.Name}\` ${c.Type ?? 'string'}${c.Comment ? ` COMMENT '${c.Comment.replaceAll("'", "\\'")}'` : ''}${last ? ')' : ', '}`;
  const quoted = (v: string) => `'${v.replaceAll("'", "\\'")}'`;
  const columns = sd.Columns ?? [];
  const keys = table.PartitionKeys ?? [];
  const serdeParameters = Object.entries(sd.SerdeInfo?.Parameters ?? {});
  const properties = Object.entries(table.Parameters ?? {}).filter(([k]) => k !== 'EXTERNAL');
  const lines = [
    `CREATE ${table.TableType === 'EXTERNAL_TABLE' ? 'EXTERNAL ' : ''}TABLE \`${db}.${table.Name}\`(`,
    ...columns.map((c, i) => column(c, i === columns.length - 1)),
  ];
  if (keys.length > 0) lines.push('PARTITIONED BY ( ', ...keys.map((c, i) => column(c, i === keys.length - 1)));
  if (sd.SerdeInfo?.SerializationLibrary)
    lines.push('ROW FORMAT SERDE ', `  ${quoted(sd.SerdeInfo.SerializationLibrary)} `);
  if (serdeParameters.length > 0) {
    lines.push(
      'WITH SERDEPROPERTIES ( ',
      ...serdeParameters.map(
        ([k, v], i) => `  ${quoted(k)}=${quoted(v)}${i === serdeParameters.length - 1 ? ')' : ', '}`,
      ),
    );
  }
  if (sd.InputFormat) lines.push('STORED AS INPUTFORMAT ', `  ${quoted(sd.InputFormat)} `);
  if (sd.OutputFormat) lines.push('OUTPUTFORMAT ', `  ${quoted(sd.OutputFormat)}`);
  if (sd.Location) lines.push('LOCATION', `  ${quoted(sd.Location)}`);
  if (properties.length > 0) {
    lines.push(
      'TBLPROPERTIES (',
      ...properties.map(([k, v], i) => `  ${quoted(k)}=${quoted(v)}${i === properties.length - 1 ? ')' : ', '}`),
    );
  }
  return lines;
}

async function requireTable(catalog: GlueCatalogReader, db: string, name: string): Promise<Table> {
  await requireDatabase(catalog, db);
  const table = await catalog.getTable(db, name);
  if (!table) throw new QueryRejectedError(`TABLE_NOT_FOUND: Table '${db}.${name}' does not exist`);
  return table;
}

async function requireDatabase(catalog: GlueCatalogReader, db: string): Promise<void> {
  if (!(await catalog.getDatabase(db))) throw new QueryRejectedError(`SCHEMA_NOT_FOUND: Schema '${db}' does not exist`);
}

/** Athena's SHOW TABLES pattern: `*` any characters, `|` alternatives, case-insensitive. */
function pattern(text: string | undefined): (name: string) => boolean {
  if (text === undefined) return () => true;
  const alternatives = text.split('|').map((alt) =>
    alt
      .trim()
      .replace(/[.+?^${}()[\]\\]/g, '\\$&')
      .replaceAll('*', '.*'),
  );
  const regex = new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
  return (name) => regex.test(name);
}

function outcome(names: string[], rows: (string | null)[][]): StatementResult {
  return { columns: names.map((name) => ({ name, duckdbType: 'VARCHAR' })), rows, dataScannedBytes: 0 };
}
