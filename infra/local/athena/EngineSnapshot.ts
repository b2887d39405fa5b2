import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlIdentifier, sqlString } from '../../../etl/sql/sqlText';
import { bindParameters } from './bindParameters';
import type { ExecutionParameter } from './executionParameter';
import { PreparedQueries } from './PreparedQueries';
import { ScannedBytes } from './ScannedBytes';
import { ATHENA_CATALOG, type StatementResult } from './StatementResult';
import { createSnapshotCatalog } from './snapshotCatalog';
import type { TableSource } from './tableSource';
import { trinoText, withTrinoDoubles } from './trinoText';

export { ATHENA_CATALOG, type StatementResult } from './StatementResult';

/** Idle connections kept per database of a snapshot, ready for the next query. @default 4 */
const MAX_IDLE_CONNECTIONS = 4;

/** Numbers the profile files of connections (unique within the process). */
let nextProfile = 0;

export interface EngineSnapshotOptions {
  /** DuckDB `memory_limit`, e.g. `1GB`. */
  readonly memoryLimit: string;
  /** Directory DuckDB spills to when a query needs more memory than the limit. */
  readonly spillDir: string;
}

/** A connection of the snapshot, with the file its profiles go to and whether profiling is on. */
interface Connection {
  readonly duckdb: DuckDBConnection;
  readonly profileFile: string;
  profiling: boolean;
}

/**
 * One DuckDB database over a fixed set of catalog tables and their files at one moment: views named
 * `<database>.<table>` in the `awsdatacatalog` catalog, the Trino macros, and nothing else (see
 * {@link createSnapshotCatalog}). When a table's files change a new snapshot is built; this one finishes its
 * running queries and is closed.
 */
export class EngineSnapshot {
  private active = 0;
  private retired = false;
  private readonly idle = new Map<string, Connection[]>();
  private readonly prepared = new PreparedQueries();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly spillDir: string,
    private readonly scanned: ScannedBytes,
    readonly sources: readonly TableSource[],
  ) {}

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
      // Trino's `/` on integers truncates (7 / 2 = 3); DuckDB's gives a double unless told otherwise.
      integer_division: 'true',
    });
    const scanned = new ScannedBytes(sources);
    const setup = await instance.connect();
    try {
      await createSnapshotCatalog(setup, sources, databases, scanned.paths, options.spillDir);
    } catch (err) {
      setup.closeSync();
      instance.closeSync();
      throw err;
    }
    setup.closeSync();
    return new EngineSnapshot(instance, options.spillDir, scanned, sources);
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
    bytesScannedCutoff?: number,
  ): Promise<StatementResult> {
    let connection: Connection | undefined;
    let repeat: NodeJS.Timeout | undefined;
    const onAbort = () => {
      connection?.duckdb.interrupt();
      repeat ??= setInterval(() => connection?.duckdb.interrupt(), 20);
    };
    signal.addEventListener('abort', onAbort);
    let reusable = false;
    try {
      connection = await this.connectionFor(database);
      signal.throwIfAborted();
      const query = sql.replace(/;\s*$/, '');
      const prepared = await this.prepared.get(connection.duckdb, query, parameters);
      const scanKey = ScannedBytes.keyOf(prepared?.key ?? PreparedQueries.keyOf(query, parameters), parameters);
      const known = this.scanned.known(scanKey);
      if (known !== undefined && bytesScannedCutoff !== undefined && known > bytesScannedCutoff) {
        // Over the cutoff last time, over it again (a snapshot's files never change): not run at all.
        reusable = true;
        return { columns: [], rows: [], dataScannedBytes: known };
      }
      await this.profile(connection, known === undefined);
      let outcome: Omit<StatementResult, 'dataScannedBytes'>;
      if (prepared) {
        await bindParameters(connection.duckdb, prepared.statement, parameters);
        signal.throwIfAborted();
        const rows = (await prepared.statement.runAndReadAll()).getRows() as (string | null)[][];
        outcome = { columns: prepared.columns, rows: withTrinoDoubles(prepared.columns, rows) };
      } else {
        outcome = await this.runThroughTable(connection, query, parameters, signal);
      }
      const dataScannedBytes =
        known ?? this.scanned.fromProfile(scanKey, await readFile(connection.profileFile, 'utf8'));
      reusable = true;
      return { ...outcome, dataScannedBytes };
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearInterval(repeat);
      this.release(database, connection, reusable && !signal.aborted);
    }
  }

  /**
   * The run for a query whose result types depend on its parameters (unknown when planned): the result is
   * stored in a temporary table first (the profiled statement), so its types are known before it is rendered.
   */
  private async runThroughTable(
    connection: Connection,
    query: string,
    parameters: readonly ExecutionParameter[],
    signal: AbortSignal,
  ): Promise<Omit<StatementResult, 'dataScannedBytes'>> {
    const duckdb = connection.duckdb;
    const statement = await duckdb.prepare(`CREATE OR REPLACE TEMP TABLE __athena_result AS ${query}`);
    await bindParameters(duckdb, statement, parameters);
    signal.throwIfAborted();
    await statement.run();
    // The file keeps the CREATE's profile (read by `run`): the reads of the temporary table are not table scans.
    await this.profile(connection, false);
    try {
      const shape = await duckdb.runAndReadAll('SELECT * FROM __athena_result LIMIT 0');
      const columns = shape.columnNames().map((name, i) => ({ name, duckdbType: String(shape.columnTypes()[i]) }));
      const projection = columns.map((c) => trinoText(c.duckdbType, sqlIdentifier(c.name)));
      const rows = columns.length
        ? ((await duckdb.runAndReadAll(`SELECT ${projection.join(', ')} FROM __athena_result`)).getRows() as (
            | string
            | null
          )[][])
        : [];
      return { columns, rows: withTrinoDoubles(columns, rows) };
    } finally {
      await duckdb.run('DROP TABLE IF EXISTS __athena_result');
    }
  }

  /** Switches the connection's JSON profiling on or off (a no-op when it already is). */
  private async profile(connection: Connection, on: boolean): Promise<void> {
    if (connection.profiling === on) return;
    if (on) {
      await connection.duckdb.run("SET enable_profiling = 'json'");
      await connection.duckdb.run(`SET profiling_output = ${sqlString(connection.profileFile)}`);
    } else {
      await connection.duckdb.run('PRAGMA disable_profiling');
    }
    connection.profiling = on;
  }

  /** An idle connection already in `database`, or a new one whose profiles go to its own file. */
  private async connectionFor(database: string): Promise<Connection> {
    const idle = this.idle.get(database)?.pop();
    if (idle) return idle;
    const duckdb = await this.instance.connect();
    const profileFile = path.join(this.spillDir, `profile-${process.pid}-${nextProfile++}.json`);
    await duckdb.run(`USE ${ATHENA_CATALOG}.${sqlIdentifier(database)}`);
    return { duckdb, profileFile, profiling: false };
  }

  /**
   * Ends a run: a connection that finished cleanly waits for the next query (it holds no result: the rows were
   * read as they came); any other is closed. The database closes after its last run once retired.
   */
  private release(database: string, connection: Connection | undefined, reusable: boolean): void {
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

  private closeConnection(connection: Connection): void {
    this.prepared.drop(connection.duckdb);
    connection.duckdb.closeSync();
    void rm(connection.profileFile, { force: true }).catch(() => {});
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
}
