import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LRUCache } from 'lru-cache';
import type { GlueCatalogReader } from '../glue/GlueCatalogReader';
import type { S3ObjectFiles } from '../s3/S3ObjectFiles';
import { ATHENA_CATALOG, EngineSnapshot, type StatementResult } from './EngineSnapshot';
import type { ExecutionParameter } from './executionParameter';
import { metadataStatement } from './metadataStatement';
import { parseTreeJson, treeJson } from './parseTree';
import { lineColumn, QueryRejectedError } from './QueryRejectedError';
import { type LiteralComparison, type StatementShape, statementShape } from './statementTables';
import { resolveTableSource, type TableSource } from './tableSource';
import { type ExactType, exactTypeOf, withTypedRules } from './typedRules';

export interface LocalQueryEngineOptions {
  readonly catalog: GlueCatalogReader;
  readonly objects: S3ObjectFiles;
  /** DuckDB `memory_limit` of each snapshot. @default '1GB' (the stack's `duckdbMemoryLimit`) */
  readonly memoryLimit: string;
  /** Spill directory (inside the Athena state dir). */
  readonly spillDir: string;
  /** Snapshots kept open for reuse. @default 4 */
  readonly maxSnapshots?: number;
}

/** One query as the engine runs it. */
export interface LocalEngineQuery {
  readonly sql: string;
  /** QueryExecutionContext.Database; unqualified table names resolve in it. @default 'default' */
  readonly database: string | undefined;
  readonly parameters: readonly ExecutionParameter[];
  /**
   * The workgroup's BytesScannedCutoffPerQuery: a statement known (from an earlier run with the same values) to
   * scan more is not run again; its outcome carries the known figure and no rows, for the caller to cancel.
   */
  readonly bytesScannedCutoff?: number;
  /** The execution's result object (`s3://…/<id>.csv`); UNLOAD writes its manifest next to it. */
  readonly outputLocation?: string;
}

/**
 * Runs Athena queries in DuckDB over the catalog's tables. For each query it finds the tables the statement
 * names (DuckDB's parse tree), resolves them through the Glue catalog to their stored files, and runs the query
 * in a snapshot built for exactly those tables and files. Snapshots are reused while the tables' definitions and
 * files (path, size, ETag) are unchanged, so an unchanged table costs one listing per query, and a changed object
 * is never read through a stale view.
 */
export class LocalQueryEngine {
  private readonly snapshots = new Map<string, EngineSnapshot>();
  private readonly building = new Map<string, Promise<EngineSnapshot>>();
  /** Statements rewritten for their tables' column types, by types and SQL. */
  private readonly typedStatements = new LRUCache<string, string>({ max: 256 });

  private constructor(
    private readonly options: LocalQueryEngineOptions,
    private readonly parserInstance: DuckDBInstance,
    private readonly parser: DuckDBConnection,
  ) {}

  static async create(options: LocalQueryEngineOptions): Promise<LocalQueryEngine> {
    const instance = await DuckDBInstance.create(':memory:', { enable_external_access: 'false', threads: '1' });
    return new LocalQueryEngine(options, instance, await instance.connect());
  }

  async run(query: LocalEngineQuery, signal: AbortSignal = new AbortController().signal): Promise<StatementResult> {
    const database = (query.database ?? 'default').toLowerCase();
    const metadata = await metadataStatement(this.options.catalog, query.sql, database);
    if (metadata) return metadata;
    const shape = await statementShape(this.parser, query.sql);
    const references = shape.tables;
    const sources: TableSource[] = [];
    const seen = new Set<string>();
    for (const ref of references) {
      if (ref.catalog !== '' && ref.catalog.toLowerCase() !== ATHENA_CATALOG) {
        throw new QueryRejectedError(`${lineColumn(query.sql, ref.offset)}Catalog '${ref.catalog}' does not exist`);
      }
      const schema = (ref.schema || database).toLowerCase();
      const name = ref.table.toLowerCase();
      if (seen.has(`${schema}.${name}`)) continue;
      seen.add(`${schema}.${name}`);
      if (!(await this.options.catalog.getDatabase(schema))) {
        throw new QueryRejectedError(
          `SCHEMA_NOT_FOUND: ${lineColumn(query.sql, ref.offset)}Schema '${schema}' does not exist`,
        );
      }
      const table = await this.options.catalog.getTable(schema, name);
      if (!table) {
        throw new QueryRejectedError(
          `TABLE_NOT_FOUND: ${lineColumn(query.sql, ref.offset)}Table '${ATHENA_CATALOG}.${schema}.${name}' does not exist`,
        );
      }
      sources.push(await resolveTableSource(schema, table, this.options.objects));
    }
    refuseDateLiteralComparisons(query.sql, shape.literalComparisons, sources);
    const snapshot = await this.snapshotFor(sources, database);
    const sql = await this.typedSql(query.sql, shape, sources);
    const outcome = await snapshot.run(sql, database, query.parameters, signal, query.bytesScannedCutoff);
    return withAthenaNames(outcome, shape.outputNames);
  }

