import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BadRowEntry } from '../../../../etl/generate/badRowKinds';
import type { WrittenFile } from '../../../../etl/generate/DatasetOutput';
import { inferDataset } from '../../../../etl/schemas/inferDataset';
import { type FieldValue, parseField } from '../../../../etl/schemas/parseField';
import { SUPERSEDED } from '../../../../etl/schemas/rejectReasons';
import { type HeaderMapping, resolveHeader } from '../../../../etl/schemas/resolveHeader';
import { validateRecord } from '../../../../etl/schemas/validateRecord';
import { readCsvRecords } from './readCsvRecords';

/** The verdict on one data record of a generated file. */
export interface JudgedRow {
  readonly file: string;
  readonly line: number;
  /** `ok`, a reject reason code, or SUPERSEDED. */
  outcome: string;
  readonly column?: string;
  readonly rule?: string;
  readonly values?: Readonly<Record<string, FieldValue>>;
}

export interface JudgedFile {
  readonly file: string;
  readonly dataset: string;
  readonly header: readonly string[];
  readonly mapping: HeaderMapping;
  readonly bom: boolean;
  readonly crlf: boolean;
  readonly rows: JudgedRow[];
}

/** The manifest the generator writes in `_meta/manifest.json`. */
export interface Manifest {
  readonly options: Record<string, unknown>;
  readonly counts: Record<string, number>;
  readonly files: readonly WrittenFile[];
}

export async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, '_meta/manifest.json'), 'utf8')) as Manifest;
}

export async function readBadRows(dir: string): Promise<BadRowEntry[]> {
  const text = await readFile(path.join(dir, '_meta/bad-rows.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as BadRowEntry);
}

/**
 * Reads every data file of a generated output in the order it was written and judges each record by the rules
 * of `etl/schemas` (header mapping, `validateRecord`), plus what the schemas leave to the caller: UTF-8 and
 * RFC 4180 quoting per record, duplicates of the natural key within a file, and keys re-exported in a later
 * file (the earlier row is superseded).
 */
export async function judgeExport(dir: string): Promise<JudgedFile[]> {
  const manifest = await readManifest(dir);
  const judged: JudgedFile[] = [];
  const lastByKey = new Map<string, JudgedRow>();
  for (const { file } of manifest.files) {
    let data = await readFile(path.join(dir, file));
    if (file.endsWith('.gz')) data = gunzipSync(data);
    const bom = data.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
    const [head, ...records] = readCsvRecords(data);
    if (!head || head.error) throw new Error(`${file}: no readable header`);
    const { dataset } = inferDataset({ key: file, header: head.fields });
    const mapping = resolveHeader(dataset, head.fields);
    const keyIndexes = dataset.naturalKey.map((k) => mapping.indexOf[k]!);
    const seen = new Set<string>();
    const rows: JudgedRow[] = [];
    for (const record of records) {
      if (record.blank) continue;
      if (record.error) {
        rows.push({ file, line: record.line, outcome: record.error });
        continue;
      }
      const check = validateRecord(mapping, record.fields);
      if (!check.ok) {
        rows.push({ file, line: record.line, outcome: check.reason, column: check.column, rule: check.rule });
        continue;
      }
      const key = `${dataset.name}\u0000${keyIndexes.map((i) => record.fields[i]).join('\u0000')}`;
      if (seen.has(key)) {
        rows.push({ file, line: record.line, outcome: 'DUPLICATE_IN_FILE' });
        continue;
      }
      seen.add(key);
      const row: JudgedRow = { file, line: record.line, outcome: 'ok', values: check.values };
      const earlier = lastByKey.get(key);
      if (earlier) earlier.outcome = SUPERSEDED.code;
      lastByKey.set(key, row);
      rows.push(row);
    }
    judged.push({
      file,
      dataset: dataset.name,
      header: head.fields,
      mapping,
      bom,
      crlf: data.includes('\r\n'),
      rows,
    });
  }
  return judged;
}

/**
 * The typed values of some columns of every record of a dataset, in file order: a fast read of an output
 * known to be clean (no validation; use `judgeExport` for that).
 */
export async function readColumns(
  dir: string,
  dataset: string,
  columns: readonly string[],
): Promise<Record<string, FieldValue>[]> {
  const manifest = await readManifest(dir);
  const rows: Record<string, FieldValue>[] = [];
  for (const { file } of manifest.files.filter((f) => f.dataset === dataset)) {
    let data = await readFile(path.join(dir, file));
    if (file.endsWith('.gz')) data = gunzipSync(data);
    const [head, ...records] = readCsvRecords(data);
    const mapping = resolveHeader(dataset, head!.fields);
    const wanted = columns.map((name) => {
      const col = mapping.dataset.columns.find((c) => c.name === name);
      if (!col) throw new Error(`${dataset} has no column ${name}`);
      return { name, type: col.type, index: mapping.indexOf[name]! };
    });
    for (const record of records) {
      if (record.blank) continue;
      const row: Record<string, FieldValue> = {};
      for (const { name, type, index } of wanted) {
        const parsed = parseField(type, record.fields[index]!);
        if (!parsed.ok) throw new Error(`${file}:${record.line}: ${name}: ${parsed.message}`);
        row[name] = parsed.value;
      }
      rows.push(row);
    }
  }
  return rows;
}
