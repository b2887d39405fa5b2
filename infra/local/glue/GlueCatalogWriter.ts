import type { GlueTableDefinition, PartitionDefinition } from './catalogInput';
import type { PartitionError } from './GlueCatalog';

/** Write access to the local Glue Data Catalog for the local Athena's DDL (CREATE TABLE AS, DROP TABLE). */
export interface GlueCatalogWriter {
  /** CreateTable; AlreadyExistsException / EntityNotFoundException as the Glue API raises them. */
  createTable(databaseName: string, definition: GlueTableDefinition): Promise<void>;
  /** DeleteTable (its partitions with it); EntityNotFoundException for a missing table. */
  deleteTable(databaseName: string, tableName: string): Promise<void>;
  /** BatchCreatePartition: adds what does not exist yet, reports the rest. */
  createPartitions(
    databaseName: string,
    tableName: string,
    definitions: readonly PartitionDefinition[],
  ): Promise<PartitionError[]>;
}
