import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from '../config';
import type { ResultWriter } from './QueryExecutions';

/** Reads result objects back (GetQueryResults) through the S3 API. */
export interface ResultReader {
  /** The object's text, or undefined when it does not exist (expired, deleted). */
  get(bucket: string, key: string): Promise<string | undefined>;
}

/**
 * Result reads and writes through the stack's own S3 endpoint with the SDK, exactly as Athena writes to S3 on
 * AWS: the object-created notification fires, and every reader sees the same bytes.
 */
export function s3Results(endpoint: string, region: string): ResultWriter & ResultReader & { destroy(): void } {
  const client = new S3Client({ endpoint, region, credentials: { ...LOCAL_CREDENTIALS }, forcePathStyle: true });
  return {
    async put(bucket, key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async get(bucket, key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await out.Body?.transformToString('utf8')) ?? '';
      } catch (err) {
        if (err instanceof NoSuchKey) return undefined;
        throw err;
      }
    },
    destroy: () => client.destroy(),
  };
}
