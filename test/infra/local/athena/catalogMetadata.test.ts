import {
  AthenaClient,
  GetDatabaseCommand,
  GetTableMetadataCommand,
  ListDatabasesCommand,
  ListDataCatalogsCommand,
  ListTableMetadataCommand,
  MetadataException,
} from '@aws-sdk/client-athena';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { startTestStack, type TestStack } from '../../../support/localStack';
import { partitionedTable } from './directoryFixtures';

let testStack: TestStack;
let athena: AthenaClient;
let glue: GlueClient;

beforeAll(async () => {
  testStack = await startTestStack({});
  athena = new AthenaClient(testStack.clientConfig);
  glue = new GlueClient(testStack.clientConfig);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake', Description: 'the lake' } }));
  for (const name of ['results', 'raw_results', 'items']) {
    await glue.send(
      new CreateTableCommand({
        DatabaseName: 'lake',
        TableInput: {
          ...partitionedTable(name, `s3://lake/${name}/`, [
            ['result_id', 'string'],
            ['score', 'decimal(7,2)'],
          ]),
          TableType: 'EXTERNAL_TABLE',
        },
      }),
    );
  }
});

afterAll(async () => {
  athena.destroy();
  glue.destroy();
  await testStack?.stop();
});

describe("Athena's data catalog metadata APIs on the local Glue", () => {
  it('lists AwsDataCatalog and its databases, and gets one', async () => {
    const catalogs = await athena.send(new ListDataCatalogsCommand({}));
    expect(catalogs.DataCatalogsSummary).toEqual([{ CatalogName: 'AwsDataCatalog', Type: 'GLUE' }]);
    const databases = await athena.send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }));
    expect(databases.DatabaseList?.map((d) => d.Name)).toContain('lake');
    const { Database } = await athena.send(
      new GetDatabaseCommand({ CatalogName: 'awsdatacatalog', DatabaseName: 'lake' }),
    );
    expect(Database).toMatchObject({ Name: 'lake', Description: 'the lake' });
    await expect(
      athena.send(new GetDatabaseCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'nope' })),
    ).rejects.toBeInstanceOf(MetadataException);
    await expect(athena.send(new ListDatabasesCommand({ CatalogName: 'other' }))).rejects.toThrow(
      /Catalog other does not exist/,
    );
  });

  it('answers a table with its columns, partition keys and flattened storage parameters, and pages a filtered list', async () => {
    const { TableMetadata } = await athena.send(
      new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'lake', TableName: 'results' }),
    );
    expect(TableMetadata).toMatchObject({
      Name: 'results',
      TableType: 'EXTERNAL_TABLE',
      Columns: [
        { Name: 'result_id', Type: 'string' },
        { Name: 'score', Type: 'decimal(7,2)' },
      ],
      PartitionKeys: [
        { Name: 'year', Type: 'int' },
        { Name: 'month', Type: 'int' },
      ],
      Parameters: expect.objectContaining({
        classification: 'parquet',
        location: 's3://lake/results/',
        'serde.serialization.lib': 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      }),
    });
    expect(TableMetadata?.CreateTime).toBeInstanceOf(Date);
    const error = await athena
      .send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'lake', TableName: 'nope' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetadataException);
    expect((error as Error).message).toMatch(/Error Code: EntityNotFoundException/);

    const first = await athena.send(
      new ListTableMetadataCommand({
        CatalogName: 'AwsDataCatalog',
        DatabaseName: 'lake',
        Expression: '*results',
        MaxResults: 1,
      }),
    );
    expect(first.TableMetadataList?.map((t) => t.Name)).toEqual(['raw_results']);
    const second = await athena.send(
      new ListTableMetadataCommand({
        CatalogName: 'AwsDataCatalog',
        DatabaseName: 'lake',
        Expression: '*results',
        MaxResults: 1,
        NextToken: first.NextToken,
      }),
    );
    expect(second.TableMetadataList?.map((t) => t.Name)).toEqual(['results']);
    expect(second.NextToken).toBeUndefined();
  });
});
