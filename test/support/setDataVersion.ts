import { GetTableCommand, type GlueClient, UpdateTableCommand } from '@aws-sdk/client-glue';
import { DATA_VERSION_PARAMETER } from '../../etl/schemas/glueTableInput';

/**
 * Sets a curated table's `examlake.data_version` and nothing else, as a committed run would for the API (the
 * table keeps its location): for tests and benchmarks that load curated files directly.
 */
export async function setDataVersion(glue: GlueClient, table: string, version: string): Promise<void> {
  const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'examlake', Name: table }));
  if (!Table) throw new Error(`No table examlake.${table}`);
  const { Name, Description, TableType, PartitionKeys, StorageDescriptor, Parameters } = Table;
  await glue.send(
    new UpdateTableCommand({
      DatabaseName: 'examlake',
      TableInput: {
        Name,
        Description,
        TableType,
        PartitionKeys,
        StorageDescriptor,
        Parameters: { ...Parameters, [DATA_VERSION_PARAMETER]: version },
      },
    }),
  );
}
