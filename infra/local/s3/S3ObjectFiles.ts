import type { Readable } from 'node:stream';

/** An object as the local S3 store holds it on disk. */
export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  /** Absolute path of the file holding exactly the object's bytes. */
  readonly path: string;
  readonly size: number;
  /** The ETag S3 reports, without quotes. */
  readonly etag: string;
  readonly lastModified: Date;
}

/**
 * Engine-side read access to the local S3 store, the way Athena and Glue read S3 natively on AWS: DuckDB
 * opens the stored files in place instead of downloading them through the API for every query.
 * Writes go through {@link S3ObjectStore.putObject} (the S3 API's PutObject uses it too).
 */
export interface S3ObjectFiles {
  /** Objects whose key starts with `prefix`, sorted by key. An unknown bucket lists nothing. */
  list(bucket: string, prefix: string): Promise<StoredObject[]>;
  /** One object, or undefined when it does not exist. */
  stat(bucket: string, key: string): Promise<StoredObject | undefined>;
}

/** One PutObject, as the S3 API's handler or an engine in the stack (Athena's results) makes it. */
export interface PutObjectInput {
  readonly bucket: string;
  readonly key: string;
  /** Exactly the object's bytes (an upload body is decoded and verified before it gets here). */
  readonly body: Buffer | string | Readable;
  /**
   * Request headers (lower-case) S3 stores with the object: `content-type` (default `binary/octet-stream`),
   * `cache-control`, `content-disposition`, `content-encoding`, `content-language`, `expires`,
   * `x-amz-storage-class`, `x-amz-website-redirect-location`, `x-amz-meta-*`. Others are ignored.
   */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** Who made a write, for the `Object Created` event (S3's request id and source IP). */
export interface PutObjectCaller {
  readonly requestId: string;
  readonly sourceIp: string;
}

/** The local S3 store with its one write path: what the S3 API's PutObject and the stack's engines call. */
export interface S3ObjectStore extends S3ObjectFiles {
  /**
   * Stores an object all or nothing (the bytes become readable in one rename, the ETag and stored headers
   * right after, before this resolves), then publishes `Object Created` (reason `PutObject`) before resolving.
   * Throws `S3Error` NoSuchBucket, InvalidBucketName, InvalidArgument/KeyTooLongError (key), InvalidStorageClass.
   */
  putObject(input: PutObjectInput, caller?: PutObjectCaller): Promise<StoredObject>;
}
