import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { engineMessage } from './athenaErrors';
import type { ExecutionParameter } from './executionParameter';
import { sqlIdentifier, sqlString } from './sqlText';
import { QueryRejectedError } from './statementTables';
import { TableNotReadableError, type TableSource, tableViewSql } from './tableSource';
import { TRINO_MACROS } from './trinoFunctions';

/** Name of the catalog tables live in, as Athena calls the Glue Data Catalog. */
export const ATHENA_CATALOG = 'awsdatacatalog';

/** Idle connections kept per database of a snapshot, ready for the next query. */
const MAX_IDLE_CONNECTIONS = 4;
/** Prepared statements kept per connection for repeated SQL. @default 32 */
const MAX_PREPARED_PER_CONNECTION = 32;

/** A query prepared as Trino-text rows, and its result's columns. */
interface PreparedQuery {
  readonly statement: DuckDBPreparedStatement;
  readonly columns: QueryOutcome['columns'];
}

/** Numbers the profile files of connections (unique within the process). */
let nextProfile = 0;

/** What a finished query produced, before it is written out as Athena's CSV. */
export interface QueryOutcome {
  readonly columns: readonly { readonly name: string; readonly duckdbType: string }[];
  /** Every value as Athena's CSV text, or null. */
  readonly rows: readonly (readonly (string | null)[])[];
  /** Sum of the sizes of the files the query's table scans opened (after partition pruning). */
  readonly dataScannedBytes: number;
}

export interface EngineSnapshotOptions {
  /** DuckDB `memory_limit`, e.g. `1GB`. */
  readonly memoryLimit: string;
  /** Directory DuckDB spills to when a query needs more memory than the limit. */
  readonly spillDir: string;
}

/**
 * One DuckDB database over a fixed set of catalog tables and their files at one moment: views named
 * `<database>.<table>` in the `awsdatacatalog` catalog, the Trino macros, and nothing else. External access is
 * switched off once the views exist, with only those files (and the spill directory) allowed, so a query can read
 * no other file, write none, attach nothing and install nothing. When a table's files change a new snapshot is
 * built; this one finishes its running queries and is closed.
 */
