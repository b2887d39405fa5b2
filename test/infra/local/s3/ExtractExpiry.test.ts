import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BUCKETS, EXTRACTS_EXPIRE_AFTER_DAYS } from '../../../../infra/resources';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;
let s3: S3Client;
const BUCKET = BUCKETS.results.localName;

beforeAll(async () => {
  testStack = await startTestStack();
  s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const key of ['extracts/owner/a/part-0', 'extracts/owner/a.json', 'athena/q.csv']) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));
  }
});

afterAll(async () => {
  s3?.destroy();
  await testStack?.stop();
});

const keys = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key).sort();

describe('the local expire-extracts rule', () => {
  it('keeps extracts younger than EXTRACTS_EXPIRE_AFTER_DAYS and deletes older ones, and nothing outside extracts/', async () => {
    const expiry = testStack.stack.extractExpiry;
    expect(await expiry.sweep(new Date())).toBe(0);
    expect(await keys()).toEqual(['athena/q.csv', 'extracts/owner/a.json', 'extracts/owner/a/part-0']);
    const later = new Date(Date.now() + (EXTRACTS_EXPIRE_AFTER_DAYS * 86_400 + 60) * 1000);
    expect(await expiry.sweep(later)).toBe(2);
    expect(await keys()).toEqual(['athena/q.csv']);
  });
});
