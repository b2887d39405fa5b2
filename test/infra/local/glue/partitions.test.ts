import {
  AlreadyExistsException,
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchGetPartitionCommand,
  CreateDatabaseCommand,
  CreatePartitionCommand,
  CreateTableCommand,
  DeletePartitionCommand,
  DeleteTableCommand,
  EntityNotFoundException,
  GetPartitionCommand,
  GetPartitionsCommand,
  GlueClient,
  InvalidInputException,
  type PartitionInput,
  paginateGetPartitions,
  UpdatePartitionCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;
let glue: GlueClient;

const TABLE = {
  Name: 'events',
  PartitionKeys: [
    { Name: 'year', Type: 'int' },
    { Name: 'region', Type: 'string' },
  ],
  StorageDescriptor: { Location: 's3://lake/events/', Columns: [{ Name: 'id', Type: 'bigint' }] },
};

function partition(year: number, region: string): PartitionInput {
  return {
    Values: [String(year), region],
    StorageDescriptor: {
      Location: `s3://lake/events/year=${year}/region=${region}/`,
      Columns: TABLE.StorageDescriptor.Columns,
    },
  };
}

beforeAll(async () => {
  testStack = await startTestStack({});
  glue = new GlueClient(testStack.clientConfig);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'lake' } }));
  await glue.send(new CreateTableCommand({ DatabaseName: 'lake', TableInput: TABLE }));
});

afterAll(async () => {
  glue.destroy();
  await testStack?.stop();
});

describe('Glue partitions on the local Glue', () => {
  it('BatchCreatePartition adds new partitions and reports existing or malformed entries in Errors', async () => {
    const first = await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: 'lake',
        TableName: 'events',
        PartitionInputList: [partition(2024, 'north'), partition(2025, 'north'), partition(2025, 'south')],
      }),
    );
    expect(first.Errors).toBeUndefined();
    const second = await glue.send(
      new BatchCreatePartitionCommand({
        DatabaseName: 'lake',
        TableName: 'events',
        PartitionInputList: [partition(2025, 'north'), { Values: ['2026'] }, partition(2026, 'east')],
      }),
    );
    expect(second.Errors?.map((e) => [e.PartitionValues, e.ErrorDetail?.ErrorCode])).toEqual([
      [['2025', 'north'], 'AlreadyExistsException'],
      [['2026'], 'InvalidInputException'],
    ]);
    await expect(
      glue.send(
        new CreatePartitionCommand({
          DatabaseName: 'lake',
          TableName: 'events',
          PartitionInput: partition(2024, 'north'),
        }),
      ),
    ).rejects.toBeInstanceOf(AlreadyExistsException);
    const { Partition } = await glue.send(
      new GetPartitionCommand({ DatabaseName: 'lake', TableName: 'events', PartitionValues: ['2026', 'east'] }),
    );
    expect(Partition).toMatchObject({
      Values: ['2026', 'east'],
      DatabaseName: 'lake',
      TableName: 'events',
      StorageDescriptor: { Location: 's3://lake/events/year=2026/region=east/' },
    });
    expect(Partition?.CreationTime).toBeInstanceOf(Date);
  });

  it('GetPartitions filters by Expression (integer keys as numbers) and pages; an unsupported expression is refused', async () => {
    const values = async (Expression?: string) =>
      (
        await glue.send(new GetPartitionsCommand({ DatabaseName: 'lake', TableName: 'events', Expression }))
      ).Partitions?.map((p) => p.Values?.join('/'));
    expect(await values()).toEqual(['2024/north', '2025/north', '2025/south', '2026/east']);
    expect(await values("year >= 2025 AND region <> 'north'")).toEqual(['2025/south', '2026/east']);
    expect(await values("(year = 2024 OR year = 2026) AND region IN ('east', 'north')")).toEqual([
      '2024/north',
      '2026/east',
    ]);
    await expect(values("region LIKE 'n%'")).rejects.toBeInstanceOf(InvalidInputException);
    await expect(values('nope = 1')).rejects.toThrow(/nope is not a partition key/);

    const pages: number[] = [];
    for await (const page of paginateGetPartitions(
      { client: glue, pageSize: 3 },
      { DatabaseName: 'lake', TableName: 'events' },
    )) {
      pages.push(page.Partitions?.length ?? 0);
    }
    expect(pages).toEqual([3, 1]);
  });

  it('BatchGetPartition answers the found ones and lists the others as UnprocessedKeys', async () => {
    const out = await glue.send(
      new BatchGetPartitionCommand({
        DatabaseName: 'lake',
        TableName: 'events',
        PartitionsToGet: [{ Values: ['2025', 'south'] }, { Values: ['1999', 'x'] }],
      }),
    );
    expect(out.Partitions?.map((p) => p.Values)).toEqual([['2025', 'south']]);
    expect(out.UnprocessedKeys).toEqual([{ Values: ['1999', 'x'] }]);
  });

  it('UpdatePartition and the partitions survive UpdateTable and a restart; DeleteTable removes them', async () => {
    await glue.send(
      new UpdatePartitionCommand({
        DatabaseName: 'lake',
        TableName: 'events',
        PartitionValueList: ['2026', 'east'],
        PartitionInput: { ...partition(2026, 'east'), Parameters: { note: 'moved' } },
      }),
    );
    await glue.send(new UpdateTableCommand({ DatabaseName: 'lake', TableInput: { ...TABLE, Description: 'v2' } }));
    testStack = await testStack.restart();
    glue.destroy();
    glue = new GlueClient(testStack.clientConfig);
    const { Partition } = await glue.send(
      new GetPartitionCommand({ DatabaseName: 'lake', TableName: 'events', PartitionValues: ['2026', 'east'] }),
    );
    expect(Partition?.Parameters).toEqual({ note: 'moved' });

    await glue.send(
      new DeletePartitionCommand({ DatabaseName: 'lake', TableName: 'events', PartitionValues: ['2024', 'north'] }),
    );
    const batch = await glue.send(
      new BatchDeletePartitionCommand({
        DatabaseName: 'lake',
        TableName: 'events',
        PartitionsToDelete: [{ Values: ['2025', 'north'] }, { Values: ['2024', 'north'] }],
      }),
    );
    expect(batch.Errors?.map((e) => [e.PartitionValues, e.ErrorDetail?.ErrorCode])).toEqual([
      [['2024', 'north'], 'EntityNotFoundException'],
    ]);
    await glue.send(new DeleteTableCommand({ DatabaseName: 'lake', Name: 'events' }));
    await glue.send(new CreateTableCommand({ DatabaseName: 'lake', TableInput: TABLE }));
    expect(
      (await glue.send(new GetPartitionsCommand({ DatabaseName: 'lake', TableName: 'events' }))).Partitions,
    ).toEqual([]);
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'lake', TableName: 'missing' })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });
});
