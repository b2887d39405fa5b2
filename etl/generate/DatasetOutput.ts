import type { DatasetSchema } from '../schemas/DatasetSchema';
import type { DatasetName } from '../schemas/datasets';
import { BAD_ROW_KINDS, type BadRowEntry, type BadRowKindName, badRowKindsFor } from './badRowKinds';
import { CsvFileWriter } from './CsvFileWriter';
import { corruptRow } from './corruptRow';
import { csvLine, csvLineOfClean, physicalLines } from './csvLine';
import type { FileStyle, FileStyleOptions } from './FileStyle';
import { fileStyle } from './FileStyle';
import { headerName } from './headerNames';
import type { Random } from './Random';

/** A file written, as listed in the manifest. */
export interface WrittenFile {
  readonly file: string;
  readonly dataset: DatasetName;
  readonly records: number;
  readonly lines: number;
  readonly bytes: number;
}

/** A row held back for the corrections file, with the place of the row it corrects. */
interface Correction {
  readonly fields: string[];
  readonly original: { readonly file: string; readonly line: number; readonly record: number };
}

export interface DatasetOutputDeps {
  readonly schema: DatasetSchema;
  readonly badRows: number;
  readonly gzip: boolean;
  readonly styleOptions: FileStyleOptions;
  /** Streams: file styles, injected defects. */
  readonly styleRng: Random;
  readonly faultRng: Random;
  /** Absolute path of a relative output file, its directory created. */
  readonly resolve: (relative: string) => Promise<string>;
  readonly recordBadRow: (entry: BadRowEntry) => Promise<void>;
}

/**
 * The files of one dataset: opens one at a time in its own style, writes rows (injecting defects at the
 * requested rate, cycling through every kind), and keeps the corrections for the final corrections file.
 */
export class DatasetOutput {
  readonly files: WrittenFile[] = [];
  private writer: CsvFileWriter | undefined;
  private relative = '';
  private style: FileStyle | undefined;
  private pendingUnterminated: string[] | undefined;
  private readonly kinds: BadRowKindName[];
  private nextKindIndex = 0;
  private readonly corrections: Correction[] = [];
  /** Data records written to files closed so far plus the open one. */
  private closedRecords = 0;
  badRowCount = 0;

  /** Which fields may need quoting: the text columns. */
  private readonly textColumns: readonly boolean[];

  constructor(private readonly deps: DatasetOutputDeps) {
    this.kinds = badRowKindsFor(deps.schema.name as DatasetName);
    this.textColumns = deps.schema.columns.map((c) => c.type.kind === 'string');
  }

  get name(): DatasetName {
    return this.deps.schema.name as DatasetName;
  }

  get records(): number {
    return this.closedRecords + (this.writer?.records ?? 0);
  }

  get bytes(): number {
    return this.files.reduce((sum, f) => sum + f.bytes, 0) + (this.writer?.bytes ?? 0);
  }

  /** The open file's style (timestamps and booleans are formatted in it). */
  get currentStyle(): FileStyle {
    if (!this.style) throw new Error(`No ${this.name} file is open`);
    return this.style;
  }

  /** Closes the open file, if any, and opens `name` (e.g. `exam_results-2025-09`) in a new style. */
  async open(name: string): Promise<void> {
    await this.close();
    const ext = this.deps.gzip ? 'csv.gz' : 'csv';
    this.relative = `${this.name}/${name}.${ext}`;
    this.style = fileStyle(this.deps.styleOptions, this.deps.styleRng);
    this.writer = CsvFileWriter.open(await this.deps.resolve(this.relative), { gzip: this.deps.gzip });
    const header = this.deps.schema.columns.map((c) => headerName(c, this.style!.headerStyle, this.deps.styleRng));
    await this.writer.write(`${this.style.bom ? '\uFEFF' : ''}${csvLine(header, this.style.eol)}`, 1, false);
  }

  /**
   * Writes a valid row's fields (schema order), or a defective version of it at the `badRows` rate. Returns a
   * promise only when the caller must wait (a full chunk being written, or a defect being recorded), so the
   * common path costs no promise per row.
   */
  writeRow(fields: string[]): Promise<void> | undefined {
    const writer = this.writer!;
    const { eol } = this.style!;
    if (this.deps.badRows > 0 && this.deps.faultRng.next() < this.deps.badRows) {
      return this.writeBadRow(fields, this.nextKind());
    }
    const line = csvLineOfClean(fields, this.textColumns, eol);
    return writer.append(line, physicalLines(line, eol), true);
  }

