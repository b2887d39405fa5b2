import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type StorageClass,
} from '@aws-sdk/client-s3';
import type { EmittedS3ObjectCreatedDetail } from '../../../../infra/local/s3/S3EventPublisher';
import { bucketWithEvents } from './support/bucketWithEvents';

const BUCKET = 'in-process';
const t = bucketWithEvents<EmittedS3ObjectCreatedDetail>(
  BUCKET,
  { source: ['aws.s3'], detailType: ['Object Created'] },
  { forcePathStyle: true },
);
const created = t.events;

const store = () => t.testStack.stack.s3.files;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** What the SDK sees of an object: head, body and its ListObjectsV2 entry. */
async function seenThroughSdk(key: string) {
  const head = await t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  const body = await (await t.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString();
  const listed = await t.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }));
  return {
    etag: head.ETag,
    size: head.ContentLength,
    type: head.ContentType,
    metadata: head.Metadata,
    body,
    listed: listed.Contents?.map((o) => [o.Key, o.Size, o.ETag]),
  };
}

describe('the local S3 store’s in-process PutObject', () => {
  it('stores an object the SDK heads, reads and lists right away, exactly as a PutObject through the API', async () => {
    const text = '"a","b"\n"1","2"\n';
    const headers = { 'content-type': 'text/csv', 'x-amz-meta-origin': 'athena' };
    const stored = await store().putObject({ bucket: BUCKET, key: 'results/q1.csv', body: text, headers });
    const viaApi = await t.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'results/q2.csv',
        Body: text,
        ContentType: 'text/csv',
        Metadata: { origin: 'athena' },
      }),
    );
    expect(stored).toMatchObject({ bucket: BUCKET, key: 'results/q1.csv', size: text.length, etag: md5(text) });
    const inProcess = await seenThroughSdk('results/q1.csv');
    expect(inProcess).toEqual({
      etag: `"${md5(text)}"`,
      size: text.length,
      type: 'text/csv',
      metadata: { origin: 'athena' },
      body: text,
      listed: [['results/q1.csv', text.length, `"${md5(text)}"`]],
    });
    expect(viaApi.ETag).toBe(inProcess.etag);
    expect({ ...(await seenThroughSdk('results/q2.csv')), listed: undefined }).toEqual({
      ...inProcess,
      listed: undefined,
    });

    await t.testStack.stack.events.drain();
    expect(
      created.map((e) => [e.detail.object.key, e.detail.object.size, e.detail.object.etag, e.detail.reason]),
    ).toEqual([
      ['results/q1.csv', text.length, md5(text), 'PutObject'],
      ['results/q2.csv', text.length, md5(text), 'PutObject'],
    ]);
    expect(created[0]?.detail['request-id']).toMatch(/^[0-9A-F]{16}$/);
  });

  it('gives an object without a content type S3’s default', async () => {
    await store().putObject({ bucket: BUCKET, key: 'plain.bin', body: Buffer.from([1, 2, 3]) });
    const head = await t.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'plain.bin' }));
    expect([head.ContentType, head.ContentLength]).toEqual(['binary/octet-stream', 3]);
  });

  it('refuses an unknown bucket, an unstorable key and an unknown storage class with S3’s error codes', async () => {
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'stored',
        (err: { code?: string }) => err.code,
      );
    expect(await codeOf(store().putObject({ bucket: 'no-such-bucket', key: 'a', body: 'x' }))).toBe('NoSuchBucket');
    expect(await codeOf(store().putObject({ bucket: BUCKET, key: 'a/../b', body: 'x' }))).toBe('InvalidArgument');
    expect(
      await codeOf(
        store().putObject({ bucket: BUCKET, key: 'c', body: 'x', headers: { 'x-amz-storage-class': 'NOPE' } }),
      ),
    ).toBe('InvalidStorageClass');
    const listed = await t.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'a' }));
    expect(listed.KeyCount).toBe(0);
    await t.testStack.stack.events.drain();
    expect(created).toEqual([]);
  });

  it('answers a PutObject through the API with an unknown storage class with InvalidStorageClass', async () => {
    const err = await t.s3
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'classy', Body: 'x', StorageClass: 'NOPE' as StorageClass }))
      .catch((e: Error) => e);
    expect([
      (err as Error).name,
      (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
    ]).toEqual(['InvalidStorageClass', 400]);
    const listed = await t.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'classy' }));
    expect(listed.KeyCount).toBe(0);
  });

  it('keeps the previous version when the body fails midway, and publishes nothing', async () => {
    await store().putObject({ bucket: BUCKET, key: 'kept.csv', body: 'v1\n', headers: { 'content-type': 'text/csv' } });
    created.length = 0;
    const failing = new Readable({
      read() {
        this.push(Buffer.from('v2 partial'));
        this.destroy(new Error('the producer failed'));
      },
    });
    await expect(store().putObject({ bucket: BUCKET, key: 'kept.csv', body: failing })).rejects.toThrow(
      'the producer failed',
    );
    const seen = await seenThroughSdk('kept.csv');
    expect([seen.body, seen.etag, seen.type]).toEqual(['v1\n', `"${md5('v1\n')}"`, 'text/csv']);
    await t.testStack.stack.events.drain();
    expect(created).toEqual([]);
  });
});
