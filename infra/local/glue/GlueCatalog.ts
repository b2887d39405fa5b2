import path from 'node:path';
import type { Database, Partition, Table } from '@aws-sdk/client-glue';
import type { DatabaseDefinition, GlueTableDefinition, PartitionDefinition } from './catalogInput';
import type { GlueCatalogReader } from './GlueCatalogReader';
import { glueErrors } from './glueErrors';
import { JsonStateFile } from './JsonStateFile';

interface StoredTable {
  readonly definition: GlueTableDefinition;
  readonly createTimeMs: number;
  readonly updateTimeMs: number;
  /** Glue's VersionId: 0 when created, +1 on each UpdateTable. */
  readonly version: number;
  /** Registered partitions (BatchCreatePartition, CreatePartition), by `partitionKey(values)`. */
  readonly partitions?: Record<string, StoredPartition>;
}

interface StoredPartition {
  readonly definition: PartitionDefinition;
  readonly createTimeMs: number;
}

/** One entry of BatchCreatePartition's or BatchDeletePartition's `Errors`, as Glue reports a failed entry. */
export interface PartitionError {
  readonly PartitionValues: string[];
  readonly ErrorDetail: { readonly ErrorCode: string; readonly ErrorMessage: string };
}

/** The key a partition is stored under: its values in order. */
function partitionKey(values: readonly string[]): string {
  return JSON.stringify(values);
}

interface StoredDatabase {
  readonly definition: DatabaseDefinition;
  readonly createTimeMs: number;
  readonly tables: Record<string, StoredTable>;
}

/** What `catalog.json` holds. */
interface CatalogDocument {
  readonly formatVersion: 1;
  readonly databases: Record<string, StoredDatabase>;
}

const EMPTY: CatalogDocument = { formatVersion: 1, databases: {} };

/**
 * The local Glue Data Catalog: databases and tables, kept in memory and persisted in `<stateDir>/catalog.json`.
 * Every change is computed on a copy, written atomically, and only then made visible, so a failed write leaves
 * both the file and the answers of the catalog as they were.
 */
