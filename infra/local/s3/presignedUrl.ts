import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { S3Error } from './S3Error';

/** The credentials presigned URLs must be signed with (the local stack's fixed ones). */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The longest X-Amz-Expires S3 accepts: 7 days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

/**
 * Query-string authentication (a presigned URL, SigV4) checked as S3 checks it: the algorithm, the credential's
 * access key, `X-Amz-Date` + `X-Amz-Expires` against the clock (`AccessDenied`, "Request has expired"), and the
 * signature recomputed over the canonical request (method, path, every query parameter but the signature, the
 * signed headers, `UNSIGNED-PAYLOAD`): a changed path, parameter or signature is 403 `SignatureDoesNotMatch`.
 * Signature version 2 URLs (`AWSAccessKeyId`, `Expires`, `Signature`: what `aws s3 presign` makes for a custom
 * endpoint) are checked too ({@link verifyV2}). A request with neither in its query is left alone (header
 * authentication is not checked locally).
 */
export function verifyPresignedRequest(
  req: IncomingMessage,
  credentials: SigningCredentials,
  now: Date = new Date(),
): void {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return;
  const rawPath = url.slice(0, queryStart);
  const pairs = url
    .slice(queryStart + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return [decode(eq < 0 ? pair : pair.slice(0, eq)), decode(eq < 0 ? '' : pair.slice(eq + 1))] as const;
    });
  const param = (name: string) => pairs.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  if (param('Signature') !== undefined && param('AWSAccessKeyId') !== undefined) {
    verifyV2(req, rawPath, pairs, credentials, now);
    return;
  }
  const signature = param('X-Amz-Signature');
  if (signature === undefined) return;
  const algorithm = param('X-Amz-Algorithm');
  const credential = param('X-Amz-Credential') ?? '';
  const amzDate = param('X-Amz-Date') ?? '';
  const expiresText = param('X-Amz-Expires') ?? '';
  const signedHeaders = param('X-Amz-SignedHeaders') ?? '';
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw queryParametersError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const [accessKeyId, day, region, service, terminal] = credential.split('/');
  if (!accessKeyId || !/^\d{8}$/.test(day ?? '') || !region || service !== 's3' || terminal !== 'aws4_request') {
    throw queryParametersError(
      `Error parsing the X-Amz-Credential parameter; the credential is malformed: expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    );
  }
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date || !amzDate.startsWith(day!)) {
    throw queryParametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const expires = Number(expiresText);
  if (!Number.isInteger(expires) || expires < 0 || expires > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw queryParametersError(
      `X-Amz-Expires must be a whole number of seconds from 0 to ${MAX_PRESIGNED_EXPIRES_SECONDS} (seven days).`,
    );
  }
  if (accessKeyId !== credentials.accessKeyId) {
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
      AWSAccessKeyId: accessKeyId,
    });
  }
  const signedAt = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!);
  const expiresAt = signedAt + expires * 1000;
  if (now.getTime() > expiresAt) {
    throw new S3Error('AccessDenied', 'Request has expired', 403, {
      'X-Amz-Expires': expires,
      Expires: new Date(expiresAt).toISOString(),
      ServerTime: now.toISOString(),
    });
  }
  const headerNames = signedHeaders.split(';').filter(Boolean);
  if (!headerNames.includes('host')) throw queryParametersError('X-Amz-SignedHeaders must include host.');
  const canonicalRequest = [
    req.method ?? 'GET',
    rawPath
      .split('/')
      .map((segment) => uriEncode(decode(segment)))
      .join('/'),
    pairs
      .filter(([name]) => name !== 'X-Amz-Signature')
      .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
      .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&'),
    headerNames.map((name) => `${name}:${headerValue(req, name)}\n`).join(''),
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day!);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  assertSignature(signature.toLowerCase(), hmac(key, stringToSign).toString('hex'), accessKeyId);
}

/** Sub-resources and response overrides that S3 signs in a version 2 string to sign (sorted). */
const V2_SIGNED_PARAMETERS = new Set([
  'acl',
  'location',
  'logging',
  'partNumber',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
]);

/**
 * Signature version 2 query authentication: `Expires` (epoch seconds) not past, the access key, and
 * `Signature` = base64(HMAC-SHA1(secret, "METHOD\nContent-MD5\nContent-Type\nExpires\n/bucket/key[?sub]")).
 */
function verifyV2(
  req: IncomingMessage,
  rawPath: string,
  pairs: readonly (readonly [string, string])[],
  credentials: SigningCredentials,
  now: Date,
): void {
  const param = (name: string) => pairs.find(([n]) => n === name)?.[1];
  const accessKeyId = param('AWSAccessKeyId')!;
  const expires = Number(param('Expires'));
  if (!Number.isInteger(expires)) throw queryParametersError('Expires must be a number of seconds since the epoch.');
  if (accessKeyId !== credentials.accessKeyId) {
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
      AWSAccessKeyId: accessKeyId,
    });
  }
  if (now.getTime() > expires * 1000) {
    throw new S3Error('AccessDenied', 'Request has expired', 403, {
      Expires: new Date(expires * 1000).toISOString(),
      ServerTime: now.toISOString(),
    });
  }
  const host = String(req.headers.host ?? '')
    .replace(/:\d+$/, '')
    .toLowerCase();
  const vhost = /^(.+)\.localhost$/.exec(host)?.[1];
  const signedParameters = pairs
    .filter(([name]) => V2_SIGNED_PARAMETERS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  const resource = `${vhost ? `/${vhost}` : ''}${rawPath}${signedParameters.length ? `?${signedParameters.join('&')}` : ''}`;
  const header = (name: string) => headerValue(req, name);
  const stringToSign = [
    req.method ?? 'GET',
    header('content-md5'),
    header('content-type'),
    String(expires),
    resource,
  ].join('\n');
  assertSignature(
    param('Signature')!,
    createHmac('sha1', credentials.secretAccessKey).update(stringToSign, 'utf8').digest('base64'),
    accessKeyId,
  );
}

function queryParametersError(message: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', message, 400);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', '%20'));
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.");
  }
}

/** RFC 3986 encoding as SigV4 canonicalises: everything but A–Z a–z 0–9 - _ . ~ is %XX. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The signature given equals the one computed (compared in constant time), or S3's 403 SignatureDoesNotMatch. */
function assertSignature(given: string, expected: string, accessKeyId: string): void {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      403,
      { AWSAccessKeyId: accessKeyId },
    );
  }
}
