import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import {
  assertChecksum,
  type RunningChecksum,
  runningChecksum,
  type VerifiedChecksum,
  verifiedChecksumOf,
} from './checksums';
import { S3Error } from './S3Error';

/** How an upload body is framed and what the client declared about it. */
export interface UploadBodyOptions {
  /** The body is `aws-chunked` (`x-amz-content-sha256: STREAMING-...`), as the SDK sends PutObject/UploadPart. */
  readonly chunked: boolean;
  /** Payload length the client declared (`x-amz-decoded-content-length`, else `content-length`). */
  readonly declaredLength?: number;
  /** A checksum to verify: its value from a header, or, when `expected` is undefined, from the aws-chunked trailer. */
  readonly checksum?: { readonly algorithm: VerifiedChecksum; readonly expected?: string };
  /** `Content-MD5` header (base64), verified when present. */
  readonly contentMd5?: string;
}

const MAX_LINE_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n');

type State = 'size' | 'data' | 'dataEnd' | 'trailer' | 'done';

/**
 * Turns an upload body into exactly the object's bytes: removes the aws-chunked framing (chunk sizes, chunk
 * signatures, trailer), and verifies the declared length and checksums. A mismatch fails the stream before it
 * ends, so the store never commits the object (S3 answers `BadDigest` / `IncompleteBody` and stores nothing).
 */
export class UploadBodyDecoder extends Transform {
  /** Payload bytes passed through so far. */
  decodedBytes = 0;
  private state: State = 'size';
  private pending = Buffer.alloc(0);
  private chunkRemaining = 0;
  private trailerChecksum: string | undefined;
  private readonly running: RunningChecksum | undefined;
  private readonly md5 = createHash('md5');

  constructor(private readonly options: UploadBodyOptions) {
    super();
    this.running = options.checksum ? runningChecksum(options.checksum.algorithm) : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (this.options.chunked) this.decodeChunked(chunk);
      else this.emitPayload(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.options.chunked && this.state !== 'done') {
        throw new S3Error('IncompleteBody', 'The aws-chunked body ended before its final chunk.');
      }
      this.verify();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  private emitPayload(data: Buffer): void {
    if (data.length === 0) return;
    this.decodedBytes += data.length;
    const { declaredLength } = this.options;
    if (declaredLength !== undefined && this.decodedBytes > declaredLength) {
      throw new S3Error(
        'IncompleteBody',
        `The body is longer than the ${declaredLength} bytes its x-amz-decoded-content-length declared.`,
      );
    }
    this.running?.update(data);
    if (this.options.contentMd5 !== undefined) this.md5.update(data);
    this.push(data);
  }

  private decodeChunked(input: Buffer): void {
    let buffer = this.pending.length ? Buffer.concat([this.pending, input]) : input;
    this.pending = Buffer.alloc(0);
    while (buffer.length > 0) {
      if (this.state === 'data') {
        const take = Math.min(this.chunkRemaining, buffer.length);
        this.emitPayload(buffer.subarray(0, take));
        this.chunkRemaining -= take;
        buffer = buffer.subarray(take);
        if (this.chunkRemaining === 0) this.state = 'dataEnd';
        continue;
      }
      if (this.state === 'done') {
        if (buffer.toString('latin1').trim() !== '') {
          throw new S3Error('InvalidRequest', 'Unexpected bytes after the end of the aws-chunked body.');
        }
        return;
      }
      const end = buffer.indexOf(CRLF);
      if (end < 0) {
        if (buffer.length > MAX_LINE_BYTES) throw malformed('a chunk header or trailer line is too long');
        this.pending = Buffer.from(buffer);
        return;
      }
      const line = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 2);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'dataEnd':
        if (line !== '') throw malformed('a chunk is longer than its declared size');
        this.state = 'size';
        return;
      case 'size': {
        const sizeText = line.split(';', 1)[0]!.trim();
        if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`bad chunk size '${sizeText.slice(0, 32)}'`);
        this.chunkRemaining = Number.parseInt(sizeText, 16);
        this.state = this.chunkRemaining === 0 ? 'trailer' : 'data';
        return;
      }
      case 'trailer': {
        if (line === '') {
          this.state = 'done';
          return;
        }
        const colon = line.indexOf(':');
        if (colon < 0) throw malformed(`bad trailer line '${line.slice(0, 64)}'`);
        const name = line.slice(0, colon).trim().toLowerCase();
        if (name === `x-amz-checksum-${this.options.checksum?.algorithm}`) {
          this.trailerChecksum = line.slice(colon + 1).trim();
        }
        return;
      }
      default:
        throw malformed('unexpected framing');
    }
  }

  private verify(): void {
    const { declaredLength, checksum, contentMd5 } = this.options;
    if (declaredLength !== undefined && declaredLength !== this.decodedBytes) {
      throw new S3Error(
        'IncompleteBody',
        `You did not provide the number of bytes specified by the Content-Length HTTP header (declared ${declaredLength}, received ${this.decodedBytes}).`,
      );
    }
    if (checksum && this.running) {
      const expected = checksum.expected ?? this.trailerChecksum;
      if (expected === undefined) {
        throw new S3Error(
          'InvalidRequest',
          `The x-amz-checksum-${checksum.algorithm} trailer that x-amz-trailer announced is missing.`,
        );
      }
      assertChecksum(checksum.algorithm, expected, this.running.digestBase64());
    }
    if (contentMd5 !== undefined && contentMd5.trim() !== this.md5.digest('base64')) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
  }
}

