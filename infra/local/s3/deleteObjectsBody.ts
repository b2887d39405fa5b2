import type { IncomingMessage } from 'node:http';
import { S3Error } from './S3Error';

/** The object keys of a DeleteObjects request body (`<Delete><Object><Key>…</Key></Object>…</Delete>`). */
export function deletedKeys(body: Buffer): string[] {
  const xml = body.toString('utf8');
  if (!/<Delete[\s>]/.test(xml)) throw malformedXml();
  const keys: string[] = [];
  for (const object of xml.matchAll(/<Object>([\s\S]*?)<\/Object>/g)) {
    const key = /<Key>([\s\S]*?)<\/Key>/.exec(object[1] ?? '');
    if (!key) throw malformedXml();
    keys.push(decodeXmlText(key[1] ?? ''));
  }
  if (keys.length === 0) throw malformedXml();
  if (keys.length > 1000) {
    throw new S3Error('MalformedXML', 'A DeleteObjects request names at most 1000 keys.');
  }
  return keys;
}

/** Reads a small request body whole, refusing one over `maxBytes`. */
export async function readLimited(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes)
      throw new S3Error('MaxMessageLengthExceeded', `Your request was too big (over ${maxBytes} bytes).`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Decodes the five XML entities and numeric character references. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_match, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

function malformedXml(): S3Error {
  return new S3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}
