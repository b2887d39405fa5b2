import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { crc32c } from '../../../../infra/local/s3/checksums';
import { UploadBodyDecoder, type UploadBodyOptions } from '../../../../infra/local/s3/UploadBodyDecoder';

/** Frames a payload as aws-chunked, optionally with chunk signatures and a checksum trailer. */
function awsChunked(
  payload: Buffer,
  chunkSizes: number[],
  options: { signed?: boolean; trailer?: string } = {},
): Buffer {
  const parts: Buffer[] = [];
  const ext = options.signed ? `;chunk-signature=${'a'.repeat(64)}` : '';
  let offset = 0;
  for (const size of chunkSizes) {
    if (offset >= payload.length) break;
    const chunk = payload.subarray(offset, offset + size);
    offset += chunk.length;
    parts.push(Buffer.from(`${chunk.length.toString(16)}${ext}\r\n`), chunk, Buffer.from('\r\n'));
  }
  if (offset < payload.length) {
    const rest = payload.subarray(offset);
    parts.push(Buffer.from(`${rest.length.toString(16)}${ext}\r\n`), rest, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0${ext}\r\n`));
  if (options.trailer) parts.push(Buffer.from(`${options.trailer}\r\n`));
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** Feeds `body` to a decoder in pieces cut at `cuts`, and collects what it passes on. */
async function decode(body: Buffer, options: UploadBodyOptions, cuts: number[] = []): Promise<Buffer> {
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let last = 0;
  for (const point of [...points, body.length]) {
    pieces.push(body.subarray(last, point));
    last = point;
  }
  const out: Buffer[] = [];
  const decoder = Readable.from(pieces.filter((p) => p.length > 0)).pipe(new UploadBodyDecoder(options));
  for await (const chunk of decoder) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

const crc32Base64 = (data: Buffer) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc32(data));
  return bytes.toString('base64');
};

describe('UploadBodyDecoder', () => {
  it('recovers exactly the payload from any aws-chunked framing cut at any points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (bytes, chunkSizes, cuts, signed) => {
          const payload = Buffer.from(bytes);
          const trailer = `x-amz-checksum-crc32:${crc32Base64(payload)}`;
          const body = awsChunked(payload, chunkSizes, { signed, trailer });
          const options: UploadBodyOptions = {
            chunked: true,
            declaredLength: payload.length,
            checksum: { algorithm: 'crc32' },
          };
          expect(await decode(body, options, cuts)).toEqual(payload);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fails with BadDigest when the trailer checksum does not match', async () => {
    const body = awsChunked(Buffer.from('hello'), [5], { trailer: 'x-amz-checksum-crc32:AAAAAA==' });
    await expect(decode(body, { chunked: true, checksum: { algorithm: 'crc32' } })).rejects.toMatchObject({
      code: 'BadDigest',
      status: 400,
    });
  });

  it('fails when an announced trailer is missing, the body ends early, or it is longer than declared', async () => {
    const noTrailer = awsChunked(Buffer.from('hello'), [5]);
    await expect(decode(noTrailer, { chunked: true, checksum: { algorithm: 'crc32' } })).rejects.toMatchObject({
      code: 'InvalidRequest',
    });
    const cutShort = awsChunked(Buffer.from('hello'), [5]).subarray(0, 6);
    await expect(decode(cutShort, { chunked: true })).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(
      decode(awsChunked(Buffer.from('hello'), [5]), { chunked: true, declaredLength: 3 }),
    ).rejects.toMatchObject({
      code: 'IncompleteBody',
    });
  });

  it('rejects malformed framing with a clear message', async () => {
    await expect(decode(Buffer.from('zz\r\nhello\r\n0\r\n\r\n'), { chunked: true })).rejects.toThrow(
      "Malformed aws-chunked body: bad chunk size 'zz'.",
    );
    await expect(decode(Buffer.from('3\r\nhello\r\n0\r\n\r\n'), { chunked: true })).rejects.toThrow(
      'Malformed aws-chunked body: a chunk is longer than its declared size.',
    );
  });

  it('verifies checksum headers and Content-MD5 on plain bodies', async () => {
    const payload = Buffer.from('exam_results,2026\n');
    const crcC = Buffer.alloc(4);
    crcC.writeUInt32BE(crc32c(payload));
    const md5 = (await import('node:crypto')).createHash('md5').update(payload).digest('base64');
    const options: UploadBodyOptions = {
      chunked: false,
      declaredLength: payload.length,
      checksum: { algorithm: 'crc32c', expected: crcC.toString('base64') },
      contentMd5: md5,
    };
    expect(await decode(payload, options, [3, 9])).toEqual(payload);
    await expect(decode(payload, { ...options, contentMd5: 'AAAAAAAAAAAAAAAAAAAAAA==' })).rejects.toMatchObject({
      code: 'BadDigest',
    });
  });

  it('computes CRC-32C as the standard check value', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
  });
});
