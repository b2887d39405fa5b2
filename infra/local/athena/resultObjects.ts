import { readFile } from 'node:fs/promises';
import type { S3ObjectStore } from '../s3/S3ObjectFiles';
import type { ResultWriter } from './QueryExecutions';

/** Reads result objects back (GetQueryResults after the rows left memory). */
export interface ResultReader {
  /** The object's text, or undefined when it does not exist (expired, deleted). */
  get(bucket: string, key: string): Promise<string | undefined>;
}

/**
 * Result writes and reads in process, through the local S3 store's own PutObject path (the one the S3 API's
 * PutObject uses): the same bytes, ETag, content type and `Object Created` event as a PutObject over HTTP, without
 * the two HTTP hops (edge, then s3rver) per object.
 */
export function resultObjects(store: S3ObjectStore): ResultWriter & ResultReader {
  return {
    async put(bucket, key, body, contentType) {
      await store.putObject({ bucket, key, body, headers: { 'content-type': contentType } });
    },
    async get(bucket, key) {
      const object = await store.stat(bucket, key);
      if (!object) return undefined;
      try {
        return await readFile(object.path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // deleted since
        throw err;
      }
    },
  };
}
