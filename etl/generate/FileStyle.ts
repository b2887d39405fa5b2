import { HEADER_STYLES, type HeaderStyle } from './headerNames';
import type { Random } from './Random';

/** How one export file is written: the real-world variation the transform must accept. */
export interface FileStyle {
  readonly headerStyle: HeaderStyle;
  readonly bom: boolean;
  readonly eol: '\n' | '\r\n';
  /** Empty lines after the last record. */
  readonly trailingBlankLines: number;
  /** How booleans are spelled: [true, false]. */
  readonly booleans: readonly [string, string];
  /** Between date and time in timestamps. */
  readonly dateTimeSeparator: 'T' | ' ';
  /** Whether long titles are wrapped onto two lines inside their quoted field. */
  readonly quotedNewlines: boolean;
}

/** Options fixing parts of the style for every file; `variety` draws the rest per file. */
export interface FileStyleOptions {
  readonly headerStyle?: HeaderStyle;
  readonly bom?: boolean;
  readonly crlf?: boolean;
  readonly variety: boolean;
}

const BOOLEAN_SPELLINGS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['TRUE', 'FALSE'],
  ['1', '0'],
  ['yes', 'no'],
  ['True', 'False'],
];

/** The style of the next file: plain CSV unless options or `variety` say otherwise. */
export function fileStyle(options: FileStyleOptions, rng: Random): FileStyle {
  const v = options.variety;
  return {
    headerStyle: options.headerStyle ?? (v ? rng.pick(HEADER_STYLES) : 'canonical'),
    bom: options.bom ?? (v ? rng.chance(0.5) : false),
    eol: (options.crlf ?? (v ? rng.chance(0.5) : false)) ? '\r\n' : '\n',
    trailingBlankLines: v && rng.chance(0.3) ? rng.int(1, 2) : 0,
    booleans: v ? rng.pick(BOOLEAN_SPELLINGS) : ['true', 'false'],
    dateTimeSeparator: v && rng.chance(0.3) ? ' ' : 'T',
    quotedNewlines: v && rng.chance(0.5),
  };
}
