import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What a running `npm start` or `examlake stack` records about itself, so the other commands (`ingest`,
 * `token`) talk to it without flags: in `<data dir>/stack.json` and at a well-known path
 * (`EXAMLAKE_STACK_RECORD`, default `~/.cache/examlake/stack.json`: the last stack started).
 */
export interface StackRecord {
  /** The edge endpoint (S3, DynamoDB, Glue, Athena). */
  readonly endpoint: string;
  /** The REST API (`npm start` only). */
  readonly apiUrl: string | null;
  readonly dataDir: string;
  readonly region: string;
  /** The process serving it: a record whose process is gone is stale and ignored. */
  readonly pid: number;
  readonly startedAt: string;
}

const FILE_NAME = 'stack.json';

/** Writes the record to the data dir and the well-known path; the returned function removes both (if still ours). */
export async function writeStackRecord(
  record: Omit<StackRecord, 'pid' | 'startedAt'>,
  recordPath: string,
): Promise<() => Promise<void>> {
  const full: StackRecord = { ...record, pid: process.pid, startedAt: new Date().toISOString() };
  const files = [path.join(record.dataDir, FILE_NAME), recordPath];
  for (const file of files) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(full, null, 2)}\n`);
  }
  return async () => {
    for (const file of files) {
      const current = await readRecord(file);
      if (current?.pid === process.pid) await rm(file, { force: true });
    }
  };
}

/**
 * The running stack to talk to: the one recorded in `dataDir` when given, else the last one started (the
 * well-known record). Records of processes that have ended are ignored.
 */
export async function findRunningStack(
  recordPath: string,
  dataDir: string | undefined,
): Promise<StackRecord | undefined> {
  const candidates = dataDir ? [path.join(path.resolve(dataDir), FILE_NAME)] : [recordPath];
  for (const file of candidates) {
    const record = await readRecord(file);
    if (record && isAlive(record.pid)) return record;
  }
  return undefined;
}

async function readRecord(file: string): Promise<StackRecord | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<StackRecord>;
    if (typeof value.endpoint !== 'string' || typeof value.dataDir !== 'string' || typeof value.pid !== 'number') {
      return undefined;
    }
    return value as StackRecord;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether anything answers HTTP at `endpoint` within `timeoutMs`. */
export async function answers(endpoint: string, timeoutMs = 2000): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}
