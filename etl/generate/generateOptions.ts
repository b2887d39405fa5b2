import { InvalidGenerateOptionError } from './errors';
import { HEADER_STYLES, type HeaderStyle } from './headerNames';

export const OUTPUT_FORMATS = ['csv', 'csv.gz'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What to generate. Sizes scale linearly: about 55,000 item responses per school with the defaults. */
export interface GenerateOptions {
  /** Seed of every random choice: the same seed and options give byte-identical files. */
  readonly seed: string;
  /** @default 20 */
  readonly schools: number;
  /** Calendar year the school year starts in (September of it to June of the next). @default 2025 */
  readonly year: number;
  /** @default 2 */
  readonly classesPerGrade: number;
  /** Mean class size. @default 24 */
  readonly studentsPerClass: number;
  /** Fraction of rows made bad (0 to 0.5); every kind of `BAD_ROW_KINDS` appears when above 0. @default 0 */
  readonly badRows: number;
  /** @default 'csv' */
  readonly format: OutputFormat;
  /** Schools per file within a month; 0 puts every school of a month in one file. @default 0 */
  readonly schoolsPerFile: number;
  /** Header spelling of every file; unset: canonical, or drawn per file with `variety`. */
  readonly headerStyle?: HeaderStyle;
  /** Byte order mark on every file; unset: none, or drawn per file with `variety`. */
  readonly bom?: boolean;
  /** CRLF line ends on every file; unset: LF, or drawn per file with `variety`. */
  readonly crlf?: boolean;
  /**
   * Vary every file as real exports vary: header spelling, BOM, CRLF, boolean spelling, a space instead of `T`
   * in timestamps, titles wrapped inside quotes, trailing empty lines. @default false
   */
  readonly variety: boolean;
}

export const GENERATE_DEFAULTS = Object.freeze({
  seed: 'examlake',
  schools: 20,
  year: 2025,
  classesPerGrade: 2,
  studentsPerClass: 24,
  badRows: 0,
  format: 'csv',
  schoolsPerFile: 0,
  variety: false,
} as const satisfies GenerateOptions);

/** Options with defaults filled in, checked; throws `InvalidGenerateOptionError` naming the option. */
export function generateOptions(input: Partial<GenerateOptions>): GenerateOptions {
  const options: GenerateOptions = { ...GENERATE_DEFAULTS, ...stripUndefined(input) };
  integer('schools', options.schools, 1, 100_000);
  integer('year', options.year, 2000, 2098);
  integer('classesPerGrade', options.classesPerGrade, 1, 26);
  integer('studentsPerClass', options.studentsPerClass, 8, 200);
  integer('schoolsPerFile', options.schoolsPerFile, 0, 100_000);
  if (!(options.badRows >= 0 && options.badRows <= 0.5)) {
    throw new InvalidGenerateOptionError(`--bad-rows must be a fraction from 0 to 0.5, got ${options.badRows}.`);
  }
  if (!OUTPUT_FORMATS.includes(options.format)) {
    throw new InvalidGenerateOptionError(
      `--format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${options.format}.`,
    );
  }
  if (options.headerStyle !== undefined && !HEADER_STYLES.includes(options.headerStyle)) {
    throw new InvalidGenerateOptionError(
      `--header-style must be one of ${HEADER_STYLES.join(', ')}, got ${options.headerStyle}.`,
    );
  }
  if (options.seed === '') throw new InvalidGenerateOptionError('--seed must not be empty.');
  return Object.freeze(options);
}

const FLAG: Record<string, string> = {
  schools: '--schools',
  year: '--year',
  classesPerGrade: '--classes-per-grade',
  studentsPerClass: '--students-per-class',
  schoolsPerFile: '--schools-per-file',
};

function integer(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidGenerateOptionError(`${FLAG[name]} must be a whole number from ${min} to ${max}, got ${value}.`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
