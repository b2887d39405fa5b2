import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AlreadyExistsException,
  ConcurrentModificationException,
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteDatabaseCommand,
  DeleteTableCommand,
  EntityNotFoundException,
  GetDatabaseCommand,
  GetDatabasesCommand,
  GetPartitionsCommand,
  GetTableCommand,
  GetTablesCommand,
  GlueClient,
  InternalServiceException,
  InvalidInputException,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;
let glue: GlueClient;

beforeAll(async () => {
  testStack = await startTestStack();
  glue = new GlueClient(testStack.clientConfig);
});

afterAll(async () => {
  glue.destroy();
  await testStack.stop();
});

const examResults = (overrides: Partial<TableInput> = {}): TableInput => ({
  Name: 'exam_results',
  TableType: 'EXTERNAL_TABLE',
  Parameters: { classification: 'parquet', EXTERNAL: 'TRUE' },
  StorageDescriptor: {
    Columns: [
      { Name: 'result_id', Type: 'string' },
      { Name: 'score', Type: 'double', Comment: 'points scored' },
    ],
    Location: 's3://examlake-curated/exam_results/',
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: {
      SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      Parameters: { 'serialization.format': '1' },
    },
  },
  PartitionKeys: [
    { Name: 'year', Type: 'int' },
    { Name: 'month', Type: 'int' },
  ],
  ...overrides,
});

async function createDatabase(name: string): Promise<void> {
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: name, Description: `${name} datasets` } }));
}