export class EngineSnapshot {
  private active = 0;
  private retired = false;
  private readonly filesByPath = new Map<string, number>();
  private readonly partitionBytes = new Map<string, number>();
  private readonly idle = new Map<string, DuckDBConnection[]>();
  private readonly profiles = new Map<DuckDBConnection, string>();
  private readonly statements = new Map<DuckDBConnection, Map<string, PreparedQuery>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly spillDir: string,
    readonly sources: readonly TableSource[],
  ) {
    for (const source of sources) {
      for (const partition of source.partitions) {
        let bytes = 0;
        for (const file of partition.files) {
          this.filesByPath.set(file.path, file.size);
          bytes += file.size;
        }
        const first = partition.files[0];
        if (first) this.partitionBytes.set(first.path, bytes);
      }
    }
  }

  static async create(
    options: EngineSnapshotOptions,
    sources: readonly TableSource[],
    databases: readonly string[],
  ): Promise<EngineSnapshot> {
    await mkdir(options.spillDir, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit,
      temp_directory: options.spillDir,
      autoload_known_extensions: 'false',
      autoinstall_known_extensions: 'false',
    });
    const snapshot = new EngineSnapshot(instance, options.spillDir, sources);
    const setup = await instance.connect();
    try {
      await setup.run(`ATTACH ':memory:' AS ${ATHENA_CATALOG}`);
      await setup.run(`USE ${ATHENA_CATALOG}`);
      for (const macro of TRINO_MACROS) await setup.run(macro);
      const schemas = new Set([...databases, ...sources.map((s) => s.database)]);
      for (const schema of schemas) await setup.run(`CREATE SCHEMA ${sqlIdentifier(schema)}`);
      for (const source of sources) {
        const qualified = `${source.database}.${source.name}`;
        try {
          const fileColumns = source.format === 'parquet' ? await parquetColumns(setup, source) : undefined;
          await setup.run(
            `CREATE VIEW ${sqlIdentifier(source.database)}.${sqlIdentifier(source.name)} AS ${tableViewSql(source, fileColumns)}`,
          );
        } catch (err) {
          throw new TableNotReadableError(qualified, engineMessage(err));
        }
      }
      const allowed = [...snapshot.filesByPath.keys()].map((p) => `'${p.replaceAll("'", "''")}'`);
      await setup.run(`SET allowed_paths = [${allowed.join(', ')}]`);
      await setup.run(`SET allowed_directories = ['${options.spillDir.replaceAll("'", "''")}/']`);
      await setup.run('SET enable_external_access = false');
    } catch (err) {
      setup.closeSync();
      instance.closeSync();
      throw err;
    }
    setup.closeSync();
    return snapshot;
  }

  /** Reserves the snapshot for one `run` (call synchronously when handing it out, so it is not closed first). */
  acquire(): this {
    this.active += 1;
    return this;
  }

  /**
   * Runs one SELECT statement with its parameters, after `acquire()`. Aborting `signal` (StopQueryExecution)
   * interrupts DuckDB, repeatedly until the run ends, so an abort that lands between two statements is not lost.
   * Throws DuckDB's error when the query fails.
   */
  async run(
    sql: string,
    database: string,
    parameters: readonly ExecutionParameter[],
    signal: AbortSignal,
  ): Promise<QueryOutcome> {
    let connection: DuckDBConnection | undefined;
    let repeat: NodeJS.Timeout | undefined;
    const onAbort = () => {
      connection?.interrupt();
      repeat ??= setInterval(() => connection?.interrupt(), 20);
    };
    signal.addEventListener('abort', onAbort);
    let reusable = false;
    try {
      connection = await this.connectionFor(database);
      signal.throwIfAborted();
      const query = sql.replace(/;\s*$/, '');
      const prepared = await this.preparedFor(connection, query, parameters);
      if (!prepared) {
        return await this.runThroughTable(connection, query, parameters, signal).then((outcome) => {
          reusable = true;
          return outcome;
        });
      }
      const { statement, columns } = prepared;
      await bindParameters(connection, statement, parameters);
      signal.throwIfAborted();
      const rows = (await statement.runAndReadAll()).getRows() as (string | null)[][];
      const dataScannedBytes = this.scannedBytes(await readFile(this.profileFile(connection), 'utf8'));
      reusable = true;
      return { columns, rows, dataScannedBytes };
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearInterval(repeat);
      this.release(database, connection, reusable && !signal.aborted);
    }
  }

  /**
   * The connection's prepared statement rendering the query's rows as Trino text, kept for the next run of the
   * same SQL with parameters of the same kinds (the API runs the same report SQL again and again, and preparing
   * binds every file of the tables' views). Undefined when the result's types depend on the parameters' values.
   */
  private async preparedFor(
    connection: DuckDBConnection,
    query: string,
    parameters: readonly ExecutionParameter[],
  ): Promise<PreparedQuery | undefined> {
    const kinds = parameters.map((p) => (p.kind === 'typed' ? p.duckdbType : p.kind)).join(',');
    const key = `${kinds}\u0000${query}`;
    const cache = this.statements.get(connection) ?? new Map<string, PreparedQuery>();
    this.statements.set(connection, cache);
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    // Planning only (nothing runs): the result's names and types, to render each column as Trino does.
    const shape = await connection.prepare(query);
    const resolved = Array.from({ length: shape.columnCount }, (_, i) => shape.columnTypeId(i) !== 0).every(Boolean);
    const columns = Array.from({ length: resolved ? shape.columnCount : 0 }, (_, i) => ({
      name: shape.columnName(i),
      duckdbType: String(shape.columnType(i)),
    }));
    shape.destroySync();
    if (columns.length === 0) return undefined;
    const aliases = columns.map((_, i) => `c${i}`);
    const projection = columns.map((c, i) => csvText(c.duckdbType, aliases[i] as string));
    const statement = await connection.prepare(
      `SELECT ${projection.join(', ')} FROM (${query}\n) AS __athena_result(${aliases.join(', ')})`,
    );
    const prepared = { statement, columns };
    cache.set(key, prepared);
    for (const [oldKey, old] of cache) {
      if (cache.size <= MAX_PREPARED_PER_CONNECTION) break;
      cache.delete(oldKey);
      old.statement.destroySync();
    }
    return prepared;
  }

  /**
   * The run for a query whose result types depend on its parameters (unknown when planned): the result is
   * stored in a temporary table first, so its types are known before it is rendered.
   */
  private async runThroughTable(
    connection: DuckDBConnection,
    query: string,
    parameters: readonly ExecutionParameter[],
    signal: AbortSignal,
  ): Promise<QueryOutcome> {
    const statement = await connection.prepare(`CREATE OR REPLACE TEMP TABLE __athena_result AS ${query}`);
    await bindParameters(connection, statement, parameters);
    signal.throwIfAborted();
    await statement.run();
    const dataScannedBytes = this.scannedBytes(await readFile(this.profileFile(connection), 'utf8'));
    try {
      const shape = await connection.runAndReadAll('SELECT * FROM __athena_result LIMIT 0');
      const columns = shape.columnNames().map((name, i) => ({ name, duckdbType: String(shape.columnTypes()[i]) }));
      const projection = columns.map((c) => csvText(c.duckdbType, sqlIdentifier(c.name)));
      const rows = columns.length
        ? ((await connection.runAndReadAll(`SELECT ${projection.join(', ')} FROM __athena_result`)).getRows() as (
            | string
            | null
          )[][])
        : [];
      return { columns, rows, dataScannedBytes };
    } finally {
      await connection.run('DROP TABLE IF EXISTS __athena_result');
    }
  }

  /** An idle connection already in `database`, or a new one that profiles its queries to its own file. */
  private async connectionFor(database: string): Promise<DuckDBConnection> {
    const idle = this.idle.get(database)?.pop();
    if (idle) return idle;
    const connection = await this.instance.connect();
    const file = path.join(this.spillDir, `profile-${process.pid}-${nextProfile++}.json`);
    this.profiles.set(connection, file);
    await connection.run(`USE ${ATHENA_CATALOG}.${sqlIdentifier(database)}`);
    await connection.run("SET enable_profiling = 'json'");
    await connection.run(`SET profiling_output = ${sqlString(file)}`);
    return connection;
  }

  /** The file DuckDB writes the profile of the connection's last query to (inside the spill directory). */
  private profileFile(connection: DuckDBConnection): string {
    return this.profiles.get(connection) as string;
  }

  /**
   * Ends a run: a connection that finished cleanly waits for the next query (it holds no result: the rows were
   * read as they came); any other is closed. The database closes after its last run once retired.
   */
  private release(database: string, connection: DuckDBConnection | undefined, reusable: boolean): void {
    const pool = this.idle.get(database) ?? [];
    if (connection && reusable && !this.retired && pool.length < MAX_IDLE_CONNECTIONS) {
      pool.push(connection);
      this.idle.set(database, pool);
    } else if (connection) {
      this.closeConnection(connection);
    }
    this.active -= 1;
    if (this.retired && this.active === 0) this.closeAll();
  }

  private closeConnection(connection: DuckDBConnection): void {
    for (const prepared of this.statements.get(connection)?.values() ?? []) prepared.statement.destroySync();
    this.statements.delete(connection);
    connection.closeSync();
    const file = this.profiles.get(connection);
    this.profiles.delete(connection);
    if (file) void rm(file, { force: true }).catch(() => {});
  }

  private closeAll(): void {
    for (const pool of this.idle.values()) for (const connection of pool) this.closeConnection(connection);
    this.idle.clear();
    this.instance.closeSync();
  }

  /** Closes the database once its running queries have finished. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.active === 0) this.closeAll();
  }

  /**
   * Bytes of the files the query's scans opened, from DuckDB's profile: each table scan names the files it read
   * (the list is cut after a few names, then the whole partition branch it starts is counted).
   */
  private scannedBytes(profileJson: string): number {
    let total = 0;
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const n of node) visit(n);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const record = node as { extra_info?: Record<string, unknown>; children?: unknown };
      const files = record.extra_info?.['Filename(s)'];
      if (typeof files === 'string' && files !== '') {
        const names = files.split(', ');
        const truncated = names.at(-1) === '...';
        if (truncated) {
          total += this.partitionBytes.get(names[0] as string) ?? 0;
        } else {
          for (const name of names) total += this.filesByPath.get(name) ?? 0;
        }
      }
      visit(record.children);
    };
    visit(JSON.parse(profileJson));
    return total;
  }
}

