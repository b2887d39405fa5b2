import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { EmittedS3ObjectCreatedDetail, S3ObjectDeletedDetail } from '../../../../infra/local/s3/S3EventPublisher';
import { bucketWithEvents } from './support/bucketWithEvents';

const BUCKET = 'events';
const t = bucketWithEvents<EmittedS3ObjectCreatedDetail | S3ObjectDeletedDetail>(BUCKET, { source: ['aws.s3'] });
const received = t.events;

/** Events are delivered asynchronously; drain waits for every delivery started so far. */
async function eventsSoFar() {
  await t.testStack.stack.events.drain();
  return received.map((e) => ({ type: e['detail-type'], detail: e.detail }));
}

describe('S3 events on the local event bus', () => {
  it('publishes Object Created for PutObject with EventBridge detail and envelope', async () => {
    const put = await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'raw/exam_results/a.csv', Body: 'a,b\n' }));
    await t.testStack.stack.events.drain();
    expect(received).toHaveLength(1);
    const [event] = received;
    expect(event).toMatchObject({
      version: '0',
      source: 'aws.s3',
      'detail-type': 'Object Created',
      account: '000000000000',
      region: 'us-east-1',
      resources: [`arn:aws:s3:::${BUCKET}`],
      detail: {
        version: '0',
        bucket: { name: BUCKET },
        object: { key: 'raw/exam_results/a.csv', size: 4, etag: put.ETag!.replace(/"/g, '') },
        requester: '000000000000',
        reason: 'PutObject',
      },
    });
    const detail = event!.detail as EmittedS3ObjectCreatedDetail;
    expect(detail['request-id']).toMatch(/^[0-9A-F]{16}$/);
    expect(detail['source-ip-address']).toBe('127.0.0.1');
    expect(detail.object.sequencer).toMatch(/^[0-9A-F]{16}$/);
  });

  it('publishes Object Created for CopyObject and CompleteMultipartUpload with their reasons', async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'src.txt', Body: 'x' }));
    await t.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.txt', CopySource: `${BUCKET}/src.txt` }));
    const big = Buffer.alloc(6 * 1024 * 1024, 1);
    await new Upload({
      client: t.s3,
      params: { Bucket: BUCKET, Key: 'multi.bin', Body: big },
      partSize: 5 * 1024 * 1024,
    }).done();
    const events = await eventsSoFar();
    expect(events.map((e) => [e.type, (e.detail as EmittedS3ObjectCreatedDetail).reason, e.detail.object.key])).toEqual(
      [
        ['Object Created', 'PutObject', 'src.txt'],
        ['Object Created', 'CopyObject', 'copy.txt'],
        ['Object Created', 'CompleteMultipartUpload', 'multi.bin'],
      ],
    );
    expect((events[2]!.detail as EmittedS3ObjectCreatedDetail).object.size).toBe(big.length);
  });

  it('publishes Object Deleted for each existing object deleted, and nothing for failed writes', async () => {
    await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone/1', Body: '1' }));
    await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone/2', Body: '2' }));
    received.length = 0;
    await t.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone/1' }));
    await t.s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'gone/2' }, { Key: 'gone/never' }] } }),
    );
    await expect(
      t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'bad', Body: 'abc', ChecksumSHA256: 'AAAA' })),
    ).rejects.toMatchObject({ name: 'BadDigest' });
    const events = await eventsSoFar();
    expect(events).toEqual([
      {
        type: 'Object Deleted',
        detail: expect.objectContaining({
          object: expect.objectContaining({ key: 'gone/1' }),
          reason: 'DeleteObject',
          'deletion-type': 'Permanently Deleted',
        }),
      },
      {
        type: 'Object Deleted',
        detail: expect.objectContaining({ object: expect.objectContaining({ key: 'gone/2' }) }),
      },
    ]);
  });

  it('gives later changes of a key greater sequencers', async () => {
    for (const body of ['1', '2', '3'])
      await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'seq', Body: body }));
    const sequencers = (await eventsSoFar()).map((e) => e.detail.object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(3);
  });
});
