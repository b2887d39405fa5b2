import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { dateValue, timestampValue } from '@duckdb/node-api';
import type { DatasetSchema } from '../schemas/DatasetSchema';
import type { FieldValue } from '../schemas/parseField';
import { ident, stagingType } from './duckdbTypes';

/** Lineage and ordering columns the staging table adds to the export columns. */
export const STAGING_EXTRA = ['student_key', 'source_file', '_rank', '_line'] as const;

type Append = (appender: DuckDBAppender, value: FieldValue) => void;

/**
 * Streams validated rows of one dataset into a DuckDB staging table through the appender (no SQL text per row),
 * adding the student pseudonym, the source object and the ordering (`_rank` of the object, `_line` in it).
 */
export class StagingAppender {
  private readonly appends: readonly Append[];
  rows = 0;

  private constructor(
    readonly dataset: DatasetSchema,
    readonly table: string,
    private readonly appender: DuckDBAppender,
    private readonly pseudonym: (studentId: string) => string,
  ) {
    this.appends = dataset.columns.map((c) => appenderFor(c.type.kind));
  }

  static async create(
    connection: DuckDBConnection,
    dataset: DatasetSchema,
    pseudonym: (studentId: string) => string,
  ): Promise<StagingAppender> {
    const table = `staged_${dataset.name}`;
    const columns = [
      ...dataset.columns.map((c) => `${ident(c.name)} ${stagingType(c.type)}`),
      'student_key VARCHAR',
      'source_file VARCHAR',
      '_rank INTEGER',
      '_line BIGINT',
    ];
    await connection.run(`CREATE TABLE ${ident(table)} (${columns.join(', ')})`);
    return new StagingAppender(dataset, table, await connection.createAppender(table), pseudonym);
  }

  append(values: Readonly<Record<string, FieldValue>>, source: string, rank: number, line: number): void {
    const { columns, pseudonymSource } = this.dataset;
    for (let i = 0; i < columns.length; i++) this.appends[i]!(this.appender, values[columns[i]!.name] ?? null);
    const student = pseudonymSource === undefined ? null : values[pseudonymSource];
    if (typeof student === 'string') this.appender.appendVarchar(this.pseudonym(student));
    else this.appender.appendNull();
    this.appender.appendVarchar(source);
    this.appender.appendInteger(rank);
    this.appender.appendBigInt(BigInt(line));
    this.appender.endRow();
    this.rows++;
  }

  close(): void {
    this.appender.flushSync();
    this.appender.closeSync();
  }
}

function appenderFor(kind: string): Append {
  const orNull =
    (fn: (a: DuckDBAppender, v: never) => void): Append =>
    (a, v) =>
      v === null ? a.appendNull() : fn(a, v as never);
  switch (kind) {
    case 'string':
      return orNull((a, v: string) => a.appendVarchar(v));
    case 'integer':
      return orNull((a, v: number) => a.appendInteger(v));
    case 'bigint':
      return orNull((a, v: number) => a.appendBigInt(BigInt(v)));
    case 'decimal':
    case 'double':
      return orNull((a, v: number) => a.appendDouble(v));
    case 'boolean':
      return orNull((a, v: boolean) => a.appendBoolean(v));
    case 'timestamp':
      return orNull((a, v: number) => a.appendTimestamp(timestampValue(BigInt(v) * 1000n)));
    case 'date':
      return orNull((a, v: string) => a.appendDate(dateValue(Math.round(Date.parse(`${v}T00:00:00Z`) / 86_400_000))));
    default:
      throw new Error(`No appender for column type ${kind}`);
  }
}