function malformed(reason: string): S3Error {
  return new S3Error('InvalidRequest', `Malformed aws-chunked body: ${reason}.`);
}

/**
 * What a request declares about its body: aws-chunked framing (`x-amz-content-sha256: STREAMING-…`), the payload
 * length, a checksum header or trailer to verify, `Content-MD5`. Checksum headers are verified on bodies they
 * describe (PutObject, UploadPart, DeleteObjects), not on CompleteMultipartUpload, whose checksum is the object's.
 */
export function uploadBodyOptions(
  headers: import('node:http').IncomingHttpHeaders,
  describesBody: boolean,
  knownLength?: number,
): UploadBodyOptions {
  const chunked = String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  const lengthHeader = chunked ? headers['x-amz-decoded-content-length'] : headers['content-length'];
  const declared = lengthHeader === undefined ? knownLength : Number(lengthHeader);
  if (declared !== undefined && !(Number.isSafeInteger(declared) && declared >= 0)) {
    throw new S3Error('InvalidArgument', `Invalid length header '${String(lengthHeader)}'.`);
  }
  let checksum: UploadBodyOptions['checksum'];
  const trailer = String(headers['x-amz-trailer'] ?? '');
  const trailerAlgorithm = chunked && trailer ? verifiedChecksumOf(trailer) : undefined;
  if (trailerAlgorithm) checksum = { algorithm: trailerAlgorithm };
  else if (describesBody) {
    for (const [name, value] of Object.entries(headers)) {
      const algorithm = name.startsWith('x-amz-checksum-') ? verifiedChecksumOf(name) : undefined;
      if (algorithm && typeof value === 'string') checksum = { algorithm, expected: value };
    }
  }
  const md5 = headers['content-md5'];
  return {
    chunked,
    declaredLength: declared,
    checksum,
    contentMd5: describesBody && typeof md5 === 'string' ? md5 : undefined,
  };
}

/** Decodes and verifies a small body already read into memory (DeleteObjects' XML). */
export async function decodeBuffered(headers: import('node:http').IncomingHttpHeaders, body: Buffer): Promise<Buffer> {
  const decoder = new UploadBodyDecoder(uploadBodyOptions(headers, true, body.length));
  const chunks: Buffer[] = [];
  decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    decoder.once('error', reject);
    decoder.once('end', resolve);
    decoder.end(body);
  });
  return Buffer.concat(chunks);
}
