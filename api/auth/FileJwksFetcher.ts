import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Fetcher } from 'aws-jwt-verify/https';

/**
 * An aws-jwt-verify `Fetcher` for `file:` JWKS URIs: the local issuer publishes its JWKS as a file in the data
 * dir, and the verifier reads it the way it fetches Cognito's over HTTPS (cached, re-read when a token names a
 * `kid` it has not seen, so a rotated key is picked up without a restart).
 */
export class FileJwksFetcher implements Fetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    if (!uri.startsWith('file:')) throw new Error(`FileJwksFetcher reads file: URIs only, got ${uri}`);
    const bytes = await readFile(fileURLToPath(uri));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
}
