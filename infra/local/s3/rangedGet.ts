import { open, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { noSuchKey, S3Error } from './S3Error';
import type { S3rverObjectFiles } from './S3rverObjectFiles';

/** An inclusive byte range of an object, resolved against its size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a single `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` header against an object's size. Returns undefined
 * for a header S3 ignores (not `bytes=`, several ranges, malformed: the whole object is answered), and throws
 * `InvalidRange` (416) for a range that starts beyond the object.
 */
export function parseRange(header: string, size: number): ByteRange | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) throw invalidRange(header, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return undefined;
  }
  if (start >= size) throw invalidRange(header, size);
  return { start, end };
}

/**
 * Answers a ranged GetObject/HeadObject from the stored file: `206 Partial Content` with `Content-Range`, the
 * object's ETag, Last-Modified and stored headers. The file is opened before its size is read, so a concurrent
 * overwrite (a rename) cannot mix two versions in one answer.
 */
export async function answerRangedGet(
  files: S3rverObjectFiles,
  bucket: string,
  key: string,
  rangeHeader: string,
  method: string,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const objectPath = files.resourcePath(bucket, key, 'object');
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(objectPath, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchKey(key);
    throw err;
  }
  try {
    const info = await handle.stat();
    const [metadata, etag] = await Promise.all([
      files.metadata(bucket, key),
      readFile(`${objectPath}.md5`, 'utf8').then(
        (text) => text.trim(),
        () => undefined,
      ),
    ]);
    const requested = parseRange(rangeHeader, info.size);
    const range = requested ?? { start: 0, end: info.size - 1 };
    const partial = requested !== undefined;
    const length = Math.max(0, range.end - range.start + 1);
    const headers: Record<string, string | number> = {
      'content-type': 'binary/octet-stream',
      ...metadata,
      'accept-ranges': 'bytes',
      'last-modified': info.mtime.toUTCString(),
      'content-length': length,
      'x-amz-request-id': requestId,
    };
    if (etag) headers.etag = `"${etag}"`;
    if (partial) headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
    res.writeHead(partial ? 206 : 200, headers);
    if (method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    await pipeline(handle.createReadStream({ start: range.start, end: range.end, autoClose: false }), res);
  } finally {
    await handle.close();
  }
}

function invalidRange(header: string, size: number): S3Error {
  return new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, {
    RangeRequested: header,
    ActualObjectSize: size,
  });
}
