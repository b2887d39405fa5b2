import { createHash } from 'node:crypto';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  BucketAlreadyOwnedByYou,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  NoSuchBucket,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;
let s3: S3Client;
const BUCKET = 'conformance';

beforeAll(async () => {
  testStack = await startTestStack();
  s3 = new S3Client({ ...testStack.clientConfig });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  s3.destroy();
  await testStack.stop();
});

const put = (Key: string, Body: string | Buffer, Bucket = BUCKET) =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body }));
const text = async (Key: string, Range?: string) => {
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key, Range }));
  return { body: await got.Body!.transformToString(), got };
};
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function listAll(params: { Prefix?: string; Delimiter?: string; MaxKeys?: number }, Bucket = BUCKET) {
  const pages: ListObjectsV2CommandOutput[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, ...params, ContinuationToken }));
    pages.push(page);
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return {
    pages,
    keys: pages.flatMap((p) => (p.Contents ?? []).map((c) => c.Key)),
    prefixes: pages.flatMap((p) => (p.CommonPrefixes ?? []).map((c) => c.Prefix)),
  };
}

/** A raw HTTP request to the edge endpoint, for what the SDK never sends (broken bodies, virtual hosts). */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(testStack.endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local S3 through the AWS SDK v3', () => {
  it('answers BucketAlreadyOwnedByYou when a bucket is created again', async () => {
    await expect(s3.send(new CreateBucketCommand({ Bucket: BUCKET }))).rejects.toBeInstanceOf(BucketAlreadyOwnedByYou);
  });

  it('lists buckets and deletes only empty ones', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'short-lived' }));
    await put('x', 'y', 'short-lived');
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual(expect.arrayContaining([BUCKET, 'short-lived']));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'short-lived' }))).rejects.toMatchObject({
      name: 'BucketNotEmpty',
    });
    await s3.send(new DeleteObjectCommand({ Bucket: 'short-lived', Key: 'x' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'short-lived' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'short-lived' }))).rejects.toBeInstanceOf(NotFound);
  });

  it('accepts any header credentials, as the other local services do, but checks presigned URLs (presignedUrls.test.ts)', async () => {
    await put('auth/open.txt', 'no signature check');
    const stranger = new S3Client({
      ...testStack.clientConfig,
      credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' },
    });
    try {
      const got = await stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'auth/open.txt' }));
      expect(await got.Body!.transformToString()).toBe('no signature check');
    } finally {
      stranger.destroy();
    }
    const query =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=SOMEONE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00ff';
    const presigned = await rawRequest('GET', `/${BUCKET}/auth/open.txt?${query}`, {});
    expect(presigned.status).toBe(403);
    expect(presigned.body).toContain('<Code>InvalidAccessKeyId</Code>');
  });

  it('stores an object sent aws-chunked with a CRC32 trailer and reads back exactly its bytes', async () => {
    const written = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'docs/hello.txt',
        Body: 'hello, examlake',
        ContentType: 'text/plain',
        Metadata: { origin: 'test' },
      }),
    );
    expect(written.ETag).toBe(`"${md5(Buffer.from('hello, examlake'))}"`);
    const { body, got } = await text('docs/hello.txt');
    expect(body).toBe('hello, examlake');
    expect(got.ContentType).toBe('text/plain');
    expect(got.ContentLength).toBe(15);
    expect(got.ETag).toBe(written.ETag);
    expect(got.Metadata).toEqual({ origin: 'test' });
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('reads object heads and reports missing keys and buckets as the SDK classes', async () => {
    await put('head/me.csv', 'a,b\n1,2\n');
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head/me.csv' }));
    expect(head.ContentLength).toBe(8);
    expect(head.LastModified).toBeInstanceOf(Date);
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head/none' }))).rejects.toBeInstanceOf(NotFound);
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'head/none' }))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))).rejects.toBeInstanceOf(
      NoSuchBucket,
    );
    await expect(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' }))).rejects.toBeInstanceOf(NoSuchBucket);
    await expect(put('x', 'y', 'no-such-bucket')).rejects.toBeInstanceOf(NoSuchBucket);
    await expect(put('big', Buffer.alloc(3 * 1024 * 1024), 'no-such-bucket')).rejects.toBeInstanceOf(NoSuchBucket);
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' }))).rejects.toBeInstanceOf(NotFound);
  });

  it('answers ranged GETs with 206 and Content-Range', async () => {
    await put('range/digits.txt', '0123456789');
    const cases: [string, string, string][] = [
      ['bytes=2-5', '2345', 'bytes 2-5/10'],
      ['bytes=0-0', '0', 'bytes 0-0/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
    ];
    for (const [range, expected, contentRange] of cases) {
      const { body, got } = await text('range/digits.txt', range);
      expect([range, body, got.ContentRange, got.$metadata.httpStatusCode]).toEqual([
        range,
        expected,
        contentRange,
        206,
      ]);
    }
    const beyond = s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range/digits.txt', Range: 'bytes=10-' }));
    await expect(beyond).rejects.toMatchObject({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } });
  });

  it('honours conditional GETs and response header overrides', async () => {
    const { ETag } = await put('cond/report.csv', 'a,b\n');
    const notModified = await s3
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond/report.csv', IfNoneMatch: ETag }))
      .catch((e: { $metadata?: { httpStatusCode?: number } }) => e);
    expect(notModified.$metadata?.httpStatusCode).toBe(304);
    const failed = s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cond/report.csv', IfMatch: '"0000"' }));
    await expect(failed).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    const matched = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'cond/report.csv',
        IfMatch: ETag,
        ResponseContentType: 'text/csv',
        ResponseContentDisposition: 'attachment; filename="report.csv"',
      }),
    );
    expect([matched.ContentType, matched.ContentDisposition]).toEqual([
      'text/csv',
      'attachment; filename="report.csv"',
    ]);
    expect(await matched.Body!.transformToString()).toBe('a,b\n');
    const unchanged = await s3
      .send(
        new HeadObjectCommand({
          Bucket: BUCKET,
          Key: 'cond/report.csv',
          IfModifiedSince: new Date(Date.now() + 60_000),
        }),
      )
      .catch((e: { $metadata?: { httpStatusCode?: number } }) => e);
    expect(unchanged.$metadata?.httpStatusCode).toBe(304);
  });

  it('pages ListObjectsV2 in key byte order with MaxKeys and continuation tokens', async () => {
    const keys = ['list/a-b', 'list/a/x', 'list/a/y', 'list/a0', 'list/b', 'list/c/d/e', 'list/é', 'list/z'];
    await Promise.all(keys.map((key) => put(key, key)));
    const { pages, keys: listed } = await listAll({ Prefix: 'list/', MaxKeys: 3 });
    expect(listed).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(pages.map((p) => p.KeyCount)).toEqual([3, 3, 2]);
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, true, false]);
    const first = pages[0]!.Contents![0]!;
    expect(first).toMatchObject({ Key: 'list/a-b', Size: 8, ETag: `"${md5(Buffer.from('list/a-b'))}"` });
  });

  it('rolls keys up into CommonPrefixes with a Delimiter, counting them in MaxKeys without repeats', async () => {
    const { keys, prefixes, pages } = await listAll({ Prefix: 'list/', Delimiter: '/', MaxKeys: 2 });
    expect(keys).toEqual(['list/a-b', 'list/a0', 'list/b', 'list/z', 'list/é']);
    expect(prefixes).toEqual(['list/a/', 'list/c/']);
    expect(pages.every((p) => (p.KeyCount ?? 0) <= 2)).toBe(true);
  });

  it('rejects a continuation token it did not issue', async () => {
    const forged = s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: 'bm90LWEtdG9rZW4' }));
    await expect(forged).rejects.toMatchObject({ name: 'InvalidArgument' });
  });

  it('deletes one object and many objects', async () => {
    await Promise.all(['del/1', 'del/2', 'del/3'].map((key) => put(key, key)));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del/1' }));
    const many = await s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/3' }] } }),
    );
    expect(many.Deleted?.map((d) => d.Key).sort()).toEqual(['del/2', 'del/3']);
    expect((await listAll({ Prefix: 'del/' })).keys).toEqual([]);
  });

  it('copies an object, keeping its ETag', async () => {
    const source = await put('copy/source.txt', 'copied bytes');
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/target.txt', CopySource: `${BUCKET}/copy/source.txt` }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(source.ETag);
    expect((await text('copy/target.txt')).body).toBe('copied bytes');
    const missing = new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/x', CopySource: `${BUCKET}/copy/none` });
    await expect(s3.send(missing)).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('copies from a source whose key is sent fully percent-encoded (as s3a does: v%3D1)', async () => {
    await put('copy/v=1/part.parquet', 'versioned bytes');
    const encoded = `/${BUCKET}/${encodeURIComponent('copy/v=1/part.parquet')}`;
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/v=2/part.parquet', CopySource: encoded }));
    expect((await text('copy/v=2/part.parquet')).body).toBe('versioned bytes');
  });

  it('answers PreconditionFailed when the copy source no longer has the ETag the caller read', async () => {
    const source = await put('copy/guarded.txt', 'guarded');
    const copy = (ifMatch: string) =>
      s3.send(
        new CopyObjectCommand({
          Bucket: BUCKET,
          Key: 'copy/guarded-copy.txt',
          CopySource: `${BUCKET}/copy/guarded.txt`,
          CopySourceIfMatch: ifMatch,
        }),
      );
    await expect(copy('"0123456789abcdef0123456789abcdef"')).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    await copy(source.ETag!);
    expect((await text('copy/guarded-copy.txt')).body).toBe('guarded');
  });

  it('uploads a 12 MiB object in parts with lib-storage Upload', async () => {
    const data = Buffer.alloc(12 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32BE(i, i);
    const upload = new Upload({ client: s3, params: { Bucket: BUCKET, Key: 'big/12mib.bin', Body: data } });
    await upload.done();
    const stored = await testStack.stack.s3.files.stat(BUCKET, 'big/12mib.bin');
    expect(stored?.size).toBe(data.length);
    expect(md5(await readFile(stored!.path))).toBe(md5(data));
    const tail = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/12mib.bin', Range: 'bytes=-8' }));
    expect(Buffer.from(await tail.Body!.transformToByteArray())).toEqual(data.subarray(data.length - 8));
  });

  it('refuses to complete an upload with a missing part, and forgets an aborted upload', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mpu/bad' }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: 'mpu/bad', UploadId, PartNumber: 1, Body: 'tiny' }),
    );
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      s3.send(
        new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'mpu/bad', UploadId, MultipartUpload: { Parts } }),
      );
    await expect(
      complete([
        { PartNumber: 1, ETag: part.ETag },
        { PartNumber: 2, ETag: '"0"' },
      ]),
    ).rejects.toMatchObject({
      name: 'InvalidPart',
    });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'mpu/bad', UploadId }));
    await expect(complete([{ PartNumber: 1, ETag: part.ETag }])).rejects.toBeInstanceOf(NoSuchUpload);
    expect(await testStack.stack.s3.files.stat(BUCKET, 'mpu/bad')).toBeUndefined();
  });

  it('stores, lists and reads keys with spaces, plus signs, percent signs and non-ASCII characters', async () => {
    const keys = ['odd/a b.csv', 'odd/a+b=c.csv', 'odd/100%.csv', 'odd/élève ☃.csv', 'odd/folder/'];
    for (const key of keys) await put(key, `body of ${key}`);
    expect((await listAll({ Prefix: 'odd/' })).keys).toEqual(
      [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    const urlEncoded = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'odd/', EncodingType: 'url' }));
    expect(urlEncoded.Contents?.map((c) => c.Key)).toContain('odd/a%20b.csv');
    for (const key of keys) expect((await text(key)).body).toBe(`body of ${key}`);
  });

  it('rejects keys it cannot store safely instead of escaping the bucket', async () => {
    for (const key of ['../escape.txt', 'a/../../b', 'a//b', '/leading']) {
      await expect(put(key, 'x')).rejects.toMatchObject({ name: 'InvalidArgument' });
    }
    await expect(put('k'.repeat(1025), 'x')).rejects.toMatchObject({ name: 'KeyTooLongError' });
  });

  it('stores nothing when an aws-chunked body fails its CRC32 trailer', async () => {
    await put('raw/checked.txt', 'previous');
    const headers = {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '5',
      'x-amz-trailer': 'x-amz-checksum-crc32',
    };
    const bad = await rawRequest(
      'PUT',
      `/${BUCKET}/raw/checked.txt`,
      headers,
      '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n',
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<Code>BadDigest</Code>');
    expect((await text('raw/checked.txt')).body).toBe('previous');

    const good = await rawRequest(
      'PUT',
      `/${BUCKET}/raw/checked.txt`,
      headers,
      '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n',
    );
    expect(good.status).toBe(200);
    expect((await text('raw/checked.txt')).body).toBe('hello');

    const truncated = await rawRequest('PUT', `/${BUCKET}/raw/checked.txt`, headers, '5\r\nhel');
    expect(truncated.status).toBe(400);
    expect(truncated.body).toContain('<Code>IncompleteBody</Code>');
    expect((await text('raw/checked.txt')).body).toBe('hello');
  });

  it('keeps the previous version when a client breaks off an upload, and stays healthy', async () => {
    await put('raw/aborted.csv', 'complete version');
    const url = new URL(testStack.endpoint);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(
          `PUT /${BUCKET}/raw/aborted.csv HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: 100000\r\n\r\npartial bytes`,
          () => setTimeout(() => socket.destroy(), 50),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    // The break-off reaches the store asynchronously: wait until its temporary file is gone.
    const tmpDir = path.join(testStack.dataDir, 's3', 'tmp');
    for (let i = 0; i < 200 && (await readdir(tmpDir)).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await readdir(tmpDir)).toEqual([]);
    expect((await text('raw/aborted.csv')).body).toBe('complete version');
  });

  it('verifies a checksum header sent with a plain body', async () => {
    const wrong = s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sum/x', Body: 'abc', ChecksumSHA256: 'AAAA' }));
    await expect(wrong).rejects.toMatchObject({ name: 'BadDigest' });
    expect(await testStack.stack.s3.files.stat(BUCKET, 'sum/x')).toBeUndefined();
  });

  it('serves virtual-host style requests (bucket.localhost) as path style', async () => {
    await put('vhost/v.txt', 'virtual');
    const port = new URL(testStack.endpoint).port;
    const got = await rawRequest('GET', '/vhost/v.txt', { host: `${BUCKET}.localhost:${port}` });
    expect(got.status).toBe(200);
    expect(got.body).toBe('virtual');
  });

  it('keeps every object of many concurrent puts', async () => {
    const keys = Array.from({ length: 24 }, (_, i) => `concurrent/${String(i).padStart(2, '0')}`);
    await Promise.all(keys.map((key) => put(key, `body of ${key}`)));
    await Promise.all(keys.map((key) => put('concurrent/same', key)));
    const { keys: listed } = await listAll({ Prefix: 'concurrent/' });
    expect(listed).toEqual([...keys, 'concurrent/same']);
    expect(keys).toContain((await text('concurrent/same')).body);
  });

  it('keeps writes that race with a delete emptying their folder', async () => {
    const rounds = Array.from({ length: 20 }, (_, i) => `race/d${i}/`);
    await Promise.all(rounds.map((folder) => put(`${folder}first`, '1')));
    await Promise.all(
      rounds.flatMap((folder) => [
        s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${folder}first` })),
        put(`${folder}second`, '2'),
      ]),
    );
    expect((await listAll({ Prefix: 'race/' })).keys).toEqual(
      rounds.map((folder) => `${folder}second`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
  });

  it('answers malformed requests with S3 error documents and stays healthy', async () => {
    const badBucket = await rawRequest('GET', '/Bad_Bucket/x', {});
    expect(badBucket.status).toBe(400);
    expect(badBucket.body).toContain('<Code>InvalidBucketName</Code>');
    const formPost = await rawRequest(
      'POST',
      `/${BUCKET}`,
      { 'content-type': 'multipart/form-data; boundary=x' },
      '--x--',
    );
    expect([formPost.status, formPost.body]).toEqual([501, expect.stringContaining('<Code>NotImplemented</Code>')]);
    const badXml = await rawRequest('POST', `/${BUCKET}?delete`, { 'content-type': 'application/xml' }, '<nope');
    expect(badXml.body).toContain('<Code>MalformedXML</Code>');
    const err = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect((await text('docs/hello.txt')).body).toBe('hello, examlake');
  });
});

describe('the stored objects as files (S3ObjectFiles)', () => {
  it('lists objects under a prefix in key order with paths holding exactly their bytes', async () => {
    const files = await testStack.stack.s3.files.list(BUCKET, 'list/a');
    expect(files.map((f) => f.key)).toEqual(['list/a-b', 'list/a/x', 'list/a/y', 'list/a0']);
    for (const file of files) {
      const bytes = await readFile(file.path);
      expect(bytes.toString()).toBe(file.key);
      expect(file).toMatchObject({ bucket: BUCKET, size: bytes.length, etag: md5(bytes) });
      expect(Math.abs(file.lastModified.getTime() - Date.now())).toBeLessThan(600_000);
    }
  });

  it('lists nothing for an unknown bucket and stats a missing key as undefined', async () => {
    expect(await testStack.stack.s3.files.list('unknown-bucket', '')).toEqual([]);
    expect(await testStack.stack.s3.files.stat(BUCKET, 'list/none')).toBeUndefined();
  });

  it('computes the ETag from the bytes when the ETag file is older than the object (a write in progress)', async () => {
    await put('files/racing.csv', 'new bytes');
    const { path: objectPath } = (await testStack.stack.s3.files.stat(BUCKET, 'files/racing.csv'))!;
    await writeFile(`${objectPath}.md5`, 'ffffffffffffffffffffffffffffffff');
    await utimes(`${objectPath}.md5`, new Date(2020, 0, 1), new Date(2020, 0, 1));
    await utimes(objectPath, new Date(), new Date());
    expect((await testStack.stack.s3.files.stat(BUCKET, 'files/racing.csv'))?.etag).toBe(md5(Buffer.from('new bytes')));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'files/racing.csv' }));
    expect(head.ETag).toBe(`"${md5(Buffer.from('new bytes'))}"`);
  });

  it('reports a new ETag and size when an object is overwritten', async () => {
    await put('files/changing.csv', 'v1');
    const before = await testStack.stack.s3.files.stat(BUCKET, 'files/changing.csv');
    await put('files/changing.csv', 'version two');
    const after = await testStack.stack.s3.files.stat(BUCKET, 'files/changing.csv');
    expect(after?.etag).not.toBe(before?.etag);
    expect(after?.size).toBe(11);
    expect((await readFile(after!.path)).toString()).toBe('version two');
  });
});

describe('restart', () => {
  it('keeps buckets and objects in the data dir across a restart', async () => {
    await put('persist/kept.txt', 'still here');
    testStack = await testStack.restart();
    s3.destroy();
    s3 = new S3Client({ ...testStack.clientConfig });
    expect((await text('persist/kept.txt')).body).toBe('still here');
    await expect(s3.send(new CreateBucketCommand({ Bucket: BUCKET }))).rejects.toBeInstanceOf(BucketAlreadyOwnedByYou);
  });
});
