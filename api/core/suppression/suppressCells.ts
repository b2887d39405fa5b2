import { narrowCells } from './intervalAudit';
import type { LinearTable, SuppressionReason } from './LinearTable';

export interface SuppressionOptions {
  /** Cells counting fewer than this (and more than zero) are suppressed. @default 10 */
  readonly minimumCellSize: number;
  /**
   * The width every withheld cell's feasible interval must reach in the attacker's interval problem
   * (`narrowCells`). @default minimumCellSize: with withheld cells known to be ≥ 1, an interval that wide
   * reaches past the minimum, so the attacker cannot tell a small group from a large one.
   */
  readonly protectionWidth?: number;
}

/**
 * Chooses the cells to suppress in a table of counts.
 *
 * 1. Primary: every cell with `0 < value < minimumCellSize`. Zeros are published: a zero says nobody is in
 *    the group, which singles no one out, and suppressing zeros would pin their neighbours by non-negativity.
 * 2. Complementary, until stable: every equation with exactly one suppressed cell gets a second one (the
 *    smallest positive published part, else the smallest positive published total), so no single equation
 *    gives a suppressed cell away.
 * 3. Audit: the attacker's interval problem (`narrowCells`: a linear program per withheld cell, minimised and
 *    maximised over every published value and equation, withheld cells ≥ 1; once those pass, integer programs
 *    for the primary cells) finds withheld cells whose feasible interval is narrower than the protection width; each such cell gets one more complement from an equation
 *    it is in, and step 2 runs again. When no equation has a positive published cell left, every positive cell
 *    of the table is suppressed, which is always safe (nothing then bounds a withheld cell from above).
 *
 * Which of the two reasons a cell has is not for publication: `primary` says "below the minimum", which an
 * attacker would add as a bound the audit does not assume. Publishers label every withheld cell alike.
 *
 * Terminates: every round suppresses at least one more cell. Returns each suppressed cell with its reason.
 */
export async function suppressCells(
  table: LinearTable,
  options: SuppressionOptions,
): Promise<Map<string, SuppressionReason>> {
  const min = options.minimumCellSize;
  if (!Number.isInteger(min) || min < 1) throw new RangeError(`minimumCellSize must be an integer ≥ 1, got ${min}.`);
  const protectionWidth = options.protectionWidth ?? min;
  for (const [id, v] of table.values) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`Cell ${id} is not a count: ${v}.`);
  }
  for (const eq of table.equations) {
    for (const id of [eq.total, ...eq.parts]) if (!table.values.has(id)) throw new RangeError(`Unknown cell ${id}.`);
  }
  const out = new Map<string, SuppressionReason>();
  for (const [id, v] of table.values) if (v > 0 && v < min) out.set(id, 'primary');
  if (out.size === 0) return out;
  const value = (id: string) => table.values.get(id)!;
  const byCell = new Map<string, (typeof table.equations)[number][]>();
  for (const eq of table.equations) {
    for (const id of [eq.total, ...eq.parts]) byCell.set(id, [...(byCell.get(id) ?? []), eq]);
  }
  const complementOf = (eq: (typeof table.equations)[number]): string | undefined => {
    const open = (ids: readonly string[]) =>
      ids.filter((id) => !out.has(id) && value(id) > 0).sort((a, b) => value(a) - value(b) || (a < b ? -1 : 1));
    return open(eq.parts)[0] ?? open([eq.total])[0];
  };
  for (;;) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const eq of table.equations) {
        const hidden = [eq.total, ...eq.parts].filter((id) => out.has(id)).length;
        if (hidden !== 1) continue;
        const pick = complementOf(eq);
        if (pick !== undefined) {
          out.set(pick, 'complementary');
          changed = true;
        }
      }
    }
    const withheld = new Set(out.keys());
    let exposed = await narrowCells(table, withheld, { protectionWidth });
    if (exposed.size === 0) {
      // The relaxation's intervals contain the integer ones; an attacker with a MIP solver may narrow them, so
      // the cells that need protection (primary) are audited again as integer programs before publishing.
      const primary = new Set([...out].filter(([, reason]) => reason === 'primary').map(([id]) => id));
      exposed = await narrowCells(table, withheld, { protectionWidth, integer: true, cells: primary });
      if (exposed.size === 0) return out;
    }
    let added = false;
    for (const id of [...exposed].sort()) {
      for (const eq of byCell.get(id) ?? []) {
        const pick = complementOf(eq);
        if (pick !== undefined) {
          out.set(pick, 'complementary');
          added = true;
          break;
        }
      }
    }
    if (!added) {
      for (const [id, v] of table.values) if (v > 0 && !out.has(id)) out.set(id, 'complementary');
      return out;
    }
  }
}
