import { createReadStream } from 'node:fs';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import { SchemaError } from '../schemas/errors';
import { inferDataset } from '../schemas/inferDataset';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import { type HeaderMapping, resolveHeader } from '../schemas/resolveHeader';
import { splitFields, splitRecordBatches } from './splitRecords';

/** A raw object as the transform reads it: its S3 identity and a file holding its bytes. */
export interface RawObject {
  readonly key: string;
  readonly etag: string;
  readonly lastModified: Date;
  readonly size: number;
  /** Path of a file with exactly the object's bytes. */
  readonly path: string;
  /** `s3://bucket/key`, the lineage `source_file`. */
  readonly uri: string;
}

/** What the header of a raw object says: its dataset and column mapping, or why the whole object is refused. */
export type ObjectHeader =
  | { readonly accepted: true; readonly dataset: DatasetSchema; readonly mapping: HeaderMapping }
  | { readonly accepted: false; readonly reason: RejectReasonCode; readonly message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads only the first record of a raw object (its header): finds its dataset (key prefix, else header) and maps
 * the header through the aliases. An object that cannot be accepted as a whole (empty, unknown dataset, header
 * mismatch) is refused here, before DuckDB reads any row. The rows are read by `stageObject`.
 */
export async function readRawObject(object: RawObject): Promise<ObjectHeader> {
  const stream = createReadStream(object.path, { highWaterMark: 1 << 16 });
  let first: Buffer | undefined;
  try {
    for await (const batch of splitRecordBatches(stream)) {
      if (batch.length > 0) {
        first = Buffer.from(batch[0]!.bytes);
        break;
      }
    }
  } finally {
    stream.destroy();
  }
  if (first === undefined) {
    return { accepted: false, reason: 'EMPTY_FILE', message: `${object.uri} is empty: it has no header.` };
  }
  let text: string | undefined;
  try {
    text = utf8.decode(first);
  } catch {
    text = undefined;
  }
  const header = text === undefined ? undefined : splitFields(text);
  if (header === undefined || !header.ok) {
    return {
      accepted: false,
      reason: 'UNKNOWN_DATASET',
      message: `${object.uri}: the header line is not a valid UTF-8 CSV record.`,
    };
  }
  try {
    const { dataset } = inferDataset({ key: object.key, header: header.fields });
    return { accepted: true, dataset, mapping: resolveHeader(dataset, header.fields) };
  } catch (err) {
    if (err instanceof SchemaError)
      return { accepted: false, reason: err.code, message: `${object.uri}: ${err.message}` };
    throw err;
  }
}
