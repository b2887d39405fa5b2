import type { AdditivityEquation, LinearTable } from './LinearTable';

/** One leaf count: its coordinate in every dimension as a path from the dimension's root (e.g. region, district, school). */
export interface LeafCount {
  readonly coordinates: readonly (readonly string[])[];
  readonly count: number;
}

/** A cell of the table: a node in every dimension (a path prefix; `[]` is the dimension's total). */
export interface HierarchicalCell {
  readonly id: string;
  readonly coordinates: readonly (readonly string[])[];
  readonly value: number;
}

export interface HierarchicalTable extends LinearTable {
  readonly cells: readonly HierarchicalCell[];
}

/**
 * Builds the full table an open report publishes from leaf counts: for every dimension (area hierarchy,
 * subject, outcome…) every level is published, so cells are all combinations of nodes, each the sum of
 * its leaves. Every node with children gives one equation per combination of the other dimensions
 * (`node = Σ children`): row and column totals, the grand total, and every level of a hierarchy, which is
 * exactly what an attacker can add and subtract.
 */
export function hierarchicalTable(dimensions: number, leaves: readonly LeafCount[]): HierarchicalTable {
  const nodes: Map<string, readonly string[]>[] = Array.from({ length: dimensions }, () => new Map());
  const values = new Map<string, number>();
  const coords = new Map<string, readonly (readonly string[])[]>();
  for (const leaf of leaves) {
    if (leaf.coordinates.length !== dimensions) throw new RangeError(`A leaf needs ${dimensions} coordinates.`);
    leaf.coordinates.forEach((path, d) => {
      for (let i = 0; i <= path.length; i++) nodes[d]!.set(key(path.slice(0, i)), path.slice(0, i));
    });
    for (const combo of product(
      leaf.coordinates.map((path) => Array.from({ length: path.length + 1 }, (_, i) => path.slice(0, i))),
    )) {
      const id = key(combo);
      values.set(id, (values.get(id) ?? 0) + leaf.count);
      coords.set(id, combo);
    }
  }
  const children: Map<string, (readonly string[])[]>[] = nodes.map((byKey) => {
    const out = new Map<string, (readonly string[])[]>();
    for (const path of byKey.values()) {
      if (path.length === 0) continue;
      const parent = key(path.slice(0, -1));
      out.set(parent, [...(out.get(parent) ?? []), path]);
    }
    return out;
  });
  // Every combination of nodes is a cell (zero when no leaf falls in it), so every equation is complete.
  for (const combo of product(nodes.map((byKey) => [...byKey.values()]))) {
    const id = key(combo);
    if (!values.has(id)) {
      values.set(id, 0);
      coords.set(id, combo);
    }
  }
  const equations: AdditivityEquation[] = [];
  for (const [id, combo] of coords) {
    combo.forEach((node, d) => {
      const kids = children[d]!.get(key(node));
      if (!kids) return;
      equations.push({ total: id, parts: kids.map((kid) => key(combo.map((n, i) => (i === d ? kid : n)))) });
    });
  }
  const cells = [...coords].map(([id, coordinates]) => ({ id, coordinates, value: values.get(id)! }));
  return { values, equations, cells };
}

/** The id of a cell from its coordinates. */
export function cellId(coordinates: readonly (readonly string[])[]): string {
  return key(coordinates);
}

function key(value: unknown): string {
  return JSON.stringify(value);
}

function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}
