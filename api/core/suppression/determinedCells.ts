import type { LinearTable } from './LinearTable';

/**
 * The suppressed cells an attacker can compute exactly from the published cells and the table's equations:
 * a suppressed cell is determined when its unit vector lies in the row space of the equations restricted to
 * suppressed cells (published values move to the right-hand side). Exact: fraction-free integer (BigInt)
 * Gauss–Jordan elimination, one connected group of equations at a time.
 *
 * With every suppressed value positive (suppression never hides a zero), a cell that is not determined has a
 * whole interval of feasible non-negative values, so "not determined" is also "not pinned by non-negativity".
 */
export function determinedCells(table: LinearTable, suppressed: ReadonlySet<string>): Set<string> {
  const rows: Map<string, bigint>[] = [];
  for (const eq of table.equations) {
    const row = new Map<string, bigint>();
    const add = (id: string, c: bigint) => {
      if (!suppressed.has(id)) return;
      const v = (row.get(id) ?? 0n) + c;
      if (v === 0n) row.delete(id);
      else row.set(id, v);
    };
    add(eq.total, 1n);
    for (const p of eq.parts) add(p, -1n);
    if (row.size) rows.push(row);
  }
  const out = new Set<string>();
  for (const component of components(rows)) {
    for (const id of reduce(component)) out.add(id);
  }
  return out;
}

/** Groups equations that share suppressed cells (elimination never mixes the groups). */
function components(rows: Map<string, bigint>[]): Map<string, bigint>[][] {
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const owner = new Map<string, number>();
  rows.forEach((row, i) => {
    for (const id of row.keys()) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Map<string, bigint>[]>();
  rows.forEach((row, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), row]);
  });
  return [...groups.values()];
}

/** Gauss–Jordan on one group; returns the variables whose reduced row is a multiple of their unit vector. */
function reduce(input: Map<string, bigint>[]): string[] {
  const rows = input.map((r) => new Map(r));
  const variables = [...new Set(rows.flatMap((r) => [...r.keys()]))].sort();
  const pivots: { row: Map<string, bigint>; variable: string }[] = [];
  let remaining = rows;
  for (const variable of variables) {
    const index = remaining.findIndex((r) => r.has(variable));
    if (index < 0) continue;
    const pivot = remaining[index]!;
    remaining = remaining.filter((_, i) => i !== index);
    const eliminate = (row: Map<string, bigint>) => {
      const factor = row.get(variable);
      if (factor === undefined) return;
      const p = pivot.get(variable)!;
      const ids = new Set([...row.keys(), ...pivot.keys()]);
      for (const id of ids) {
        const v = (row.get(id) ?? 0n) * p - (pivot.get(id) ?? 0n) * factor;
        if (v === 0n) row.delete(id);
        else row.set(id, v);
      }
      normalise(row);
    };
    for (const row of remaining) eliminate(row);
    for (const other of pivots) eliminate(other.row);
    pivots.push({ row: pivot, variable });
    remaining = remaining.filter((r) => r.size > 0);
  }
  return pivots.filter((p) => p.row.size === 1).map((p) => p.variable);
}

function normalise(row: Map<string, bigint>): void {
  let g = 0n;
  for (const v of row.values()) g = gcd(g, v < 0n ? -v : v);
  if (g > 1n) for (const [id, v] of row) row.set(id, v / g);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}