export class GlueCatalog implements GlueCatalogReader {
  private changes = 0;
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: JsonStateFile<CatalogDocument>,
    private document: CatalogDocument,
    private readonly catalogId: string,
  ) {}

  static async open(stateDir: string, catalogId: string): Promise<GlueCatalog> {
    const file = new JsonStateFile<CatalogDocument>(path.join(stateDir, 'catalog.json'));
    return new GlueCatalog(file, await file.load(EMPTY), catalogId);
  }

  revision(): number {
    return this.changes;
  }

  async getDatabase(databaseName: string): Promise<Database | undefined> {
    const stored = this.document.databases[databaseName.toLowerCase()];
    return stored ? this.toDatabase(stored) : undefined;
  }

  async getDatabases(): Promise<Database[]> {
    return sortedValues(this.document.databases).map((stored) => this.toDatabase(stored));
  }

  async getTables(databaseName: string): Promise<Table[]> {
    const stored = this.document.databases[databaseName.toLowerCase()];
    if (!stored) return [];
    return sortedValues(stored.tables).map((table) => this.toTable(stored, table));
  }

  async getTable(databaseName: string, tableName: string): Promise<Table | undefined> {
    const database = this.document.databases[databaseName.toLowerCase()];
    const table = database?.tables[tableName.toLowerCase()];
    return database && table ? this.toTable(database, table) : undefined;
  }

  /** GetDatabase: the database, or EntityNotFoundException. */
  async requireDatabase(databaseName: string): Promise<Database> {
    return this.toDatabase(this.database(databaseName));
  }

  /** GetTable: the table, or EntityNotFoundException naming the missing database or table. */
  async requireTable(databaseName: string, tableName: string): Promise<Table> {
    const database = this.database(databaseName);
    return this.toTable(database, this.table(database, tableName));
  }

  createDatabase(definition: DatabaseDefinition): Promise<void> {
    return this.change((databases) => {
      if (databases[definition.Name]) throw glueErrors.alreadyExists('Database');
      databases[definition.Name] = { definition, createTimeMs: Date.now(), tables: {} };
    });
  }

  /** DeleteDatabase: removes the database and every table in it, as Glue does. */
  deleteDatabase(databaseName: string): Promise<void> {
    return this.change((databases) => {
      const name = this.database(databaseName).definition.Name;
      delete databases[name];
    });
  }

  createTable(databaseName: string, definition: GlueTableDefinition): Promise<void> {
    return this.change((databases) => {
      const database = databases[this.database(databaseName).definition.Name]!;
      if (database.tables[definition.Name]) throw glueErrors.alreadyExists('Table');
      const now = Date.now();
      const tables = {
        ...database.tables,
        [definition.Name]: { definition, createTimeMs: now, updateTimeMs: now, version: 0 },
      };
      databases[database.definition.Name] = { ...database, tables };
    });
  }

  /**
   * UpdateTable: replaces the table's definition with the new TableInput (members left out are removed, as on
   * Glue), keeps CreateTime, sets UpdateTime and increments VersionId. With `expectedVersionId`, the update only
   * applies to that version (Glue's optimistic locking).
   */
  updateTable(databaseName: string, definition: GlueTableDefinition, expectedVersionId?: string): Promise<void> {
    return this.change((databases) => {
      const database = databases[this.database(databaseName).definition.Name]!;
      const current = this.table(database, definition.Name);
      if (expectedVersionId !== undefined && expectedVersionId !== String(current.version)) {
        throw glueErrors.concurrentModification(
          `Update table failed due to concurrent modifications: version ${expectedVersionId} is not the current version ${current.version} of table ${definition.Name}.`,
        );
      }
      const updated: StoredTable = {
        definition,
        createTimeMs: current.createTimeMs,
        updateTimeMs: Math.max(Date.now(), current.updateTimeMs + 1),
        version: current.version + 1,
        ...(current.partitions ? { partitions: current.partitions } : {}),
      };
      databases[database.definition.Name] = { ...database, tables: { ...database.tables, [definition.Name]: updated } };
    });
  }

  deleteTable(databaseName: string, tableName: string): Promise<void> {
    return this.change((databases) => {
      const database = databases[this.database(databaseName).definition.Name]!;
      const name = this.table(database, tableName).definition.Name;
      const { [name]: _removed, ...tables } = database.tables;
      databases[database.definition.Name] = { ...database, tables };
    });
  }

  async getPartitions(databaseName: string, tableName: string): Promise<Partition[]> {
    const database = this.document.databases[databaseName.toLowerCase()];
    const table = database?.tables[tableName.toLowerCase()];
    if (!database || !table) return [];
    return Object.keys(table.partitions ?? {})
      .sort()
      .map((key) => this.toPartition(database, table, table.partitions![key]!));
  }

  /** GetPartitions: the table's registered partitions, ordered by their values. */
  async requirePartitions(databaseName: string, tableName: string): Promise<Partition[]> {
    const database = this.database(databaseName);
    const table = this.table(database, tableName);
    return Object.keys(table.partitions ?? {})
      .sort()
      .map((key) => this.toPartition(database, table, table.partitions![key]!));
  }

  /** GetPartition: one partition, or EntityNotFoundException. */
  async requirePartition(databaseName: string, tableName: string, values: readonly string[]): Promise<Partition> {
    const database = this.database(databaseName);
    const table = this.table(database, tableName);
    const stored = table.partitions?.[partitionKey(values)];
    if (!stored) throw glueErrors.partitionNotFound();
    return this.toPartition(database, table, stored);
  }

  /**
   * BatchCreatePartition (and CreatePartition, one entry): adds the partitions that do not exist yet, in one
   * write. An entry whose values already exist, or whose count differs from the table's partition keys, is not
   * added and is reported in the returned errors, as Glue reports them; the others are added.
   */
  async createPartitions(
    databaseName: string,
    tableName: string,
    definitions: readonly PartitionDefinition[],
  ): Promise<PartitionError[]> {
    const errors: PartitionError[] = [];
    await this.change((databases) => {
      errors.length = 0;
      const database = databases[this.database(databaseName).definition.Name]!;
      const table = this.table(database, tableName);
      const partitions = { ...table.partitions };
      const now = Date.now();
      for (const definition of definitions) {
        const key = partitionKey(definition.Values);
        if (definition.Values.length !== table.definition.PartitionKeys.length) {
          errors.push(
            partitionError(
              definition.Values,
              'InvalidInputException',
              `The number of partition values (${definition.Values.length}) does not match the number of partition keys (${table.definition.PartitionKeys.length}) of table ${table.definition.Name}.`,
            ),
          );
        } else if (partitions[key]) {
          errors.push(partitionError(definition.Values, 'AlreadyExistsException', 'Partition already exists.'));
        } else {
          partitions[key] = { definition, createTimeMs: now };
        }
      }
      this.putTable(databases, database, { ...table, partitions });
    });
    return errors;
  }

  /** UpdatePartition: replaces the partition's definition (its values may change), or EntityNotFoundException. */
  updatePartition(
    databaseName: string,
    tableName: string,
    values: readonly string[],
    definition: PartitionDefinition,
  ): Promise<void> {
    return this.change((databases) => {
      const database = databases[this.database(databaseName).definition.Name]!;
      const table = this.table(database, tableName);
      const { [partitionKey(values)]: current, ...others } = table.partitions ?? {};
      if (!current) throw glueErrors.partitionNotFound();
      if (definition.Values.length !== table.definition.PartitionKeys.length) {
        throw glueErrors.invalidInput('The number of partition values does not match the number of partition keys.');
      }
      if (others[partitionKey(definition.Values)]) throw glueErrors.alreadyExists('Partition');
      const partitions = { ...others, [partitionKey(definition.Values)]: { ...current, definition } };
      this.putTable(databases, database, { ...table, partitions });
    });
  }

  /**
   * BatchDeletePartition (and DeletePartition, one entry): removes the partitions that exist, in one write; each
   * missing one is an `EntityNotFoundException` entry of the returned errors.
   */
  async deletePartitions(
    databaseName: string,
    tableName: string,
    valuesList: readonly (readonly string[])[],
  ): Promise<PartitionError[]> {
    const errors: PartitionError[] = [];
    await this.change((databases) => {
      errors.length = 0;
      const database = databases[this.database(databaseName).definition.Name]!;
      const table = this.table(database, tableName);
      const partitions = { ...table.partitions };
      for (const values of valuesList) {
        const key = partitionKey(values);
        if (partitions[key]) delete partitions[key];
        else errors.push(partitionError([...values], 'EntityNotFoundException', 'Partition not found.'));
      }
      this.putTable(databases, database, { ...table, partitions });
    });
    return errors;
  }

  /** Waits for writes in progress (close). */
  async settle(): Promise<void> {
    await this.writing.catch(() => {});
  }

  private database(databaseName: string): StoredDatabase {
    const database = this.document.databases[databaseName.toLowerCase()];
    if (!database) throw glueErrors.databaseNotFound(databaseName.toLowerCase());
    return database;
  }

  private table(database: StoredDatabase, tableName: string): StoredTable {
    const table = database.tables[tableName.toLowerCase()];
    if (!table) throw glueErrors.tableNotFound(tableName.toLowerCase());
    return table;
  }

  private putTable(databases: Record<string, StoredDatabase>, database: StoredDatabase, table: StoredTable): void {
    const name = table.definition.Name;
    databases[database.definition.Name] = { ...database, tables: { ...database.tables, [name]: table } };
  }

  private toPartition(database: StoredDatabase, table: StoredTable, stored: StoredPartition): Partition {
    const { LastAccessTime, ...definition } = structuredClone(stored.definition);
    return {
      ...definition,
      ...(LastAccessTime !== undefined ? { LastAccessTime: new Date(LastAccessTime * 1000) } : {}),
      DatabaseName: database.definition.Name,
      TableName: table.definition.Name,
      CreationTime: new Date(stored.createTimeMs),
      CatalogId: this.catalogId,
    };
  }

  /** Applies `mutate` to a copy of the databases, persists the copy, then publishes it. One change at a time. */
  private change(mutate: (databases: Record<string, StoredDatabase>) => void): Promise<void> {
    const run = this.writing.then(async () => {
      const databases = { ...this.document.databases };
      mutate(databases);
      const next: CatalogDocument = { formatVersion: 1, databases };
      await this.file.save(next);
      this.document = next;
      this.changes += 1;
    });
    this.writing = run.catch(() => {});
    return run;
  }

  private toDatabase(stored: StoredDatabase): Database {
    const { definition } = stored;
    return {
      Name: definition.Name,
      ...(definition.Description !== undefined ? { Description: definition.Description } : {}),
      ...(definition.LocationUri !== undefined ? { LocationUri: definition.LocationUri } : {}),
      Parameters: { ...definition.Parameters },
      CreateTime: new Date(stored.createTimeMs),
      CreateTableDefaultPermissions: [
        { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] },
      ],
      CatalogId: this.catalogId,
    };
  }

  private toTable(database: StoredDatabase, stored: StoredTable): Table {
    const definition = structuredClone(stored.definition);
    return {
      ...definition,
      DatabaseName: database.definition.Name,
      CreateTime: new Date(stored.createTimeMs),
      UpdateTime: new Date(stored.updateTimeMs),
      IsRegisteredWithLakeFormation: false,
      CatalogId: this.catalogId,
      VersionId: String(stored.version),
    };
  }
}

function sortedValues<T>(record: Record<string, T>): T[] {
  return Object.keys(record)
    .sort()
    .map((key) => record[key]!);
}

function partitionError(values: string[], code: string, message: string): PartitionError {
  return { PartitionValues: values, ErrorDetail: { ErrorCode: code, ErrorMessage: message } };
}
