/**
 * A published table as an attacker sees it: cells with values, and additivity equations between them
 * (`total = sum of parts`: row totals, column totals, the grand total, a district as the sum of its schools…).
 * Suppression works on this shape only, so any report whose published figures add up can be protected.
 */
export interface LinearTable {
  /** Cell values: non-negative integers (counts), by cell id. */
  readonly values: ReadonlyMap<string, number>;
  readonly equations: readonly AdditivityEquation[];
}

/** `total = parts[0] + parts[1] + …`, all cell ids of the same table. */
export interface AdditivityEquation {
  readonly total: string;
  readonly parts: readonly string[];
}

/** Why a cell is not published. */
export const SUPPRESSION_REASONS = {
  primary: 'primary',
  complementary: 'complementary',
} as const;
export type SuppressionReason = keyof typeof SUPPRESSION_REASONS;

/**
 * The one label published for a withheld figure, whatever its reason: telling `primary` (below the minimum)
 * from `complementary` (at least the minimum) would hand an attacker bounds that undo the protection.
 */
export const WITHHELD = 'withheld';

/** The published reason texts, by label. */
export const SUPPRESSION_REASON_TEXT: Readonly<Record<typeof WITHHELD, string>> = {
  withheld:
    'Withheld: fewer students than the minimum group size contribute to it, or publishing it would let such a figure be derived or narrowed down from the published ones.',
};
