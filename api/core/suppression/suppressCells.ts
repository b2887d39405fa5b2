import { determinedCells } from './determinedCells';
import type { LinearTable, SuppressionReason } from './LinearTable';

export interface SuppressionOptions {
  /** Cells counting fewer than this (and more than zero) are suppressed. @default 10 */
  readonly minimumCellSize: number;
}

/**
 * Chooses the cells to suppress in a table of counts.
 *
 * 1. Primary: every cell with `0 < value < minimumCellSize`. Zeros are published: a zero says nobody is in
 *    the group, which singles no one out, and suppressing zeros would pin their neighbours by non-negativity.
 * 2. Complementary, until stable: every equation with exactly one suppressed cell gets a second one (the
 *    smallest positive published part, else the smallest positive published total), so no single equation
 *    gives a suppressed cell away.
 * 3. Audit: the exact solver (`determinedCells`) looks for suppressed cells still computable by combining
 *    equations (across rows, columns and hierarchy levels); each such cell gets one more complement from
 *    an equation it is in, and step 2 runs again. When no equation has a positive published cell left, every
 *    positive cell of the table is suppressed, which is always safe.
 *
 * Terminates: every round suppresses at least one more cell. Returns each suppressed cell with its reason.
 */
export function suppressCells(table: LinearTable, options: SuppressionOptions): Map<string, SuppressionReason> {
  const min = options.minimumCellSize;
  if (!Number.isInteger(min) || min < 1) throw new RangeError(`minimumCellSize must be an integer ≥ 1, got ${min}.`);
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
    const exposed = determinedCells(table, new Set(out.keys()));
    if (exposed.size === 0) return out;
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
