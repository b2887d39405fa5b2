import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** Query parameters of GetObject that override a response header (for browsers following presigned links). */
const RESPONSE_OVERRIDES = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
} as const;

/**
 * Answers GetObject/HeadObject straight from the stored file: the object's stored headers, ETag, Last-Modified,
 * `Range` (206 with `Content-Range`), the conditional headers (`If-Match`, `If-None-Match`, `If-Modified-Since`,
 * `If-Unmodified-Since`) and `response-*` overrides. The file is opened before its size is read, so a concurrent
 * overwrite (a rename) cannot mix two versions in one answer.
 */
export async function answerGetObject(
  files: S3rverObjectFiles,
  target: { bucket: string; key: string; method: string; query: URLSearchParams },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { bucket, key, method, query } = target;
  const objectPath = files.objectPath(bucket, key);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(objectPath, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw noSuchKey(key);
    throw err;
  }
  try {
    const info = await handle.stat();
    const [metadata, etag] = await Promise.all([files.metadata(bucket, key), files.etagOf(objectPath, info)]);
    const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000);
    const validators = { etag: `"${etag}"`, 'last-modified': lastModified.toUTCString() };
    const precondition = evaluatePreconditions(req, `"${etag}"`, lastModified);
    if (precondition === 412) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
        Condition: req.headers['if-match'] !== undefined ? 'If-Match' : 'If-Unmodified-Since',
      });
    }
    if (precondition === 304) {
      res.writeHead(304, validators);
      res.end();
      return;
    }
    const rangeHeader = req.headers.range;
    const requested = rangeHeader ? parseRange(rangeHeader, info.size) : undefined;
    const range = requested ?? { start: 0, end: info.size - 1 };
    const length = Math.max(0, range.end - range.start + 1);
    const headers: Record<string, string | number> = {
      'content-type': 'binary/octet-stream',
      ...metadata,
      ...validators,
      'accept-ranges': 'bytes',
      'content-length': length,
    };
    for (const [parameter, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = query.get(parameter);
      if (value !== null) headers[header] = value;
    }
    if (requested) headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`;
    res.writeHead(requested ? 206 : 200, headers);
    if (method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    await pipeline(handle.createReadStream({ start: range.start, end: range.end, autoClose: false }), res);
  } finally {
    await handle.close();
  }
}

/** RFC 9110's order: If-Match, If-Unmodified-Since, then If-None-Match, If-Modified-Since (GET/HEAD). */
function evaluatePreconditions(req: IncomingMessage, etag: string, lastModified: Date): 200 | 304 | 412 {
  const { 'if-match': ifMatch, 'if-none-match': ifNoneMatch } = req.headers;
  const ifUnmodifiedSince = parseHttpDate(req.headers['if-unmodified-since']);
  const ifModifiedSince = parseHttpDate(req.headers['if-modified-since']);
  if (ifMatch !== undefined && !matchesEtag(ifMatch, etag)) return 412;
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && lastModified > ifUnmodifiedSince) return 412;
  if (ifNoneMatch !== undefined) return matchesEtag(ifNoneMatch, etag) ? 304 : 200;
  if (ifModifiedSince !== undefined && lastModified <= ifModifiedSince) return 304;
  return 200;
}

export function matchesEtag(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag || `"${tag}"` === etag);
}

function parseHttpDate(header: string | undefined): Date | undefined {
  if (header === undefined) return undefined;
  const date = new Date(header);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function invalidRange(header: string, size: number): S3Error {
  return new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, {
    RangeRequested: header,
    ActualObjectSize: size,
  });
}
