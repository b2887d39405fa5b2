import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import { getDataset, isDatasetName } from '../schemas/datasets';
import { SchemaError } from '../schemas/errors';
import { inferDataset } from '../schemas/inferDataset';
import { resolveHeader } from '../schemas/resolveHeader';
import { splitFields } from '../transform/splitRecords';

/** A local export ready to upload: where it goes in the raw bucket and which dataset it is. */
export interface ExportFile {
  readonly file: string;
  readonly key: string;
  readonly dataset: DatasetSchema;
  readonly size: number;
}

/** A local file that cannot be ingested, and what to do about it. */
export interface UnacceptableFile {
  readonly file: string;
  readonly reason: string;
  readonly message: string;
}

const HEADER_BYTES = 64 * 1024;

/**
 * The CSV exports under a file or directory (recursively; `_meta/` and hidden entries skipped), each checked
 * before upload the way the transform checks it: not empty, a header that fits its dataset. The dataset is the
 * one named, else the first path segment when it names a dataset, else the one the header fits. Keys are
 * `<dataset>/<path below the dataset folder or the file name>`.
 */
export async function collectExports(
  target: string,
  datasetName?: string,
): Promise<{ exports: ExportFile[]; unacceptable: UnacceptableFile[] }> {
  if (datasetName !== undefined) getDataset(datasetName);
  const root = path.resolve(target);
  const info = await stat(root);
  const files = info.isDirectory() ? await listCsv(root) : [root];
  const base = info.isDirectory() ? root : path.dirname(root);
  const exports: ExportFile[] = [];
  const unacceptable: UnacceptableFile[] = [];
  for (const file of files) {
    const relative = path.relative(base, file).split(path.sep);
    const size = (await stat(file)).size;
    try {
      const header = await readHeader(file);
      if (header === undefined) {
        unacceptable.push({
          file,
          reason: 'EMPTY_FILE',
          message: 'The file is empty: an export starts with a header row.',
        });
        continue;
      }
      const named = datasetName ?? (relative.length > 1 && isDatasetName(relative[0]!) ? relative[0] : undefined);
      const dataset = named ? getDataset(named) : inferDataset(header).dataset;
      resolveHeader(dataset, header);
      const below = named && !datasetName ? relative.slice(1) : [path.basename(file)];
      exports.push({ file, key: `${dataset.name}/${below.join('/')}`, dataset, size });
    } catch (err) {
      if (!(err instanceof SchemaError)) throw err;
      unacceptable.push({ file, reason: err.code, message: err.message });
    }
  }
  return { exports, unacceptable };
}

async function listCsv(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === '_meta') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listCsv(full)));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.csv')) out.push(full);
  }
  return out;
}

/** The header fields of a CSV file, or undefined when it has no non-blank line. */
async function readHeader(file: string): Promise<string[] | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\ufeff/, '');
    const line = text.split(/\r?\n/).find((l) => l.trim() !== '');
    if (line === undefined) return undefined;
    const fields = splitFields(line);
    return fields.ok ? fields.fields : [line];
  } finally {
    await handle.close();
  }
}
