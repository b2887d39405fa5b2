// Types for the parts of s3rver (which ships none) that the local S3 service uses.
declare module 's3rver' {
  import type { Server } from 'node:http';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
  }

  class S3rver {
    constructor(options: S3rverOptions);
    store: unknown;
    context: { store: unknown };
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    httpServer?: Server;
  }
  export = S3rver;
}

declare module 's3rver/lib/stores/filesystem' {
  import type { Readable } from 'node:stream';

  /** s3rver's object model: content is a stream or a buffer; metadata holds lower-case header names. */
  interface S3rverObject {
    bucket: string;
    key: string;
    content: Readable | Buffer;
    metadata: Record<string, string>;
  }

  class FilesystemStore {
    constructor(rootDirectory: string);
    rootDirectory: string;
    getBucketPath(bucket: string): string;
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
    putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
    putPart(
      bucket: string,
      uploadId: string,
      partNumber: string | number,
      content: Readable,
    ): Promise<{ size: number; md5: string }>;
    copyObject(
      srcBucket: string,
      srcKey: string,
      destBucket: string,
      destKey: string,
      replacementMetadata: Record<string, string> | null,
    ): Promise<Record<string, string>>;
  }
  export = FilesystemStore;
}

declare module 's3rver/lib/models/object' {
  /**
   * s3rver's object as a PutObject request describes it: keeps the stored headers (content type, cache control,
   * `x-amz-meta-*`...), defaults the content type to `binary/octet-stream`, refuses an unknown storage class.
   */
  class S3Object {
    constructor(bucket: string, key: string, content: unknown, headers: Record<string, unknown>);
    bucket: string;
    key: string;
    metadata: Record<string, string>;
  }
  export = S3Object;
}
