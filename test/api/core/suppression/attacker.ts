import type { LinearTable } from '../../../../api/core/suppression';

/**
 * An independent attacker for tests: knows every published cell and every equation, and searches by brute
 * force (with propagation) for a non-negative integer completion of the suppressed cells in which `target`
 * differs from its true value. Finding one proves the published table does not give `target` away.
 */
export function alternativeExists(table: LinearTable, suppressed: ReadonlySet<string>, target: string): boolean {
  const truth = table.values.get(target)!;
  const bound = Math.max(...table.values.values());
  const vars = [...suppressed];
  const eqs = table.equations.map((eq) => [[eq.total, 1] as const, ...eq.parts.map((p) => [p, -1] as const)]);
  const search = (assigned: Map<string, number>): boolean => {
    // Propagate: an equation with one unknown fixes it.
    const local = new Map(assigned);
    for (let progress = true; progress; ) {
      progress = false;
      for (const eq of eqs) {
        const unknown = eq.filter(([id]) => suppressed.has(id) && !local.has(id));
        const sum = eq.reduce(
          (s, [id, c]) => s + (local.get(id) ?? (suppressed.has(id) ? 0 : table.values.get(id)!)) * c,
          0,
        );
        if (unknown.length === 0) {
          if (sum !== 0) return false;
        } else if (unknown.length === 1) {
          const [id, c] = unknown[0]!;
          const v = -sum / c;
          if (!Number.isInteger(v) || v < 0 || v > bound) return false;
          if (id === target && v === truth) return false;
          local.set(id, v);
          progress = true;
        }
      }
    }
    const next = vars.find((v) => !local.has(v));
    if (next === undefined) return local.get(target) !== truth;
    for (let v = 0; v <= bound; v++) {
      if (next === target && v === truth) continue;
      if (search(new Map(local).set(next, v))) return true;
    }
    return false;
  };
  return search(new Map());
}
