import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

import FilesystemStore = require('s3rver/lib/stores/filesystem');

import { OBJECT_RESOURCES, S3rverLayout } from '../../../../infra/local/s3/S3rverLayout';
import { startTestStack, type TestStack } from '../../../support/localStack';

const BUCKET = 'layout';
const KEYS = ['top.csv', 'exam_results/year=2025/month=09/part 1.parquet', 'a/b/c/é – ü.json', 'trailing/'];

describe('S3rverLayout against the installed s3rver', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'examlake-layout-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("names every object file and upload folder as s3rver's own file store does", () => {
    const s3rver = new FilesystemStore(root);
    const layout = new S3rverLayout(root);
    for (const key of KEYS) {
      for (const resource of Object.values(OBJECT_RESOURCES)) {
        expect(layout.resourcePath(BUCKET, key, resource)).toBe(s3rver.getResourcePath(BUCKET, key, resource));
      }
      const objectPath = layout.objectPath(BUCKET, key);
      expect(layout.etagPathOf(objectPath)).toBe(s3rver.getResourcePath(BUCKET, key, OBJECT_RESOURCES.etag));
    }
    expect(layout.bucketPath(BUCKET)).toBe(s3rver.getBucketPath(BUCKET));
    expect(layout.uploadPath(BUCKET, 'u1')).toBe(path.join(s3rver.getResourcePath(BUCKET, undefined, 'uploads'), 'u1'));
  });

  it("reads what s3rver's own file store writes: the bytes, the ETag, the stored headers, the key", async () => {
    const s3rver = new FilesystemStore(root);
    const layout = new S3rverLayout(root);
    const key = 'exam_results/year=2025/part 1.csv';
    const body = Buffer.from('result_id,score\nR1,42\n');
    await s3rver.putObject({
      bucket: BUCKET,
      key,
      content: Readable.from([body]),
      metadata: { 'content-type': 'text/csv', 'x-amz-meta-source': 'platform' },
    });
    const objectPath = layout.objectPath(BUCKET, key);
    expect(await readFile(objectPath)).toEqual(body);
    expect((await readFile(layout.etagPathOf(objectPath), 'utf8')).trim()).toBe(
      createHash('md5').update(body).digest('hex'),
    );
    expect(JSON.parse(await readFile(layout.resourcePath(BUCKET, key, OBJECT_RESOURCES.metadata), 'utf8'))).toEqual({
      'content-type': 'text/csv',
      'x-amz-meta-source': 'platform',
    });
    const names = await readdir(path.dirname(objectPath));
    expect(names.map((n) => S3rverLayout.keySegmentOf(n)).filter((s) => s !== undefined)).toEqual(['part 1.csv']);
  });
});

describe('S3rverLayout under the local S3 API', () => {
  let t: TestStack;
  let s3: S3Client;
  let layout: S3rverLayout;

  beforeAll(async () => {
    t = await startTestStack();
    s3 = new S3Client({ ...t.clientConfig });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    layout = new S3rverLayout(path.join(t.dataDir, 's3', 'buckets'));
  });
  afterAll(async () => {
    s3.destroy();
    await t.stop();
  });

  it('finds an object written by PutObject where the layout says, with its ETag and headers', async () => {
    const key = 'a/b/c/é – ü.json';
    const body = '{"score": 42}';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        Metadata: { run: 'jr_1' },
      }),
    );
    const objectPath = layout.objectPath(BUCKET, key);
    expect(await readFile(objectPath, 'utf8')).toBe(body);
    expect(`"${(await readFile(layout.etagPathOf(objectPath), 'utf8')).trim()}"`).toBe(put.ETag);
    expect(JSON.parse(await readFile(layout.resourcePath(BUCKET, key, OBJECT_RESOURCES.metadata), 'utf8'))).toEqual({
      'content-type': 'application/json',
      'x-amz-meta-run': 'jr_1',
    });
    expect(S3rverLayout.keySegmentOf(path.basename(objectPath))).toBe('é – ü.json');
  });

  it('finds a pending multipart upload, its key and its parts where the layout says', async () => {
    const key = 'uploads/big.csv';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const part = Buffer.from('result_id\nR1\n');
    const uploaded = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: part }),
    );
    expect(await readFile(layout.uploadKeyPath(BUCKET, UploadId!), 'utf8')).toBe(key);
    expect(await readFile(layout.partPath(BUCKET, UploadId!, 1))).toEqual(part);
    expect(`"${(await readFile(`${layout.partPath(BUCKET, UploadId!, 1)}.md5`, 'utf8')).trim()}"`).toBe(uploaded.ETag);
    expect(S3rverLayout.isStoreFolder(path.basename(path.dirname(layout.uploadPath(BUCKET, UploadId!))))).toBe(true);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId }));
  });
});
