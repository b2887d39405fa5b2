import { appendFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { REJECT_REASON_CODES, REJECT_REASONS, type RejectReasonCode } from '../schemas/rejectReasons';
import type { HeaderMapping } from '../schemas/resolveHeader';
import { validateRecord } from '../schemas/validateRecord';
import { ident } from './duckdbTypes';
import { locateRecords } from './locateRecords';
import type { RejectedRow } from './RejectedRow';
import type { RawObject } from './readRawObject';
import { recordWhy, WHY_SEPARATOR } from './rowChecksSql';
import { type RawRecord, splitFields } from './splitRecords';
import type { StagedObject, StructuralReject } from './stageObject';

/** One staged object of a dataset, as `writeRejects` needs it. */
export interface StagedRejectSource {
  readonly object: RawObject;
  readonly mapping: HeaderMapping;
  readonly staged: StagedObject;
}

export interface WriteRejectsInput {
  readonly connection: DuckDBConnection;
  /** The dataset's checked view: rows with a `_why` are rejected. */
  readonly table: string;
  /** The dataset's objects, in rank order. */
  readonly objects: readonly StagedRejectSource[];
  /** `_row`s of DUPLICATE_IN_FILE rows (from `buildVersion`). */
  readonly duplicateRows: readonly number[];
  /** JSON Lines file the rejects are appended to. */
  readonly path: string;
}

export interface WrittenRejects {
  readonly rejected: number;
  readonly reasons: Readonly<Record<string, number>>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * Writes a dataset's rejects: the records DuckDB's CSV reader refused, the rows the generated checks refused and
 * the in-file duplicates. Only objects with rejects are scanned again (`locateRecords`) for each reject's
 * physical line and original text; the message is the reference validator's (`validateRecord`) when it gives
 * the same reason, else the reason's description.
 */
export async function writeRejects(input: WriteRejectsInput): Promise<WrittenRejects> {
  const why = new Map<number, string>();
  const failed = await input.connection.runAndReadAll(
    `SELECT _row, _why FROM ${ident(input.table)} WHERE _why IS NOT NULL ORDER BY _row`,
  );
  for (const [row, reason] of failed.getRows()) why.set(Number(row), String(reason));
  for (const row of input.duplicateRows) why.set(row, recordWhy('DUPLICATE_IN_FILE'));
  // Each rejected row to its object (by position within it), in one pass.
  const rowsOf = input.objects.map(() => new Map<number, string>());
  for (const [row, text] of why) {
    const i = objectHolding(input.objects, row);
    if (i !== undefined) rowsOf[i]!.set(row - input.objects[i]!.staged.firstRow, text);
  }
  const reasons: Record<string, number> = {};
  let rejected = 0;
  for (const [i, { object, mapping, staged }] of input.objects.entries()) {
    const rows = rowsOf[i]!;
    if (rows.size === 0 && staged.structural.length === 0) continue;
    const found = await locateRecords(object.path, {
      csvLines: new Set(staged.structural.map((s) => s.csvLine)),
      rows: new Set(rows.keys()),
    });
    const out: RejectedRow[] = [];
    for (const s of staged.structural) out.push(structuralReject(object, mapping, s, found.byCsvLine.get(s.csvLine)));
    for (const [row, text] of rows) {
      const record = found.byRow.get(row);
      if (!record) throw new Error(`Row ${row + 1} of ${object.uri} was rejected but cannot be found in the object.`);
      out.push(rowReject(object, mapping, record, text));
    }
    out.sort((a, b) => a.line - b.line);
    for (const r of out) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    rejected += out.length;
    await appendFile(input.path, `${out.map((r) => JSON.stringify(r)).join('\n')}\n`);
  }
  return { rejected, reasons };
}

/** Index of the object whose rows (`[firstRow, firstRow + rows)`, ascending by rank) hold `row`, if any. */
function objectHolding(objects: readonly StagedRejectSource[], row: number): number | undefined {
  let lo = 0;
  let hi = objects.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (objects[mid]!.staged.firstRow <= row) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const staged = objects[found]?.staged;
  return staged && row < staged.firstRow + staged.rows ? found : undefined;
}

function structuralReject(
  object: RawObject,
  mapping: HeaderMapping,
  reject: StructuralReject,
  record: RawRecord | undefined,
): RejectedRow {
  const base = { source: object.uri, reason: reject.reason };
  if (!record) {
    // DuckDB and the record splitter disagree on where this record is: keep DuckDB's line and text.
    return { ...base, line: reject.csvLine, message: reject.detail, text: reject.csvText };
  }
  const text = lenient.decode(record.bytes);
  const at = { ...base, line: record.line, text };
  switch (reject.reason) {
    case 'INVALID_ENCODING':
      return {
        ...at,
        message: 'The row holds bytes that are not valid UTF-8.',
        base64: record.bytes.toString('base64'),
      };
    case 'WRONG_FIELD_COUNT': {
      // DuckDB counts fields reading stray quotes literally; a record that breaks RFC 4180 is MALFORMED_ROW first.
      const split = splitFields(text);
      return split.ok
        ? { ...at, message: `The row has ${split.fields.length} fields; the header has ${mapping.fieldCount}.` }
        : { ...at, reason: 'MALFORMED_ROW', message: split.message };
    }
    default: {
      const split = splitFields(text);
      const message = record.unterminated
        ? 'A quoted field is still open at the end of the object.'
        : split.ok
          ? reject.detail
          : split.message;
      return { ...at, message };
    }
  }
}

function rowReject(object: RawObject, mapping: HeaderMapping, record: RawRecord, why: string): RejectedRow {
  const [code = '', column = '', rule = ''] = why.split(WHY_SEPARATOR);
  const reason = REJECT_REASON_CODES.includes(code as RejectReasonCode) ? (code as RejectReasonCode) : 'MALFORMED_ROW';
  const text = lenient.decode(record.bytes);
  const base = {
    source: object.uri,
    line: record.line,
    reason,
    ...(column ? { column } : {}),
    ...(rule ? { rule } : {}),
    text,
  };
  if (reason === 'DUPLICATE_IN_FILE') {
    return { ...base, message: `An earlier row of this object has the same ${mapping.dataset.naturalKey.join(', ')}.` };
  }
  return {
    ...base,
    message: referenceMessage(mapping, record, reason) ?? `${column || rule}: ${REJECT_REASONS[reason].description}`,
  };
}

/** The reference validator's message for the record, when it finds the same reason. */
function referenceMessage(mapping: HeaderMapping, record: RawRecord, reason: RejectReasonCode): string | undefined {
  let text: string;
  try {
    text = utf8.decode(record.bytes);
  } catch {
    return undefined;
  }
  const split = splitFields(text);
  if (!split.ok) return reason === 'MALFORMED_ROW' ? split.message : undefined;
  const check = validateRecord(mapping, split.fields);
  return !check.ok && check.reason === reason ? check.message : undefined;
}
