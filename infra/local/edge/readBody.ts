import type { IncomingMessage } from 'node:http';
import { AwsServiceError } from './AwsServiceError';

/** Largest JSON request body the JSON-protocol services accept (AWS's own limits are far lower for these APIs). */
export const MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage, maxBytes = MAX_JSON_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      throw new AwsServiceError('SerializationException', `Request body exceeds ${maxBytes} bytes.`, 413);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
