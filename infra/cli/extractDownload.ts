import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What `examlake extract` sends (the body of `POST /v1/extracts`) and where it puts the files. */
export interface ExtractDownloadOptions {
  /** The API's base URL (`http://127.0.0.1:3000`, or the stage URL on AWS). */
  readonly apiUrl: string;
  /** A bearer ID token. */
  readonly token: string;
  readonly body: Record<string, unknown>;
  readonly outDir: string;
  /** @default 500 */
  readonly pollMs?: number;
  /** Progress lines (stderr in the CLI). */
  readonly progress: (line: string) => void;
}

/** A refused or failed extract: the API's problem `detail` (or the extract's `error`). */
export class ExtractFailedError extends Error {}

/**
 * Starts an extract, waits for it with a progress line per state change, then downloads every file through its
 * pre-signed URL into `outDir` (`<id>-<n>.parquet` / `.csv`). Resolves to the paths written.
 */
export async function downloadExtract(options: ExtractDownloadOptions): Promise<string[]> {
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const base = options.apiUrl.replace(/\/+$/, '');
  const started = await fetch(`${base}/v1/extracts`, {
    method: 'POST',
    headers,
    body: JSON.stringify(options.body),
  });
  const created = (await started.json()) as Record<string, unknown>;
  if (started.status !== 202) {
    throw new ExtractFailedError(`The API refused the extract (${started.status}): ${created['detail'] ?? ''}`);
  }
  options.progress(`extract ${created['id']}: ${created['rows']} rows, ${created['state']}`);
  let last = String(created['state']);
  for (;;) {
    const res = await fetch(`${base}/v1/extracts/${created['id']}`, { headers });
    const extract = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200)
      throw new ExtractFailedError(`Reading the extract failed (${res.status}): ${extract['detail']}`);
    const state = String(extract['state']);
    if (state !== last) options.progress(`extract ${created['id']}: ${state}`);
    last = state;
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new ExtractFailedError(`The extract ${state}: ${extract['error'] ?? 'no reason given'}`);
    }
    if (state === 'SUCCEEDED') {
      await mkdir(options.outDir, { recursive: true });
      const files = (extract['files'] ?? []) as { url: string; bytes: number }[];
      const written: string[] = [];
      for (const [n, file] of files.entries()) {
        const download = await fetch(file.url);
        if (!download.ok) throw new ExtractFailedError(`Downloading file ${n + 1} failed (${download.status}).`);
        const target = path.join(
          options.outDir,
          `${created['id']}-${n}.${extract['format'] === 'csv' ? 'csv' : 'parquet'}`,
        );
        await writeFile(target, Buffer.from(await download.arrayBuffer()));
        options.progress(`downloaded ${target} (${file.bytes} bytes)`);
        written.push(target);
      }
      return written;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
