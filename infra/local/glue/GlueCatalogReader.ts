import type { Database, Partition, Table } from '@aws-sdk/client-glue';

/** Read access to the local Glue Data Catalog for sibling engines (Athena resolves `database.table` through it). */
export interface GlueCatalogReader {
  /** The database as GetDatabase would return it, or undefined when it does not exist. */
  getDatabase(databaseName: string): Promise<Database | undefined>;
  /** Every database as GetDatabases would return them (sorted by name). */
  getDatabases(): Promise<Database[]>;
  /** Every table of a database as GetTables would return them (sorted by name); empty for an unknown database. */
  getTables(databaseName: string): Promise<Table[]>;
  /** The table as GetTable would return it, or undefined when the database or table does not exist. */
  getTable(databaseName: string, tableName: string): Promise<Table | undefined>;
  /** The table's registered partitions (GetPartitions), ordered by values; empty for an unknown table. */
  getPartitions(databaseName: string, tableName: string): Promise<Partition[]>;
  /**
   * A number that changes whenever any database or table changes (create, update, delete), so a reader can
   * cache what it derived from the catalog and rebuild it only when this moves.
   */
  revision(): number;
}
