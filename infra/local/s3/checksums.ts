import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error } from './S3Error';

/** Running checksum of an upload, in the base64 big-endian form S3's `x-amz-checksum-*` headers carry. */
export interface RunningChecksum {
  update(chunk: Buffer): void;
  digestBase64(): string;
}

/** The `x-amz-checksum-<name>` algorithms the local S3 verifies. CRC64NVME is accepted but not verified. */
export const VERIFIED_CHECKSUMS = ['crc32', 'crc32c', 'sha1', 'sha256'] as const;
export type VerifiedChecksum = (typeof VERIFIED_CHECKSUMS)[number];

export function runningChecksum(algorithm: VerifiedChecksum): RunningChecksum {
  switch (algorithm) {
    case 'crc32':
      return crcChecksum((chunk, value) => crc32(chunk, value));
    case 'crc32c':
      return crcChecksum(crc32c);
    case 'sha1':
    case 'sha256': {
      const hash = createHash(algorithm);
      return { update: (chunk) => hash.update(chunk), digestBase64: () => hash.digest('base64') };
    }
  }
}

/** The checksum algorithm named by a header such as `x-amz-checksum-crc32`, if the local S3 verifies it. */
export function verifiedChecksumOf(headerName: string): VerifiedChecksum | undefined {
  const name = headerName.toLowerCase().replace(/^x-amz-checksum-/, '');
  return (VERIFIED_CHECKSUMS as readonly string[]).includes(name) ? (name as VerifiedChecksum) : undefined;
}

/** Compares a computed checksum with the one the client sent; S3 answers `BadDigest` on a mismatch. */
export function assertChecksum(algorithm: string, expected: string, actual: string): void {
  if (expected.trim() !== actual) {
    throw new S3Error(
      'BadDigest',
      `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      400,
    );
  }
}

function crcChecksum(step: (chunk: Buffer, value: number) => number): RunningChecksum {
  let value = 0;
  return {
    update: (chunk) => {
      value = step(chunk, value);
    },
    digestBase64: () => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value >>> 0);
      return bytes.toString('base64');
    },
  };
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), continuing from `value` as zlib's `crc32` does. */
export function crc32c(chunk: Buffer, value = 0): number {
  let crc = ~value >>> 0;
  for (const byte of chunk) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
