/**
 * An S3 error answered as S3's XML `<Error>` document, so that the SDK raises its real class (`NoSuchKey`,
 * `NoSuchBucket`, `BucketAlreadyOwnedByYou`, ...) and the CLI prints S3's code and message.
 */
export class S3Error extends Error {
  constructor(
    /** S3's error code, e.g. `NoSuchKey`. */
    readonly code: string,
    message: string,
    /** HTTP status. @default 400 */
    readonly status = 400,
    /** Extra elements of the error document, e.g. `{ Key: 'a/b.csv' }`. */
    readonly detail: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = code;
  }

  toXml(requestId: string): string {
    const detail = Object.entries(this.detail)
      .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
      .join('');
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${this.code}</Code><Message>${escapeXml(this.message)}</Message>${detail}` +
      `<RequestId>${requestId}</RequestId></Error>`
    );
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch as keyof typeof XML_ENTITIES]);
}

const XML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' } as const;

export const noSuchBucket = (bucket: string) =>
  new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
