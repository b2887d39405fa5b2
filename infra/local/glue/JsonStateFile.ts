import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** A state file that exists but cannot be read back; the stack refuses to start rather than lose it. */
export class StateFileCorruptError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `${file} is not valid JSON (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Restore it from a backup, or delete it to start with an empty state (or run the stack with --reset).',
      { cause },
    );
    this.name = 'StateFileCorruptError';
  }
}

/**
 * One JSON document persisted atomically: each save writes `<file>.tmp`, flushes it to disk and renames it over
 * `<file>`. A crash or a failing write at any point leaves either the previous document or the new one, never a
 * mix; a leftover `.tmp` from a crash is ignored on load and overwritten by the next save. Saves are serialised,
 * so the file always holds the last completed save.
 */
export class JsonStateFile<T> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  /** The saved document, or `fallback` when the file does not exist yet. */
  async load(fallback: T): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new StateFileCorruptError(this.file, err);
    }
  }

  /** Replaces the document; resolves once it is durably on disk, rejects (leaving the previous one) on failure. */
  save(value: T): Promise<void> {
    const body = `${JSON.stringify(value, null, 1)}\n`;
    const write = this.queue.then(
      () => this.write(body),
      () => this.write(body),
    );
    this.queue = write.catch(() => {});
    return write;
  }

  /** Deletes the document (and any leftover temp file). */
  remove(): Promise<void> {
    const removal = this.queue.then(async () => {
      await rm(this.file, { force: true });
      await rm(this.tempFile, { force: true, recursive: true });
    });
    this.queue = removal.catch(() => {});
    return removal;
  }

  private get tempFile(): string {
    return path.join(path.dirname(this.file), `${path.basename(this.file)}.tmp`);
  }

  private async write(body: string): Promise<void> {
    const temp = this.tempFile;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(body, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}
