import http from 'node:http';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  TransactionCanceledException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

function connect() {
  client = new DynamoDBClient({ ...testStack.clientConfig });
  doc = DynamoDBDocumentClient.from(client);
}

async function createTable(TableName: string, sortKey = false) {
  return client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        ...(sortKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : []),
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...(sortKey ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : []),
      ],
    }),
  );
}

beforeAll(async () => {
  testStack = await startTestStack();
  connect();
  await createTable('cache');
  await createTable('runs', true);
});

afterAll(async () => {
  client.destroy();
  await testStack.stop();
});

describe('the local DynamoDB through the AWS SDK v3', () => {
  it('creates tables that are ACTIVE at once, lists them, and refuses a second CreateTable', async () => {
    await createTable('fresh');
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'fresh' }));
    expect(Table).toMatchObject({ TableName: 'fresh', TableStatus: 'ACTIVE' });
    expect(Table?.TableArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/fresh');
    await doc.send(new PutCommand({ TableName: 'fresh', Item: { pk: 'right-away' } }));
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining(['cache', 'fresh', 'runs']));
    await expect(createTable('fresh')).rejects.toBeInstanceOf(ResourceInUseException);
  });

  it('queries a global secondary index', async () => {
    const created = await client.send(
      new CreateTableCommand({
        TableName: 'grants',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'partnerId', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'partnerId', AttributeType: 'S' },
          { AttributeName: 'region', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byRegion',
            KeySchema: [{ AttributeName: 'region', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    expect(created.TableDescription?.TableStatus).toBe('ACTIVE');
    await doc.send(new PutCommand({ TableName: 'grants', Item: { partnerId: 'p1', region: 'north' } }));
    await doc.send(new PutCommand({ TableName: 'grants', Item: { partnerId: 'p2', region: 'south' } }));
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: 'grants',
        IndexName: 'byRegion',
        KeyConditionExpression: '#r = :r',
        ExpressionAttributeNames: { '#r': 'region' },
        ExpressionAttributeValues: { ':r': 'south' },
      }),
    );
    expect(Items).toEqual([{ partnerId: 'p2', region: 'south' }]);
  });

  it('reports unknown tables as ResourceNotFoundException', async () => {
    await expect(client.send(new DescribeTableCommand({ TableName: 'missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(doc.send(new GetCommand({ TableName: 'missing', Key: { pk: 'x' } }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('puts, gets, updates and deletes items with condition expressions', async () => {
    const claim = () =>
      doc.send(
        new PutCommand({
          TableName: 'cache',
          Item: { pk: 'q#1', status: 'RUNNING', rows: 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await claim();
    await expect(claim()).rejects.toBeInstanceOf(ConditionalCheckFailedException);

    const updated = await doc.send(
      new UpdateCommand({
        TableName: 'cache',
        Key: { pk: 'q#1' },
        UpdateExpression: 'SET #s = :done, #r = #r + :n',
        ConditionExpression: '#s = :running',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'rows' },
        ExpressionAttributeValues: { ':done': 'SUCCEEDED', ':running': 'RUNNING', ':n': 42 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes).toEqual({ pk: 'q#1', status: 'SUCCEEDED', rows: 42 });
    const stale = doc.send(
      new UpdateCommand({
        TableName: 'cache',
        Key: { pk: 'q#1' },
        UpdateExpression: 'SET #s = :x',
        ConditionExpression: '#s = :running',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':x': 'FAILED', ':running': 'RUNNING' },
      }),
    );
    await expect(stale).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect((await doc.send(new GetCommand({ TableName: 'cache', Key: { pk: 'q#1' } }))).Item?.status).toBe('SUCCEEDED');

    const wrongDelete = doc.send(
      new DeleteCommand({ TableName: 'cache', Key: { pk: 'q#1' }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await expect(wrongDelete).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await doc.send(new DeleteCommand({ TableName: 'cache', Key: { pk: 'q#1' } }));
    expect((await doc.send(new GetCommand({ TableName: 'cache', Key: { pk: 'q#1' } }))).Item).toBeUndefined();
  });

  it('lets exactly one of many concurrent conditional puts claim a key', async () => {
    const attempts = Array.from({ length: 12 }, (_, i) =>
      doc.send(
        new PutCommand({
          TableName: 'cache',
          Item: { pk: 'q#race', owner: i },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    const outcomes = await Promise.allSettled(attempts);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(ConditionalCheckFailedException);
    }
  });

  it('writes in batches and queries a partition in pages', async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      pk: 'run#1',
      sk: `obj#${String(i).padStart(2, '0')}`,
      n: i,
    }));
    await doc.send(new BatchWriteCommand({ RequestItems: { runs: items.map((Item) => ({ PutRequest: { Item } })) } }));
    await doc.send(new PutCommand({ TableName: 'runs', Item: { pk: 'run#2', sk: 'obj#00' } }));

    const seen: unknown[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: 'runs',
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :obj)',
          ExpressionAttributeValues: { ':pk': 'run#1', ':obj': 'obj#' },
          Limit: 10,
          ExclusiveStartKey,
        }),
      );
      seen.push(...(page.Items ?? []).map((item) => item.n));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    expect(seen).toEqual(items.map((item) => item.n));

    const newestFirst = await doc.send(
      new QueryCommand({
        TableName: 'runs',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'run#1' },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    expect(newestFirst.Items?.[0]?.sk).toBe('obj#24');

    const batch = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          runs: {
            Keys: [
              { pk: 'run#1', sk: 'obj#03' },
              { pk: 'run#2', sk: 'obj#00' },
            ],
          },
        },
      }),
    );
    expect(batch.Responses?.runs).toHaveLength(2);
  });

  it('applies TransactWriteItems all together, and cancels all of it when one condition fails', async () => {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'cache', Item: { pk: 'tx#a', v: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: 'runs', Item: { pk: 'tx', sk: 'b', v: 1 } } },
        ],
      }),
    );
    const failing = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: 'cache',
              Key: { pk: 'tx#a' },
              UpdateExpression: 'SET v = :two',
              ExpressionAttributeValues: { ':two': 2 },
            },
          },
          { Delete: { TableName: 'runs', Key: { pk: 'tx', sk: 'b' } } },
          {
            ConditionCheck: {
              TableName: 'cache',
              Key: { pk: 'tx#absent' },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        ],
      }),
    );
    const error = (await failing.catch((e: unknown) => e)) as TransactionCanceledException;
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'None', 'ConditionalCheckFailed']);
    const read = await doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: 'cache', Key: { pk: 'tx#a' } } },
          { Get: { TableName: 'runs', Key: { pk: 'tx', sk: 'b' } } },
        ],
      }),
    );
    expect(read.Responses?.map((r) => r.Item)).toEqual([
      { pk: 'tx#a', v: 1 },
      { pk: 'tx', sk: 'b', v: 1 },
    ]);
  });

  it('restores the items a transaction already wrote when a later write fails', async () => {
    await doc.send(new PutCommand({ TableName: 'cache', Item: { pk: 'tx#roll', v: 'text' } }));
    const failing = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'cache', Item: { pk: 'tx#new', v: 1 } } },
          {
            Update: {
              TableName: 'cache',
              Key: { pk: 'tx#roll' },
              UpdateExpression: 'SET v = v + :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
    await expect(failing).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await doc.send(new GetCommand({ TableName: 'cache', Key: { pk: 'tx#new' } }))).Item).toBeUndefined();
    expect((await doc.send(new GetCommand({ TableName: 'cache', Key: { pk: 'tx#roll' } }))).Item?.v).toBe('text');
  });

  it('refuses a transaction with two operations on one item', async () => {
    const twice = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'cache', Item: { pk: 'tx#dup' } } },
          { Delete: { TableName: 'cache', Key: { pk: 'tx#dup' } } },
        ],
      }),
    );
    await expect(twice).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
  });

  it('enables TTL through UpdateTimeToLive and reports it, keeping expired items readable', async () => {
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'cache' }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'DISABLED',
    });
    const enabled = await client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'cache',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    expect(enabled.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'cache' }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
    const again = client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'cache',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    await expect(again).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'TimeToLive is already enabled',
    });
    const missing = client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'nope',
        TimeToLiveSpecification: { AttributeName: 'x', Enabled: true },
      }),
    );
    await expect(missing).rejects.toBeInstanceOf(ResourceNotFoundException);

    const expiredAt = Math.floor(Date.now() / 1000) - 60;
    await doc.send(new PutCommand({ TableName: 'cache', Item: { pk: 'q#old', expiresAt: expiredAt } }));
    // Documented difference: the item outlives its TTL; readers treat expiresAt <= now as absent.
    expect((await doc.send(new GetCommand({ TableName: 'cache', Key: { pk: 'q#old' } }))).Item?.expiresAt).toBe(
      expiredAt,
    );
  });

  it('disables TTL, and forgets it with the table', async () => {
    await createTable('short-ttl');
    const spec = (Enabled: boolean) =>
      client.send(
        new UpdateTimeToLiveCommand({
          TableName: 'short-ttl',
          TimeToLiveSpecification: { AttributeName: 'ttl', Enabled },
        }),
      );
    await spec(true);
    await spec(false);
    await expect(spec(false)).rejects.toMatchObject({ message: 'TimeToLive is already disabled' });
    await spec(true);
    await client.send(new DeleteTableCommand({ TableName: 'short-ttl' }));
    await createTable('short-ttl');
    expect(
      (await client.send(new DescribeTimeToLiveCommand({ TableName: 'short-ttl' }))).TimeToLiveDescription,
    ).toEqual({
      TimeToLiveStatus: 'DISABLED',
    });
  });

  it('refuses to start a second stack on a data dir in use, naming the folder', async () => {
    await expect(startTestStack({ dataDir: testStack.dataDir })).rejects.toThrow(
      /in use by process \d+ \(another local stack\?\)/,
    );
    expect((await client.send(new ListTablesCommand({}))).TableNames).toContain('cache');
  });

  it('answers malformed requests with DynamoDB errors and stays healthy', async () => {
    const url = new URL(testStack.endpoint);
    const post = (target: string, body: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/',
            headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const badJson = await post('DynamoDB_20120810.GetItem', '{not json');
    expect([badJson.status, JSON.parse(badJson.body).__type]).toEqual([
      400,
      expect.stringContaining('SerializationException'),
    ]);
    const unknown = await post('DynamoDB_20120810.Explode', '{}');
    expect(JSON.parse(unknown.body).__type).toContain('UnknownOperationException');
    const wrongType = await post('DynamoDB_20120810.GetItem', JSON.stringify({ TableName: 'cache', Key: 'pk' }));
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.body).__type).toMatch(/SerializationException|ValidationException/);
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toContain('cache');
  });
});

describe('restart', () => {
  it('keeps tables, items and TTL settings across a restart', async () => {
    await doc.send(new PutCommand({ TableName: 'runs', Item: { pk: 'persist', sk: '1', note: 'kept' } }));
    client.destroy();
    testStack = await testStack.restart();
    connect();
    expect((await doc.send(new GetCommand({ TableName: 'runs', Key: { pk: 'persist', sk: '1' } }))).Item?.note).toBe(
      'kept',
    );
    expect((await client.send(new DescribeTimeToLiveCommand({ TableName: 'cache' }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
  });
});