/** The lower-cased column names of each Parquet file of a table, from the files' footers. */
async function parquetColumns(connection: DuckDBConnection, source: TableSource): Promise<Map<string, Set<string>>> {
  const files = source.partitions.flatMap((p) => p.files.map((f) => f.path));
  const columns = new Map<string, Set<string>>();
  if (files.length === 0) return columns;
  const reader = await connection.runAndReadAll(
    `SELECT DISTINCT file_name, lower(name) FROM parquet_schema([${files.map(sqlString).join(', ')}])`,
  );
  for (const [file, name] of reader.getRows() as [string, string][]) {
    const set = columns.get(file) ?? new Set<string>();
    set.add(name);
    columns.set(file, set);
  }
  return columns;
}

/** Binds each parameter as a value: typed literals are converted by DuckDB with a fixed-type cast of their text. */
async function bindParameters(
  connection: DuckDBConnection,
  statement: DuckDBPreparedStatement,
  parameters: readonly ExecutionParameter[],
): Promise<void> {
  if (parameters.length !== statement.parameterCount) {
    throw new QueryRejectedError(
      `INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected ${statement.parameterCount} but found ${parameters.length}`,
    );
  }
  for (const [i, parameter] of parameters.entries()) {
    const index = i + 1;
    if (parameter.kind === 'null') statement.bindNull(index);
    else if (parameter.kind === 'varchar') statement.bindVarchar(index, parameter.text);
    else if (parameter.duckdbType === 'INTEGER') statement.bindInteger(index, Number(parameter.text));
    else if (parameter.duckdbType === 'BIGINT') statement.bindBigInt(index, BigInt(parameter.text));
    else if (parameter.duckdbType === 'DOUBLE') statement.bindDouble(index, Number(parameter.text));
    else if (parameter.duckdbType === 'BOOLEAN') statement.bindBoolean(index, parameter.text === 'true');
    else {
      // DECIMAL, DATE, TIMESTAMP: DuckDB converts the literal's text with a cast to the fixed type.
      const converted = await connection.runAndReadAll(`SELECT CAST($1::VARCHAR AS ${parameter.duckdbType})`, [
        parameter.text,
      ]);
      statement.bindValue(index, converted.getRows()[0]?.[0] ?? null, converted.columnTypes()[0]);
    }
  }
}

/** The expression giving a column's value as the text Athena writes in its CSV (Trino's rendering). */
function csvText(duckdbType: string, column: string): string {
  const type = duckdbType.toUpperCase();
  if (type === 'TIMESTAMP WITH TIME ZONE') {
    return `strftime(timezone('UTC', ${column}), '%Y-%m-%d %H:%M:%S.%g') || ' UTC'`;
  }
  if (type.startsWith('TIMESTAMP')) return `strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')`;
  if (type === 'TIME') return `strftime(TIMESTAMP '1970-01-01' + ${column}, '%H:%M:%S.%g')`;
  return `CAST(${column} AS VARCHAR)`;
}
