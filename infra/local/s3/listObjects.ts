import { escapeXml, S3Error } from './S3Error';
import type { S3rverObjectFiles } from './S3rverObjectFiles';
import { compareKeys } from './S3rverObjectFiles';

const MAX_KEYS_LIMIT = 1000;
const OWNER = '<Owner><ID>000000000000</ID><DisplayName>local</DisplayName></Owner>';

/** A page position: the last key returned, or the last common prefix returned (whose keys are all skipped). */
interface Position {
  readonly after: string;
  readonly skipPrefix?: string;
}

/**
 * ListObjectsV2 (`list-type=2`) and ListObjects (v1) with S3's semantics: keys in UTF-8 byte order, `MaxKeys`
 * counting keys and common prefixes together (at most 1,000), opaque continuation tokens, `Delimiter` rolling
 * keys up into `CommonPrefixes`, and `encoding-type=url`. Answers the XML document S3 answers.
 */
export async function listObjectsXml(
  files: S3rverObjectFiles,
  bucket: string,
  query: URLSearchParams,
): Promise<string> {
  const v2 = query.get('list-type') === '2';
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = parseMaxKeys(query.get('max-keys'));
  const urlEncoded = query.get('encoding-type') === 'url';
  if (query.has('encoding-type') && !urlEncoded) {
    throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, {
      ArgumentName: 'encoding-type',
    });
  }
  const token = v2 ? query.get('continuation-token') : null;
  const start: Position = token
    ? decodeToken(token, bucket)
    : { after: (v2 ? query.get('start-after') : query.get('marker')) ?? '' };

  const keys = await files.listKeys(bucket, prefix);
  const entries: { key?: string; commonPrefix?: string }[] = [];
  let truncated = false;
  let lastPrefix: string | undefined;
  for (const key of keys) {
    if (compareKeys(key, start.after) <= 0) continue;
    if (start.skipPrefix !== undefined && key.startsWith(start.skipPrefix)) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const commonPrefix = at >= 0 ? key.slice(0, at + delimiter.length) : undefined;
    if (commonPrefix !== undefined && commonPrefix === lastPrefix) continue;
    if (entries.length === maxKeys) {
      truncated = maxKeys > 0;
      break;
    }
    entries.push(commonPrefix !== undefined ? { commonPrefix } : { key });
    lastPrefix = commonPrefix;
  }

  const objects = await Promise.all(
    entries.filter((e) => e.key !== undefined).map((e) => files.stat(bucket, e.key as string)),
  );
  const enc = (text: string) => escapeXml(urlEncoded ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
  const contents = objects
    .filter((o) => o !== undefined)
    .map(
      (o) =>
        `<Contents><Key>${enc(o.key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified>` +
        `<ETag>&quot;${o.etag}&quot;</ETag><Size>${o.size}</Size>${v2 ? '' : OWNER}` +
        '<StorageClass>STANDARD</StorageClass></Contents>',
    );
  const prefixes = entries
    .filter((e) => e.commonPrefix !== undefined)
    .map((e) => `<CommonPrefixes><Prefix>${enc(e.commonPrefix as string)}</Prefix></CommonPrefixes>`);
  const last = entries[entries.length - 1];
  const lastPosition: Position | undefined = last
    ? last.commonPrefix !== undefined
      ? { after: last.commonPrefix, skipPrefix: last.commonPrefix }
      : { after: last.key as string }
    : undefined;

  const parts = [`<Name>${escapeXml(bucket)}</Name>`, `<Prefix>${enc(prefix)}</Prefix>`];
  if (v2) {
    if (token) parts.push(`<ContinuationToken>${escapeXml(token)}</ContinuationToken>`);
    if (!token && query.has('start-after')) parts.push(`<StartAfter>${enc(start.after)}</StartAfter>`);
    if (truncated && lastPosition) {
      parts.push(`<NextContinuationToken>${encodeToken(bucket, lastPosition)}</NextContinuationToken>`);
    }
    parts.push(`<KeyCount>${entries.length}</KeyCount>`);
  } else {
    parts.push(`<Marker>${enc(start.after)}</Marker>`);
    if (truncated && lastPosition && delimiter) parts.push(`<NextMarker>${enc(lastPosition.after)}</NextMarker>`);
  }
  parts.push(`<MaxKeys>${maxKeys}</MaxKeys>`);
  if (delimiter) parts.push(`<Delimiter>${enc(delimiter)}</Delimiter>`);
  if (urlEncoded) parts.push('<EncodingType>url</EncodingType>');
  parts.push(`<IsTruncated>${truncated}</IsTruncated>`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    parts.join('') +
    contents.join('') +
    prefixes.join('') +
    '</ListBucketResult>'
  );
}

function parseMaxKeys(text: string | null): number {
  if (text === null) return MAX_KEYS_LIMIT;
  if (!/^\d+$/.test(text)) {
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, {
      ArgumentName: 'max-keys',
      ArgumentValue: text,
    });
  }
  return Math.min(MAX_KEYS_LIMIT, Number(text));
}

function encodeToken(bucket: string, position: Position): string {
  return Buffer.from(JSON.stringify({ b: bucket, a: position.after, s: position.skipPrefix })).toString('base64url');
}

function decodeToken(token: string, bucket: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      b?: unknown;
      a?: unknown;
      s?: unknown;
    };
    if (
      parsed.b === bucket &&
      typeof parsed.a === 'string' &&
      (parsed.s === undefined || typeof parsed.s === 'string')
    ) {
      return { after: parsed.a, skipPrefix: parsed.s as string | undefined };
    }
  } catch {
    // fall through: not a token this bucket issued
  }
  throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', 400, {
    ArgumentName: 'continuation-token',
  });
}