  /**
   * The statement as DuckDB runs it, with the rewrites that depend on the tables' column types (Trino's decimal
   * and date rules, typedRules.ts); kept per statement and types.
   */
  private async typedSql(trinoSql: string, shape: StatementShape, sources: readonly TableSource[]): Promise<string> {
    if (!shape.mayNeedTypedRules) return shape.duckdbSql;
    const exact = new Map<string, ExactType | 'date' | undefined>();
    for (const column of sources.flatMap((s) => [...s.columns, ...s.partitionKeys])) {
      const name = column.name.toLowerCase();
      const type = exactTypeOf(column.duckdbType);
      // A name with two types (in two tables) is left untyped.
      exact.set(name, exact.has(name) && JSON.stringify(exact.get(name)) !== JSON.stringify(type) ? undefined : type);
    }
    const columns = new Map([...exact].filter((e): e is [string, ExactType | 'date'] => e[1] !== undefined));
    const key = `${JSON.stringify([...columns])}\u0000${trinoSql}`;
    const known = this.typedStatements.get(key);
    if (known) return known;
    const tree = await withTypedRules(this.parser, parseTreeJson(shape.translatedTree), columns);
    const rendered = tree
      ? String(
          (
            await this.parser.runAndReadAll('SELECT json_deserialize_sql($1::JSON)', [treeJson(tree)])
          ).getRows()[0]?.[0],
        )
      : shape.duckdbSql;
    this.typedStatements.set(key, rendered);
    return rendered;
  }

  /** Closes every snapshot (after their running queries) and the parser. */
  async close(): Promise<void> {
    await Promise.allSettled(this.building.values());
    for (const snapshot of this.snapshots.values()) snapshot.retire();
    this.snapshots.clear();
    this.parser.closeSync();
    this.parserInstance.closeSync();
  }

  private async snapshotFor(sources: TableSource[], database: string): Promise<EngineSnapshot> {
    const key = JSON.stringify({
      database,
      tables: sources.map((s) => ({
        d: s.database,
        n: s.name,
        f: s.format,
        c: s.columns,
        k: s.partitionKeys,
        csv: s.csv,
        p: s.partitions.map((p) => [p.values, p.files.map((f) => [f.path, f.size, f.etag, f.lastModified])]),
      })),
    });
    const cached = this.snapshots.get(key);
    if (cached) {
      this.snapshots.delete(key);
      this.snapshots.set(key, cached);
      return cached.acquire();
    }
    const pending = this.building.get(key);
    if (pending) return (await pending).acquire();
    const build = EngineSnapshot.create(
      { memoryLimit: this.options.memoryLimit, spillDir: this.options.spillDir },
      sources,
      [database],
    );
    this.building.set(key, build);
    try {
      const snapshot = (await build).acquire();
      this.snapshots.set(key, snapshot);
      const max = this.options.maxSnapshots ?? 4;
      for (const [oldKey, old] of this.snapshots) {
        if (this.snapshots.size <= max) break;
        this.snapshots.delete(oldKey);
        old.retire();
      }
      return snapshot;
    } finally {
      this.building.delete(key);
    }
  }
}

/** Trino's names of the types it will not compare with a string literal. */
const DATETIME_TYPES: Readonly<Record<string, string>> = { DATE: 'date', TIMESTAMP: 'timestamp(3)' };

/**
 * Fails a comparison of a date or timestamp column with a string literal as Athena does (DuckDB casts the
 * string; Trino does not): the column is named by a table the query reads, and every such column is a date or a
 * timestamp (a name that is also a column of another type, or an alias, is left to run).
 */
function refuseDateLiteralComparisons(
  sql: string,
  comparisons: readonly LiteralComparison[],
  sources: readonly TableSource[],
): void {
  for (const comparison of comparisons) {
    const types = sources.flatMap((s) =>
      [...s.columns, ...s.partitionKeys]
        .filter((c) => c.name.toLowerCase() === comparison.column.toLowerCase())
        .map((c) => c.duckdbType.toUpperCase()),
    );
    const trinoType = DATETIME_TYPES[types[0] ?? ''];
    if (!trinoType || !types.every((t) => t === types[0])) continue;
    const literal = `varchar(${comparison.literalLength})`;
    const [left, right] = comparison.literalFirst ? [literal, trinoType] : [trinoType, literal];
    throw new QueryRejectedError(
      `TYPE_MISMATCH: ${lineColumn(sql, comparison.offset)}Cannot apply operator: ${left} ${comparison.operator} ${right}`,
    );
  }
}

/**
 * The outcome with Athena's column names: DuckDB names an unaliased expression after its text (`count_star()`),
 * Trino `_col<position>`.
 */
function withAthenaNames(
  outcome: StatementResult,
  names: readonly (string | undefined)[] | undefined,
): StatementResult {
  if (!names || names.length !== outcome.columns.length) return outcome;
  return { ...outcome, columns: outcome.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })) };
}
