import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

import S3Object = require('s3rver/lib/models/object');

import type { AtomicFilesystemStore } from './AtomicFilesystemStore';
import { noSuchBucket, S3Error } from './S3Error';
import type { S3EventPublisher } from './S3EventPublisher';
import type { PutObjectCaller, PutObjectInput, S3ObjectStore, StoredObject } from './S3ObjectFiles';
import { assertStorableKey, type S3rverObjectFiles } from './S3rverObjectFiles';
import { assertBucketName } from './s3Request';

/** The caller of a write made inside the stack (no HTTP request): a fresh request id, the loopback address. */
function inProcessCaller(): PutObjectCaller {
  return { requestId: randomBytes(8).toString('hex').toUpperCase(), sourceIp: '127.0.0.1' };
}

/**
 * The local S3 store: reads in place (`S3rverObjectFiles`) and the single PutObject write path, shared by the
 * S3 API's PutObject handler and by engines inside the stack (local Athena writing its results), so both store
 * the same bytes, ETag, size, content type and metadata, and both publish the same `Object Created` event.
 * The write is s3rver's store with all-or-nothing files ({@link AtomicFilesystemStore}), the same one s3rver
 * itself uses for copies and multipart uploads.
 */
export class LocalObjectStore implements S3ObjectStore {
  constructor(
    private readonly files: S3rverObjectFiles,
    private readonly store: AtomicFilesystemStore,
    private readonly publisher: S3EventPublisher,
  ) {}

  list(bucket: string, prefix: string): Promise<StoredObject[]> {
    return this.files.list(bucket, prefix);
  }

  stat(bucket: string, key: string): Promise<StoredObject | undefined> {
    return this.files.stat(bucket, key);
  }

  async putObject(input: PutObjectInput, caller: PutObjectCaller = inProcessCaller()): Promise<StoredObject> {
    const { bucket, key } = input;
    assertBucketName(bucket);
    assertStorableKey(key);
    // Validates the stored headers (storage class) and defaults the content type exactly as s3rver's PutObject.
    let object: S3Object;
    try {
      object = new S3Object(bucket, key, null, { ...input.headers });
    } catch (err) {
      const { code, message } = err as { code?: unknown; message?: unknown };
      throw new S3Error(typeof code === 'string' ? code : 'InvalidArgument', String(message));
    }
    if (!(await this.files.bucketExists(bucket))) {
      if (input.body instanceof Readable) input.body.resume();
      throw noSuchBucket(bucket);
    }
    const content = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
    const { size, md5 } = await this.store.putObject({ bucket, key, content, metadata: object.metadata });
    const path = this.files.objectPath(bucket, key);
    // A delete racing this write may have removed the file already: the write itself still succeeded.
    const lastModified = (await stat(path).catch(() => undefined))?.mtime ?? new Date();
    const stored: StoredObject = { bucket, key, path, size, etag: md5, lastModified };
    this.publisher.created(stored, 'PutObject', caller);
    return stored;
  }
}
