import type { IncomingMessage } from 'node:http';
import { S3Error } from './S3Error';

/** What an S3 REST request addresses, in path style whatever style the client used. */
export interface S3Target {
  readonly method: string;
  readonly bucket?: string;
  /** Decoded object key; undefined for service and bucket requests. */
  readonly key?: string;
  readonly query: URLSearchParams;
  /** Path-style request target (`/<bucket>/<key>?<query>`) with the original encoding, for s3rver. */
  readonly pathAndQuery: string;
}

/**
 * Reads the bucket and key of a request. Virtual-host style (`<bucket>.localhost:4566/<key>`, what SDKs send for
 * an endpoint named `localhost`) is rewritten to path style (`/<bucket>/<key>`), the only style s3rver serves.
 */
export function s3Target(req: IncomingMessage): S3Target {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  let rawPath = queryStart < 0 ? url : url.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : url.slice(queryStart);
  if (!rawPath.startsWith('/')) throw new S3Error('InvalidURI', "Couldn't parse the specified URI.");
  const vhostBucket = virtualHostBucket(req.headers.host);
  if (vhostBucket) rawPath = `/${vhostBucket}${rawPath}`;
  const slash = rawPath.indexOf('/', 1);
  const rawBucket = slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash);
  const rawKey = slash < 0 ? undefined : rawPath.slice(slash + 1);
  let bucket: string | undefined;
  let key: string | undefined;
  try {
    bucket = rawBucket ? decodeURIComponent(rawBucket) : undefined;
    key = rawKey ? decodeURIComponent(rawKey) : undefined;
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.");
  }
  return {
    method: req.method ?? 'GET',
    bucket,
    key,
    query: new URLSearchParams(rawQuery),
    pathAndQuery: rawPath + withoutAuthParameters(rawQuery),
  };
}

/** Query-string authentication (presigned URLs), which the local S3 does not check: not passed on to s3rver. */
const AUTH_PARAMETERS = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-signature',
  'x-amz-signedheaders',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'signature',
  'awsaccesskeyid',
  'expires',
]);

function withoutAuthParameters(rawQuery: string): string {
  if (rawQuery === '') return '';
  const kept = rawQuery
    .slice(1)
    .split('&')
    .filter((pair) => {
      const name = pair.split('=', 1)[0] ?? '';
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // keep the raw name
      }
      return pair !== '' && !AUTH_PARAMETERS.has(decoded.toLowerCase());
    });
  return kept.length ? `?${kept.join('&')}` : '';
}

/** The bucket named by a `Host: <bucket>.localhost[:port]` header, if any. */
export function virtualHostBucket(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  const match = /^(.+)\.localhost$/.exec(hostname);
  return match ? match[1] : undefined;
}

/** Query parameters that do not select an operation: the SDK's `x-id`, response header overrides, versionId. */
function isPlainParameter(name: string): boolean {
  return name === 'x-id' || name === 'versionId' || name.startsWith('response-');
}

/** The query parameters that select an S3 sub-resource or operation (`uploads`, `uploadId`, `delete`, `tagging`...). */
export function subresources(query: URLSearchParams): string[] {
  return [...new Set(query.keys())].filter((name) => !isPlainParameter(name));
}

const LISTING_PARAMETERS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'marker',
]);

/** Whether a bucket GET is ListObjects/ListObjectsV2 (rather than a sub-resource such as `?location`). */
export function isListing(query: URLSearchParams): boolean {
  return subresources(query).every((name) => LISTING_PARAMETERS.has(name));
}

/** Bucket names S3 accepts: 3–63 lower-case letters, digits, dots and hyphens, starting and ending alphanumeric. */
export function assertBucketName(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new S3Error(
      'InvalidBucketName',
      'The specified bucket is not valid: bucket names are 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.',
      400,
      { BucketName: bucket },
    );
  }
}
