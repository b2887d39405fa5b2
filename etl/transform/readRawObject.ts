import { createReadStream } from 'node:fs';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import { SchemaError } from '../schemas/errors';
import { inferDataset } from '../schemas/inferDataset';
import type { FieldValue } from '../schemas/parseField';
import type { RejectReasonCode } from '../schemas/rejectReasons';
import { resolveHeader } from '../schemas/resolveHeader';
import { validateRecord } from '../schemas/validateRecord';
import type { RejectedRow } from './RejectedRow';
import { type RawRecord, splitFields, splitRecordBatches } from './splitRecords';

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

/** What reading one object gave, when it was accepted as a whole. */
export type ObjectReading =
  | { readonly accepted: true; readonly dataset: DatasetSchema; readonly rowsIn: number; readonly rejected: number }
  | { readonly accepted: false; readonly reason: RejectReasonCode; readonly message: string };

export interface RowSink {
  /** Called once, when the header has been read and mapped, before any row. */
  begin(dataset: DatasetSchema): Promise<void> | void;
  row(values: Readonly<Record<string, FieldValue>>, line: number): void;
  reject(row: RejectedRow): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');
const ABORT_CHECK_ROWS = 16_384;

/**
 * Reads one raw object row by row: finds its dataset (key prefix, else header), maps the header through the
 * aliases, validates every record with the schema, rejects a repeated natural key within the object
 * (DUPLICATE_IN_FILE, the first is kept), and hands valid rows and rejects to the sink. An object that cannot
 * be accepted as a whole (empty, unknown dataset, header mismatch) is refused before any row reaches the sink.
 */
export async function readRawObject(object: RawObject, sink: RowSink, signal?: AbortSignal): Promise<ObjectReading> {
  const batches = splitRecordBatches(createReadStream(object.path, { highWaterMark: 1 << 20 }));
  const firstBatch = await batches.next();
  if (firstBatch.done) {
    return { accepted: false, reason: 'EMPTY_FILE', message: `${object.uri} is empty: it has no header.` };
  }
  const first = { value: firstBatch.value[0]! };
  async function* records(): AsyncGenerator<RawRecord[]> {
    yield firstBatch.value!.slice(1);
    yield* batches;
  }
  let dataset: DatasetSchema;
  let mapping: ReturnType<typeof resolveHeader>;
  try {
    const text = decode(first.value.bytes);
    const header = text === undefined ? undefined : splitFields(text);
    if (header === undefined || !header.ok) {
      return {
        accepted: false,
        reason: 'UNKNOWN_DATASET',
        message: `${object.uri}: the header line is not a valid UTF-8 CSV record.`,
      };
    }
    dataset = inferDataset({ key: object.key, header: header.fields }).dataset;
    mapping = resolveHeader(dataset, header.fields);
  } catch (err) {
    if (err instanceof SchemaError)
      return { accepted: false, reason: err.code, message: `${object.uri}: ${err.message}` };
    throw err;
  }
  await sink.begin(dataset);
  const keyColumns = dataset.naturalKey;
  const seen = new Set<string>();
  let rowsIn = 0;
  let rejected = 0;
  for await (const batch of records()) {
    for (const record of batch) {
      rowsIn++;
      if (rowsIn % ABORT_CHECK_ROWS === 0) signal?.throwIfAborted();
      const reject = (reason: RejectReasonCode, message: string, extra: Partial<RejectedRow> = {}) => {
        rejected++;
        sink.reject({
          source: object.uri,
          line: record.line,
          reason,
          message,
          text: lenient.decode(record.bytes),
          ...extra,
        });
      };
      const text = decode(record.bytes);
      if (text === undefined) {
        reject('INVALID_ENCODING', 'The row holds bytes that are not valid UTF-8.', {
          base64: record.bytes.toString('base64'),
        });
        continue;
      }
      if (record.unterminated) {
        reject('MALFORMED_ROW', 'A quoted field is still open at the end of the object.');
        continue;
      }
      const split = splitFields(text);
      if (!split.ok) {
        reject('MALFORMED_ROW', split.message);
        continue;
      }
      const check = validateRecord(mapping, split.fields);
      if (!check.ok) {
        reject(check.reason, check.message, { column: check.column, rule: check.rule });
        continue;
      }
      const key =
        keyColumns.length === 1
          ? String(check.values[keyColumns[0]!])
          : keyColumns.map((k) => check.values[k]).join('\u0000');
      if (seen.has(key)) {
        reject('DUPLICATE_IN_FILE', `An earlier row of this object has the same ${keyColumns.join(', ')}.`);
        continue;
      }
      seen.add(key);
      sink.row(check.values, record.line);
    }
  }
  signal?.throwIfAborted();
  return { accepted: true, dataset, rowsIn, rejected };
}

function decode(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
