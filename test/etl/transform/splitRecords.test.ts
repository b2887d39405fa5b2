import fc from 'fast-check';
import { splitFields, splitRecordBatches } from '../../../etl/transform/splitRecords';

/**
 * The splitting rules one byte at a time, as plainly as they can be written: the oracle the splitter (which
 * jumps between quotes and line ends with native searches) must agree with on any input and chunking.
 */
function referenceRecords(bytes: Buffer): { line: number; csvLine: number; text: string; unterminated: boolean }[] {
  let start = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  const out: { line: number; csvLine: number; text: string; unterminated: boolean }[] = [];
  let state: 'start' | 'unquoted' | 'quoted' | 'quoteInQuoted' = 'start';
  let line = 1;
  let csvLine = 1;
  let recordLine = 1;
  let recordCsvLine = 1;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (state === 'quoted') {
      if (b === 0x22) state = 'quoteInQuoted';
      else if (b === 0x0a) line++;
    } else if (b === 0x22) {
      if (state === 'start' || state === 'quoteInQuoted') state = 'quoted';
    } else if (b === 0x2c) state = 'start';
    else if (b !== 0x0a) {
      if (b !== 0x0d) state = 'unquoted';
    } else {
      const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
      if (end > start)
        out.push({
          line: recordLine,
          csvLine: recordCsvLine,
          text: bytes.toString('latin1', start, end),
          unterminated: false,
        });
      start = i + 1;
      line++;
      csvLine++;
      recordLine = line;
      recordCsvLine = csvLine;
      state = 'start';
    }
  }
  let end = bytes.length;
  if (state !== 'quoted' && end > start && bytes[end - 1] === 0x0d) end--;
  if (end > start)
    out.push({
      line: recordLine,
      csvLine: recordCsvLine,
      text: bytes.toString('latin1', start, end),
      unterminated: state === 'quoted',
    });
  return out;
}

async function records(text: string | Buffer, chunkSize = 3) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const out: { line: number; text: string; unterminated: boolean }[] = [];
  for await (const batch of splitRecordBatches(chunks())) {
    for (const r of batch) out.push({ line: r.line, text: r.bytes.toString('utf8'), unterminated: r.unterminated });
  }
  return out;
}

async function* oneChunk(text: string) {
  yield Buffer.from(text);
}

/** Short byte strings of the bytes that matter to record splitting: letters, comma, quote, CR, LF. */
const csvBytes = fc
  .array(fc.constantFrom(0x61, 0x2c, 0x22, 0x0d, 0x0a, 0x62), { maxLength: 60 })
  .map((xs) => Buffer.from(xs));
const chunkSize = fc.integer({ min: 1, max: 9 });

async function* chunked(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('splitRecordBatches', () => {
  it('agrees with the byte-at-a-time rules on any mix of quotes, commas, CR and LF, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(csvBytes, chunkSize, async (bytes, size) => {
        const chunks = () => chunked(bytes, size);
        const got: { line: number; csvLine: number; text: string; unterminated: boolean }[] = [];
        for await (const batch of splitRecordBatches(chunks())) {
          for (const r of batch) {
            got.push({
              line: r.line,
              csvLine: r.csvLine,
              text: r.bytes.toString('latin1'),
              unterminated: r.unterminated,
            });
          }
        }
        expect(got).toEqual(referenceRecords(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('marks a record wellQuoted only when splitFields accepts it, and always when it does unless a CR follows a closing quote', async () => {
    await fc.assert(
      fc.asyncProperty(csvBytes, chunkSize, async (bytes, size) => {
        const chunks = () => chunked(bytes, size);
        for await (const batch of splitRecordBatches(chunks())) {
          for (const r of batch) {
            const text = r.bytes.toString('latin1');
            const accepted = !r.unterminated && splitFields(text).ok;
            if (r.wellQuoted) expect(accepted).toBe(true);
            else if (!bytes.includes('"\r')) expect(accepted).toBe(false);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a quote inside an unquoted field literally, as DuckDB does, and counts lines outside quotes', async () => {
    const text = 'a,b\n1,x"y\n"p\nq",2\n\n3,4\n';
    const lines: [number, number][] = [];
    for await (const batch of splitRecordBatches(oneChunk(text)))
      for (const r of batch) lines.push([r.line, r.csvLine]);
    expect(await records(text)).toEqual([
      { line: 1, text: 'a,b', unterminated: false },
      { line: 2, text: '1,x"y', unterminated: false },
      { line: 3, text: '"p\nq",2', unterminated: false },
      { line: 6, text: '3,4', unterminated: false },
    ]);
    expect(lines).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [6, 5],
    ]);
  });

  it('drops a byte order mark and splits LF and CRLF lines at any chunk boundary', async () => {
    for (const size of [1, 2, 3, 7, 1024]) {
      expect(await records('\ufeffa,b\r\n1,2\n3,4\r\n', size)).toEqual([
        { line: 1, text: 'a,b', unterminated: false },
        { line: 2, text: '1,2', unterminated: false },
        { line: 3, text: '3,4', unterminated: false },
      ]);
    }
  });

  it('keeps quoted newlines inside the record and counts physical lines', async () => {
    expect(await records('a,b\n"x\ny",2\n"p\r\nq",3\n4,5')).toEqual([
      { line: 1, text: 'a,b', unterminated: false },
      { line: 2, text: '"x\ny",2', unterminated: false },
      { line: 4, text: '"p\r\nq",3', unterminated: false },
      { line: 6, text: '4,5', unterminated: false },
    ]);
  });

  it('skips blank and trailing empty lines but keeps their line numbers', async () => {
    expect(await records('a\n\n1\r\n\r\n\n')).toEqual([
      { line: 1, text: 'a', unterminated: false },
      { line: 3, text: '1', unterminated: false },
    ]);
  });

  it('reports a quote left open until the end of the object', async () => {
    expect(await records('a,b\n1,2\n"open,3\n4,5\n')).toEqual([
      { line: 1, text: 'a,b', unterminated: false },
      { line: 2, text: '1,2', unterminated: false },
      { line: 3, text: '"open,3\n4,5\n', unterminated: true },
    ]);
  });

  it('finds nothing in an empty object or one holding only a byte order mark', async () => {
    expect(await records('')).toEqual([]);
    expect(await records(Buffer.from([0xef, 0xbb, 0xbf]))).toEqual([]);
    expect(await records('\ufeff\r\n\n')).toEqual([]);
  });
});

describe('splitFields', () => {
  it('reads quoted delimiters, escaped quotes and empty fields', () => {
    expect(splitFields('a,"b,c","say ""hi""",,"x\ny"')).toEqual({
      ok: true,
      fields: ['a', 'b,c', 'say "hi"', '', 'x\ny'],
    });
    expect(splitFields('')).toEqual({ ok: true, fields: [''] });
    expect(splitFields('a,')).toEqual({ ok: true, fields: ['a', ''] });
  });

  it('refuses a quote inside an unquoted field and text after a closing quote', () => {
    expect(splitFields('a,b"c')).toEqual({
      ok: false,
      message: 'A quote appears inside an unquoted field at character 4.',
    });
    expect(splitFields('"a"b,c')).toEqual({ ok: false, message: 'Text follows a closing quote at character 4.' });
    // Positions count characters (code points), not UTF-16 units: the emoji is one character.
    expect(splitFields('\u{1F600},b"c')).toMatchObject({ message: expect.stringContaining('at character 4.') });
    expect(splitFields('"open')).toMatchObject({ ok: false });
  });
});
