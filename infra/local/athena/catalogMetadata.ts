import type { Database, Table } from '@aws-sdk/client-glue';
import { AwsServiceError } from '../edge/AwsServiceError';
import { tableNameMatcher } from '../glue/tableNameMatcher';
import { invalidRequest } from './athenaErrors';

/** The one data catalog of the local Athena, as Athena names the Glue Data Catalog in its metadata APIs. */
export const DATA_CATALOG_NAME = 'AwsDataCatalog';

/**
 * Athena's `MetadataException` for a database or table the Glue catalog does not have, in the words Athena
 * relays from Glue (PyAthena reads the `Error Code:` in it to tell a missing table from other failures).
 */
export function entityNotFound(): AwsServiceError {
  return new AwsServiceError(
    'MetadataException',
    'Entity Not Found (Service: AmazonDataCatalog; Status Code: 400; Error Code: EntityNotFoundException; Request ID: local; Proxy: null)',
  );
}

/** Checks `CatalogName`: only `AwsDataCatalog` (any case) exists locally. */
export function requireDataCatalog(name: string): void {
  if (name.toLowerCase() !== DATA_CATALOG_NAME.toLowerCase()) {
    throw new AwsServiceError(
      'MetadataException',
      `Catalog ${name} does not exist. The local Athena has one data catalog, ${DATA_CATALOG_NAME} (the local Glue).`,
    );
  }
}

/** ListTableMetadata's `Expression` (Glue's table pattern), as an InvalidRequestException when malformed. */
export function tableMetadataFilter(expression: string | undefined): (name: string) => boolean {
  try {
    return tableNameMatcher(expression);
  } catch (err) {
    throw invalidRequest((err as Error).message);
  }
}

/** Athena's `Database` (GetDatabase, ListDatabases) of a Glue database. */
export function databaseWire(database: Database): Record<string, unknown> {
  return {
    Name: database.Name,
    ...(database.Description !== undefined ? { Description: database.Description } : {}),
    Parameters: { ...(database.LocationUri ? { location: database.LocationUri } : {}), ...database.Parameters },
  };
}

/**
 * Athena's `TableMetadata` (GetTableMetadata, ListTableMetadata) of a Glue table: its columns and partition keys,
 * and `Parameters` holding the table's parameters with the storage descriptor's `location`, `inputformat`,
 * `outputformat`, `serde.serialization.lib` and `serde.param.*`, as Athena flattens them.
 */
export function tableMetadataWire(table: Table): Record<string, unknown> {
  const sd = table.StorageDescriptor ?? {};
  const column = (c: { Name?: string; Type?: string; Comment?: string }) => ({
    Name: c.Name,
    Type: c.Type,
    ...(c.Comment !== undefined ? { Comment: c.Comment } : {}),
  });
  const serdeParameters = Object.fromEntries(
    Object.entries(sd.SerdeInfo?.Parameters ?? {}).map(([k, v]) => [`serde.param.${k}`, v]),
  );
  return {
    Name: table.Name,
    ...(table.CreateTime ? { CreateTime: table.CreateTime.getTime() / 1000 } : {}),
    ...(table.LastAccessTime ? { LastAccessTime: table.LastAccessTime.getTime() / 1000 } : {}),
    ...(table.TableType ? { TableType: table.TableType } : {}),
    Columns: (sd.Columns ?? []).map(column),
    PartitionKeys: (table.PartitionKeys ?? []).map(column),
    Parameters: {
      ...table.Parameters,
      ...(sd.Location !== undefined ? { location: sd.Location } : {}),
      ...(sd.InputFormat !== undefined ? { inputformat: sd.InputFormat } : {}),
      ...(sd.OutputFormat !== undefined ? { outputformat: sd.OutputFormat } : {}),
      ...(sd.SerdeInfo?.SerializationLibrary !== undefined
        ? { 'serde.serialization.lib': sd.SerdeInfo.SerializationLibrary }
        : {}),
      ...serdeParameters,
    },
  };
}
