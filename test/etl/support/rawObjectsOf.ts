import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RawObject } from '../../../etl/transform/readRawObject';

/** The CSV files under a generated directory as raw objects keyed by relative path (all with one LastModified). */
export async function rawObjectsOf(dir: string, lastModified = new Date('2026-07-01T00:00:00Z')): Promise<RawObject[]> {
  const out: RawObject[] = [];
  for (const sub of ['exam_results', 'item_responses']) {
    const names = await readdir(path.join(dir, sub)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.csv')).sort()) {
      const file = path.join(dir, sub, name);
      const key = `${sub}/${name}`;
      out.push({
        key,
        etag: createHash('md5')
          .update(await readFile(file))
          .digest('hex'),
        lastModified,
        size: (await stat(file)).size,
        path: file,
        uri: `s3://raw/${key}`,
      });
    }
  }
  return out;
}