describe('databases', () => {
  it('creates a database and returns it in the shape of the SDK Database type', async () => {
    await createDatabase('Catalog_One');
    const { Database } = await glue.send(new GetDatabaseCommand({ Name: 'catalog_one' }));
    expect(Database).toEqual({
      Name: 'catalog_one',
      Description: 'Catalog_One datasets',
      Parameters: {},
      CreateTime: expect.any(Date),
      CreateTableDefaultPermissions: [
        { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL'] },
      ],
      CatalogId: '000000000000',
    });
  });

  it('lower-cases database names as Glue does, for creation and lookup', async () => {
    await createDatabase('MixedCase');
    const { Database } = await glue.send(new GetDatabaseCommand({ Name: 'MIXEDCASE' }));
    expect(Database?.Name).toBe('mixedcase');
  });

  it('raises AlreadyExistsException when the database exists', async () => {
    await createDatabase('dup_db');
    const error = await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'DUP_DB' } })).catch((e) => e);
    expect(error).toBeInstanceOf(AlreadyExistsException);
    expect(error.message).toBe('Database already exists.');
  });

  it('raises EntityNotFoundException "Database x not found." for an unknown database', async () => {
    const error = await glue.send(new GetDatabaseCommand({ Name: 'Nope' })).catch((e) => e);
    expect(error).toBeInstanceOf(EntityNotFoundException);
    expect(error.message).toBe('Database nope not found.');
  });

  it('rejects a database name that is empty or spans lines with InvalidInputException', async () => {
    const empty = await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: '' } })).catch((e) => e);
    expect(empty).toBeInstanceOf(InvalidInputException);
    expect(empty.message).toBe(
      "1 validation error detected: Value '' at 'databaseInput.name' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const multiline = await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'a\nb' } })).catch((e) => e);
    expect(multiline).toBeInstanceOf(InvalidInputException);
    expect(multiline.message).toContain('Member must satisfy regular expression pattern');
  });

  it('raises InvalidInputException when DatabaseInput is missing', async () => {
    const error = await glue.send(new CreateDatabaseCommand({} as never)).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputException);
    expect(error.message).toContain("at 'databaseInput' failed to satisfy constraint: Member must not be null");
  });

  it('pages through GetDatabases in name order with NextToken', async () => {
    for (const name of ['page_c', 'page_a', 'page_b']) await createDatabase(name);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await glue.send(new GetDatabasesCommand({ MaxResults: 2, NextToken: token }));
      names.push(...(page.DatabaseList ?? []).map((d) => d.Name!));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect(names.filter((n) => n.startsWith('page_'))).toEqual(['page_a', 'page_b', 'page_c']);
    expect(names).toEqual([...names].sort());
    expect(pages).toBeGreaterThan(1);
  });

  it('rejects a NextToken it did not issue', async () => {
    const error = await glue.send(new GetDatabasesCommand({ NextToken: 'forged' })).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputException);
  });

  it('deletes a database together with its tables', async () => {
    await createDatabase('doomed');
    await glue.send(new CreateTableCommand({ DatabaseName: 'doomed', TableInput: examResults() }));
    await glue.send(new DeleteDatabaseCommand({ Name: 'doomed' }));
    await expect(glue.send(new GetDatabaseCommand({ Name: 'doomed' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await createDatabase('doomed');
    const { TableList } = await glue.send(new GetTablesCommand({ DatabaseName: 'doomed' }));
    expect(TableList).toEqual([]);
  });
});

describe('tables', () => {
  beforeAll(() => createDatabase('examlake'));

  it('creates a table and returns it in the shape of the SDK Table type', async () => {
    await glue.send(
      new CreateTableCommand({ DatabaseName: 'ExamLake', TableInput: examResults({ Name: 'Exam_Results' }) }),
    );
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'examlake', Name: 'exam_results' }));
    const input = examResults();
    expect(Table).toEqual({
      Name: 'exam_results',
      DatabaseName: 'examlake',
      CreateTime: expect.any(Date),
      UpdateTime: expect.any(Date),
      Retention: 0,
      TableType: 'EXTERNAL_TABLE',
      Parameters: input.Parameters,
      StorageDescriptor: input.StorageDescriptor,
      PartitionKeys: input.PartitionKeys,
      IsRegisteredWithLakeFormation: false,
      CatalogId: '000000000000',
      VersionId: '0',
    });
  });

  it('raises AlreadyExistsException "Table already exists." for a second CreateTable', async () => {
    await glue.send(new CreateTableCommand({ DatabaseName: 'examlake', TableInput: examResults({ Name: 'twice' }) }));
    const error = await glue
      .send(new CreateTableCommand({ DatabaseName: 'examlake', TableInput: examResults({ Name: 'TWICE' }) }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(AlreadyExistsException);
    expect(error.message).toBe('Table already exists.');
  });

  it('names the missing database or table in EntityNotFoundException', async () => {
    const noDb = await glue.send(new GetTableCommand({ DatabaseName: 'ghost', Name: 'exam_results' })).catch((e) => e);
    expect(noDb).toBeInstanceOf(EntityNotFoundException);
    expect(noDb.message).toBe('Database ghost not found.');
    const noTable = await glue.send(new GetTableCommand({ DatabaseName: 'examlake', Name: 'Ghost' })).catch((e) => e);
    expect(noTable).toBeInstanceOf(EntityNotFoundException);
    expect(noTable.message).toBe('Table ghost not found.');
    const create = await glue
      .send(new CreateTableCommand({ DatabaseName: 'ghost', TableInput: examResults() }))
      .catch((e) => e);
    expect(create).toBeInstanceOf(EntityNotFoundException);
  });

  it('rejects a column without a name with InvalidInputException', async () => {
    const error = await glue
      .send(
        new CreateTableCommand({
          DatabaseName: 'examlake',
          TableInput: { Name: 'bad_columns', StorageDescriptor: { Columns: [{ Type: 'string' } as never] } },
        }),
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputException);
    expect(error.message).toContain("'tableInput.storageDescriptor.columns.1.member.name'");
  });

  it('replaces the table on UpdateTable: location, columns, partition keys, projection parameters; VersionId and UpdateTime move', async () => {
    await glue.send(
      new CreateTableCommand({ DatabaseName: 'examlake', TableInput: examResults({ Name: 'evolving' }) }),
    );
    const before = (await glue.send(new GetTableCommand({ DatabaseName: 'examlake', Name: 'evolving' }))).Table!;
    const projection = {
      'projection.enabled': 'true',
      'projection.year.type': 'integer',
      'projection.year.range': '2020,2030',
      'projection.month.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's partition projection template syntax.
      'storage.location.template': 's3://examlake-curated/v2/exam_results/year=${year}/month=${month}/',
    };
    await glue.send(
      new UpdateTableCommand({
        DatabaseName: 'examlake',
        TableInput: {
          Name: 'evolving',
          TableType: 'EXTERNAL_TABLE',
          Parameters: { classification: 'parquet', ...projection },
          StorageDescriptor: {
            Columns: [
              { Name: 'result_id', Type: 'string' },
              { Name: 'score', Type: 'double' },
              { Name: 'student_key', Type: 'string' },
            ],
            Location: 's3://examlake-curated/v2/exam_results/',
          },
          PartitionKeys: [{ Name: 'year', Type: 'int' }],
        },
      }),
    );
    const after = (await glue.send(new GetTableCommand({ DatabaseName: 'examlake', Name: 'evolving' }))).Table!;
    expect(after.VersionId).toBe('1');
    expect(after.CreateTime).toEqual(before.CreateTime);
    expect(after.UpdateTime!.getTime()).toBeGreaterThan(before.UpdateTime!.getTime());
    expect(after.StorageDescriptor?.Location).toBe('s3://examlake-curated/v2/exam_results/');
    expect(after.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['result_id', 'score', 'student_key']);
    expect(after.StorageDescriptor?.SerdeInfo).toBeUndefined();
    expect(after.PartitionKeys).toEqual([{ Name: 'year', Type: 'int' }]);
    expect(after.Parameters).toEqual({ classification: 'parquet', ...projection });
  });

  it('applies UpdateTable with a VersionId only to that version (ConcurrentModificationException otherwise)', async () => {
    await glue.send(new CreateTableCommand({ DatabaseName: 'examlake', TableInput: examResults({ Name: 'locked' }) }));
    await glue.send(
      new UpdateTableCommand({ DatabaseName: 'examlake', VersionId: '0', TableInput: examResults({ Name: 'locked' }) }),
    );
    const stale = await glue
      .send(
        new UpdateTableCommand({
          DatabaseName: 'examlake',
          VersionId: '0',
          TableInput: examResults({ Name: 'locked' }),
        }),
      )
      .catch((e) => e);
    expect(stale).toBeInstanceOf(ConcurrentModificationException);
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'examlake', Name: 'locked' }));
    expect(Table?.VersionId).toBe('1');
  });

  it('raises EntityNotFoundException when updating or deleting a table that does not exist', async () => {
    await expect(
      glue.send(new UpdateTableCommand({ DatabaseName: 'examlake', TableInput: examResults({ Name: 'absent' }) })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(
      glue.send(new DeleteTableCommand({ DatabaseName: 'examlake', Name: 'absent' })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('deletes a table', async () => {
    await glue.send(
      new CreateTableCommand({ DatabaseName: 'examlake', TableInput: examResults({ Name: 'short_lived' }) }),
    );
    await glue.send(new DeleteTableCommand({ DatabaseName: 'examlake', Name: 'SHORT_LIVED' }));
    await expect(
      glue.send(new GetTableCommand({ DatabaseName: 'examlake', Name: 'short_lived' })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('filters GetTables by Expression (wildcards and alternatives) and pages in name order', async () => {
    await createDatabase('listing');
    for (const name of ['item_responses', 'exam_results', 'exam_archive', 'schools']) {
      await glue.send(new CreateTableCommand({ DatabaseName: 'listing', TableInput: examResults({ Name: name }) }));
    }
    const names = async (Expression?: string) =>
      ((await glue.send(new GetTablesCommand({ DatabaseName: 'listing', Expression }))).TableList ?? []).map(
        (t) => t.Name,
      );
    expect(await names()).toEqual(['exam_archive', 'exam_results', 'item_responses', 'schools']);
    expect(await names('exam*')).toEqual(['exam_archive', 'exam_results']);
    expect(await names('exam_results|item_*')).toEqual(['exam_results', 'item_responses']);
    expect(await names('nothing*')).toEqual([]);

    const first = await glue.send(new GetTablesCommand({ DatabaseName: 'listing', MaxResults: 3 }));
    expect(first.TableList?.map((t) => t.Name)).toEqual(['exam_archive', 'exam_results', 'item_responses']);
    const second = await glue.send(
      new GetTablesCommand({ DatabaseName: 'listing', MaxResults: 3, NextToken: first.NextToken }),
    );
    expect(second.TableList?.map((t) => t.Name)).toEqual(['schools']);
    expect(second.NextToken).toBeUndefined();
  });

  it('raises EntityNotFoundException from GetTables for an unknown database', async () => {
    const error = await glue.send(new GetTablesCommand({ DatabaseName: 'unknown_db' })).catch((e) => e);
    expect(error).toBeInstanceOf(EntityNotFoundException);
    expect(error.message).toBe('Database unknown_db not found.');
  });

  it('answers GetPartitions with no partitions for an existing table (partition projection) and checks the table', async () => {
    const { Partitions } = await glue.send(
      new GetPartitionsCommand({ DatabaseName: 'examlake', TableName: 'exam_results' }),
    );
    expect(Partitions).toEqual([]);
    await expect(
      glue.send(new GetPartitionsCommand({ DatabaseName: 'examlake', TableName: 'missing' })),
    ).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('moves the catalog revision on every change, for readers that cache what they derive', async () => {
    const catalog = testStack.stack.glue.catalog;
    const before = catalog.revision();
    await glue.send(new CreateTableCommand({ DatabaseName: 'examlake', TableInput: examResults({ Name: 'rev' }) }));
    const afterCreate = catalog.revision();
    await glue.send(new DeleteTableCommand({ DatabaseName: 'examlake', Name: 'rev' }));
    expect(afterCreate).toBeGreaterThan(before);
    expect(catalog.revision()).toBeGreaterThan(afterCreate);
    expect(await catalog.getTable('ExamLake', 'EXAM_RESULTS')).toMatchObject({ Name: 'exam_results', VersionId: '0' });
    expect(await catalog.getTable('examlake', 'rev')).toBeUndefined();
  });
});

describe('persistence', () => {
  it('keeps databases and tables across a restart', async () => {
    await createDatabase('durable');
    await glue.send(new CreateTableCommand({ DatabaseName: 'durable', TableInput: examResults() }));
    await glue.send(
      new UpdateTableCommand({ DatabaseName: 'durable', TableInput: examResults({ Description: 'v2' }) }),
    );
    const before = (await glue.send(new GetTableCommand({ DatabaseName: 'durable', Name: 'exam_results' }))).Table;

    testStack = await testStack.restart();
    glue.destroy();
    glue = new GlueClient(testStack.clientConfig);

    const after = (await glue.send(new GetTableCommand({ DatabaseName: 'durable', Name: 'exam_results' }))).Table;
    expect(after).toEqual(before);
    expect(after?.Description).toBe('v2');
    expect((await glue.send(new GetDatabaseCommand({ Name: 'durable' }))).Database?.Name).toBe('durable');
  });

  it('leaves the previous catalog file and answers when a write fails, and recovers on the next write', async () => {
    const catalogFile = path.join(testStack.dataDir, 'glue', 'catalog.json');
    const before = await readFile(catalogFile, 'utf8');
    // The temp file the atomic write goes through cannot be created while a directory sits at its path.
    await mkdir(`${catalogFile}.tmp`);
    try {
      const error = await glue
        .send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'unwritten' } }))
        .catch((e) => e);
      expect(error).toBeInstanceOf(InternalServiceException);
      expect(error.message).toContain('The local Glue service failed');
      expect(await readFile(catalogFile, 'utf8')).toBe(before);
      await expect(glue.send(new GetDatabaseCommand({ Name: 'unwritten' }))).rejects.toBeInstanceOf(
        EntityNotFoundException,
      );
    } finally {
      await rm(`${catalogFile}.tmp`, { recursive: true });
    }
    await createDatabase('unwritten');
    expect(JSON.parse(await readFile(catalogFile, 'utf8')).databases.unwritten).toBeDefined();
  });

  it('ignores a half-written temp file left by a crash and starts from the last complete catalog', async () => {
    const catalogFile = path.join(testStack.dataDir, 'glue', 'catalog.json');
    await writeFile(`${catalogFile}.tmp`, '{"formatVersion":1,"databases":{"tor');
    testStack = await testStack.restart();
    glue.destroy();
    glue = new GlueClient(testStack.clientConfig);
    expect((await glue.send(new GetDatabaseCommand({ Name: 'durable' }))).Database?.Name).toBe('durable');
    await createDatabase('after_crash');
    expect((await glue.send(new GetDatabaseCommand({ Name: 'after_crash' }))).Database?.Name).toBe('after_crash');
  });
});

describe('malformed requests', () => {
  const post = (target: string, body: string) =>
    fetch(testStack.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }));

  it('answers an unknown action with UnknownOperationException', async () => {
    const { status, body } = await post('AWSGlue.GetEverything', '{}');
    expect(status).toBe(400);
    expect(body.__type).toBe('UnknownOperationException');
  });

  it('answers a body that is not JSON, or a member of the wrong type, with SerializationException', async () => {
    const broken = await post('AWSGlue.CreateDatabase', '{"DatabaseInput": ');
    expect(broken.status).toBe(400);
    expect(broken.body.__type).toBe('SerializationException');
    const wrongType = await post('AWSGlue.CreateDatabase', JSON.stringify({ DatabaseInput: 'examlake' }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({
      __type: 'SerializationException',
      Message: 'Member databaseInput must be a structure.',
    });
  });

  it('stays healthy for the next request after bad ones', async () => {
    await post('AWSGlue.CreateTable', '[]');
    await post('AWSGlue.GetTables', JSON.stringify({ DatabaseName: 42 }));
    await createDatabase('still_fine');
    expect((await glue.send(new GetDatabaseCommand({ Name: 'still_fine' }))).Database?.Name).toBe('still_fine');
  });
});