  private async writeBadRow(fields: string[], kind: BadRowKindName): Promise<void> {
    const writer = this.writer!;
    const { eol } = this.style!;
    this.badRowCount++;
    const entry = (line: number, extra: Partial<BadRowEntry> = {}): BadRowEntry => ({
      file: this.relative,
      line,
      record: writer.records,
      dataset: this.name,
      kind,
      expected: BAD_ROW_KINDS[kind].expected,
      ...extra,
    });
    switch (kind) {
      case 'unterminated_quote':
        this.pendingUnterminated = fields;
        return;
      case 'exact_duplicate': {
        const line = csvLine(fields, eol);
        await writer.write(line, physicalLines(line, eol), true);
        const at = await writer.write(line, physicalLines(line, eol), true);
        await this.deps.recordBadRow(entry(at));
        return;
      }
      case 'corrected_reexport': {
        const original = [...fields];
        const { column, value } = this.blemish(original);
        original[column] = value;
        const line = csvLine(original, eol);
        const at = await writer.write(line, physicalLines(line, eol), true);
        this.corrections.push({ fields, original: { file: this.relative, line: at, record: writer.records } });
        return;
      }
      default: {
        const bad = corruptRow(kind, this.deps.schema, fields, this.deps.faultRng);
        const line = csvLine(bad.fields, eol);
        const at = await writer.write(line, physicalLines(line, eol), true);
        await this.deps.recordBadRow(entry(at, { column: bad.column, rule: bad.rule }));
      }
    }
  }

  /** Ends the open file: the held-back unterminated record, trailing blank lines, then close. */
  async close(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    const { eol, trailingBlankLines } = this.style!;
    if (this.pendingUnterminated) {
      const fields = this.pendingUnterminated;
      this.pendingUnterminated = undefined;
      const text = `${csvLine(fields.slice(0, -1), '')},"${fields[fields.length - 1]}${eol}`;
      const at = await writer.write(text, physicalLines(text, eol), true);
      await this.deps.recordBadRow({
        file: this.relative,
        line: at,
        record: writer.records,
        dataset: this.name,
        kind: 'unterminated_quote',
        expected: BAD_ROW_KINDS.unterminated_quote.expected,
      });
    }
    if (trailingBlankLines > 0) await writer.write(eol.repeat(trailingBlankLines), trailingBlankLines, false);
    await writer.close();
    this.files.push({
      file: this.relative,
      dataset: this.name,
      records: writer.records,
      lines: writer.lines,
      bytes: writer.bytes,
    });
    this.closedRecords += writer.records;
    this.writer = undefined;
    this.style = undefined;
  }

  /** Writes the corrections file (after every monthly file, so it is the later export) and lists the originals. */
  async writeCorrections(name: string): Promise<void> {
    if (this.corrections.length === 0) return;
    await this.open(name);
    const writer = this.writer!;
    const { eol } = this.style!;
    for (const correction of this.corrections) {
      const line = csvLine(correction.fields, eol);
      const at = await writer.write(line, physicalLines(line, eol), true);
      await this.deps.recordBadRow({
        ...correction.original,
        dataset: this.name,
        kind: 'corrected_reexport',
        expected: BAD_ROW_KINDS.corrected_reexport.expected,
        correctedBy: { file: this.relative, line: at },
      });
    }
    await this.close();
  }

  /** The kinds in turn, so every kind appears once the rate has produced as many bad rows as there are kinds. */
  private nextKind(): BadRowKindName {
    for (;;) {
      const kind = this.kinds[this.nextKindIndex++ % this.kinds.length]!;
      // One truncated record per file, and always its last.
      if (kind !== 'unterminated_quote' || !this.pendingUnterminated) return kind;
    }
  }

  /** What the original of a corrected row got wrong: a student name in lower case, or a lost question time. */
  private blemish(fields: readonly string[]): { column: number; value: string } {
    const index = (name: string) => this.deps.schema.columns.findIndex((c) => c.name === name);
    if (this.name === 'exam_results') {
      const column = index('student_name');
      return { column, value: fields[column]!.toLowerCase() };
    }
    return { column: index('time_spent_seconds'), value: '0' };
  }
}
