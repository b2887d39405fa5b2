import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { QueryUnavailableError } from '../../errors';
import type { ResultChunk, ResultStore } from '../../ports/ResultStore';

/**
 * Result objects in S3, read with ranged GETs (`Range: bytes=start-end`). A missing object (expired by the
 * results bucket's lifecycle rule) reads as undefined, which the query service treats as a miss.
 */
export class S3ResultStore implements ResultStore {
  constructor(private readonly s3: S3Client) {}

  async read(location: string, start: number, length: number): Promise<ResultChunk | undefined> {
    const { bucket, key } = parseS3Url(location);
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${start + Math.max(1, length) - 1}` }),
      );
      const bytes = Buffer.from((await out.Body?.transformToByteArray()) ?? new Uint8Array());
      const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
      return { bytes, totalBytes: total === undefined ? start + bytes.length : Number(total) };
    } catch (err) {
      if (isMissing(err)) return undefined;
      if (isInvalidRange(err)) return this.pastTheEnd(bucket, key);
      throw new QueryUnavailableError(`Could not read the result object ${location}; retry in 2 s.`, 2, err);
    }
  }

  /** A range starting at or after the end of the object: no bytes, and the object's size. */
  private async pastTheEnd(bucket: string, key: string): Promise<ResultChunk | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { bytes: Buffer.alloc(0), totalBytes: head.ContentLength ?? 0 };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw new QueryUnavailableError(`Could not read the result object s3://${bucket}/${key}.`, 2, err);
    }
  }
}

/** Splits `s3://bucket/key` into its parts. */
export function parseS3Url(location: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!m) throw new Error(`Not an s3:// object URL: ${location}`);
  return { bucket: m[1]!, key: m[2]! };
}

function isMissing(err: unknown): boolean {
  if (err instanceof NoSuchKey || err instanceof NotFound) return true;
  const name = (err as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket';
}

function isInvalidRange(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'InvalidRange' || e?.$metadata?.httpStatusCode === 416;
}
