import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BadRowEntry } from '../../../../etl/generate/badRowKinds';
import type { WrittenFile } from '../../../../etl/generate/DatasetOutput';
import { SchemaError } from '../../../../etl/schemas/errors';
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
  /** The natural key of a valid row, its fields joined. */
  readonly naturalKey?: string;
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
 * Judges one raw object by the rules of `etl/schemas` (dataset by key or header, header mapping,
 * `validateRecord`), plus what the schemas leave to the caller: an empty object, UTF-8 and RFC 4180 quoting per
 * record, and duplicates of the natural key within the object. Throws the `SchemaError` of a refused object.
 */
export function judgeObject(key: string, data: Buffer): JudgedFile {
  const records = readCsvRecords(data);
  const headAt = records.findIndex((r) => !r.blank);
  const head = records[headAt];
  if (!head) throw new SchemaError('EMPTY_FILE', `${key} is empty: there is no header.`);
  if (head.error) throw new Error(`${key}: the header cannot be read (${head.error})`);
  const { dataset } = inferDataset({ key, header: head.fields });
  const mapping = resolveHeader(dataset, head.fields);
  const keyIndexes = dataset.naturalKey.map((k) => mapping.indexOf[k]!);
  const seen = new Set<string>();
  const rows: JudgedRow[] = [];
  for (const record of records.slice(headAt + 1)) {
    if (record.blank) continue;
    const at = { file: key, line: record.line };
    if (record.error) {
      rows.push({ ...at, outcome: record.error });
      continue;
    }
    const check = validateRecord(mapping, record.fields);
    if (!check.ok) {
      rows.push({ ...at, outcome: check.reason, column: check.column, rule: check.rule });
      continue;
    }
    const naturalKey = keyIndexes.map((i) => record.fields[i]).join('\u0000');
    if (seen.has(naturalKey)) {
      rows.push({ ...at, outcome: 'DUPLICATE_IN_FILE' });
      continue;
    }
    seen.add(naturalKey);
    rows.push({ ...at, outcome: 'ok', naturalKey, values: check.values });
  }
  return {
    file: key,
    dataset: dataset.name,
    header: head.fields,
    mapping,
    bom: data.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])),
    crlf: data.includes('\r\n'),
    rows,
  };
}

/**
 * Judges every data file of a generated output in the order it was written (`judgeObject`), then marks a valid
 * row whose natural key a later file re-exports as superseded.
 */
export async function judgeExport(dir: string): Promise<JudgedFile[]> {
  const manifest = await readManifest(dir);
  const judged: JudgedFile[] = [];
  const lastByKey = new Map<string, JudgedRow>();
  for (const { file } of manifest.files) {
    let data = await readFile(path.join(dir, file));
    if (file.endsWith('.gz')) data = gunzipSync(data);
    const judgedFile = judgeObject(file, data);
    for (const row of judgedFile.rows) {
      if (row.naturalKey === undefined) continue;
      const key = `${judgedFile.dataset}\u0000${row.naturalKey}`;
      const earlier = lastByKey.get(key);
      if (earlier) earlier.outcome = SUPERSEDED.code;
      lastByKey.set(key, row);
    }
    judged.push(judgedFile);
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
