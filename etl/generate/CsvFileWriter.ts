import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';
import { LATIN1_BYTE, LATIN1_MARK } from './corruptRow';

/** Characters gathered before one write to the stream. */
const CHUNK_CHARS = 256 * 1024;
const MARK_BYTES = Buffer.from(LATIN1_MARK, 'utf8');

/**
 * Writes one CSV file as a stream with backpressure: records are gathered into chunks of ~256 KiB, and when the
 * stream's buffer is full the writer waits for `drain`, so memory stays bounded whatever the file size.
 * Counts physical lines, data records and bytes (uncompressed) as it goes.
 */
export class CsvFileWriter {
  private pending: string[] = [];
  private pendingChars = 0;
  /** Physical lines written so far (the header included). */
  lines = 0;
  /** Data records written so far (the header not included). */
  records = 0;
  /** Bytes of CSV handed to the stream so far, before compression (buffered text is counted when flushed). */
  bytes = 0;

  private constructor(
    readonly path: string,
    private readonly file: WriteStream,
    private readonly sink: WriteStream | Gzip,
  ) {}

  static open(path: string, options: { gzip: boolean }): CsvFileWriter {
    const file = createWriteStream(path);
    if (!options.gzip) return new CsvFileWriter(path, file, file);
    const gzip = createGzip({ level: 6 });
    gzip.pipe(file);
    return new CsvFileWriter(path, file, gzip);
  }

  /**
   * Appends text occupying `lines` physical lines; `isRecord` counts it as a data record. Text holding
   * `LATIN1_MARK` is written with that character replaced by a byte that is not UTF-8.
   * @returns the physical line the text starts on
   */
  async write(text: string, lines: number, isRecord: boolean): Promise<number> {
    const startLine = this.lines + 1;
    if (text.includes(LATIN1_MARK)) {
      this.lines += lines;
      if (isRecord) this.records++;
      await this.flush();
      const bytes = withLatin1Bytes(Buffer.from(text, 'utf8'));
      this.bytes += bytes.length;
      await this.push(bytes);
      return startLine;
    }
    const flushing = this.append(text, lines, isRecord);
    if (flushing) await flushing;
    return startLine;
  }

  /**
   * The fast path of `write` for text without `LATIN1_MARK`: buffers synchronously and returns a promise only
   * when a chunk is full and must be written (await it before writing more).
   */
  append(text: string, lines: number, isRecord: boolean): Promise<void> | undefined {
    this.lines += lines;
    if (isRecord) this.records++;
    this.pending.push(text);
    this.pendingChars += text.length;
    return this.pendingChars >= CHUNK_CHARS ? this.flush() : undefined;
  }

  /** Flushes, ends the stream and waits until the file is closed. */
  async close(): Promise<void> {
    await this.flush();
    const closed = once(this.file, 'close');
    this.sink.end();
    await closed;
  }

  /** Stops writing without waiting for buffered data (after a failure elsewhere). */
  destroy(): void {
    this.sink.destroy();
    this.file.destroy();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    this.bytes += chunk.length;
    await this.push(chunk);
  }

  private async push(chunk: string | Buffer): Promise<void> {
    if (!this.sink.write(chunk)) await once(this.sink, 'drain');
  }
}

function withLatin1Bytes(encoded: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = encoded.indexOf(MARK_BYTES); at !== -1; at = encoded.indexOf(MARK_BYTES, from)) {
    parts.push(encoded.subarray(from, at), Buffer.from([LATIN1_BYTE]));
    from = at + MARK_BYTES.length;
  }
  parts.push(encoded.subarray(from));
  return Buffer.concat(parts);
}
