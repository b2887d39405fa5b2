import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { bootstrapResources } from '../../../../infra/local/bootstrap';
import { BUCKETS, TABLES } from '../../../../infra/resources';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;

beforeAll(async () => {
  testStack = await startTestStack();
});

afterAll(async () => {
  await testStack.stop();
});

describe('bootstrapResources on the local S3 and DynamoDB', () => {
  it('creates every bucket and table of infra/resources.ts, and runs again without error', async () => {
    await bootstrapResources(testStack.clientConfig);
    await bootstrapResources(testStack.clientConfig);

    const s3 = new S3Client({ ...testStack.clientConfig });
    const dynamodb = new DynamoDBClient({ ...testStack.clientConfig });
    try {
      for (const bucket of Object.values(BUCKETS)) {
        await expect(s3.send(new HeadBucketCommand({ Bucket: bucket.localName }))).resolves.toBeDefined();
      }
      for (const table of Object.values(TABLES)) {
        const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table.localName }));
        expect(Table?.TableStatus).toBe('ACTIVE');
        expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(
          [table.partitionKey, table.sortKey].filter((name) => name !== undefined),
        );
        const { TimeToLiveDescription } = await dynamodb.send(
          new DescribeTimeToLiveCommand({ TableName: table.localName }),
        );
        expect(TimeToLiveDescription).toEqual(
          table.ttlAttribute
            ? { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttlAttribute }
            : { TimeToLiveStatus: 'DISABLED' },
        );
      }
    } finally {
      s3.destroy();
      dynamodb.destroy();
    }
  });
});
