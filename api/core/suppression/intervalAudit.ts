import loadHighs from 'highs';
import type { LinearTable } from './LinearTable';

/** The HiGHS solver (WebAssembly), loaded once per process. */
type Highs = Awaited<ReturnType<typeof loadHighs>>;
let solver: Promise<Highs> | undefined;

/** The shared HiGHS instance; the first call compiles the WebAssembly module (tens of milliseconds). */
export function highsSolver(): Promise<Highs> {
  solver ??= loadHighs();
  return solver;
}

/** Solver tolerance when rounding an optimum to the integer an attacker concludes. */
const EPSILON = 1e-6;

/** What an attacker can conclude about a withheld cell: its smallest and largest value consistent with everything published. */
export interface FeasibleInterval {
  readonly lower: number;
  /** `Infinity` when nothing published bounds it from above. */
  readonly upper: number;
}

export interface IntervalAuditOptions {
  /**
   * The width every withheld cell's feasible interval must reach (`upper − lower ≥ protectionWidth`): an attacker
   * who solves the interval problem cannot tell a value below the minimum cell size from one above it.
   */
  readonly protectionWidth: number;
  /**
   * Solve integer programs (what an attacker with a MIP solver learns) rather than their linear relaxations
   * (which bound them: the relaxed interval contains the integer one, and costs a tenth as much). @default false
   */
  readonly integer?: boolean;
  /** Audit only these withheld cells (the others still are unknowns of the problem). @default every withheld cell */
  readonly cells?: ReadonlySet<string>;
}

/**
 * The attacker's problem (the "interval problem" of tau-ARGUS and sdcTable): for each withheld cell, its minimum
 * and maximum over every completion of the table consistent with what is published: the published values, every
 * additivity equation, integrality, and a lower bound of 1 on every withheld cell (zeros are published, so a
 * withheld figure is known to be positive). Solved as integer programs by HiGHS, one connected group of
 * equations at a time, each group's model built once and re-solved per cell with a changed objective.
 *
 * Returns the withheld cells whose interval is narrower than `protectionWidth`. Solving stops early for a cell
 * once two solutions already seen differ by the width (every solution HiGHS returns is a feasible completion,
 * so the spread of values seen is a lower bound of the interval's width).
 *
 * An upper bound `cap` (the sum of all cells plus the width) keeps every model bounded; a cell reaching it has
 * an interval at least as wide as the width, which is all the audit needs to know.
 */
export async function narrowCells(
  table: LinearTable,
  withheld: ReadonlySet<string>,
  options: IntervalAuditOptions,
): Promise<Set<string>> {
  const out = new Set<string>();
  await eachGroup(table, withheld, options.protectionWidth, options.integer ?? false, (group) => {
    for (const id of group.cells) {
      if (options.cells && !options.cells.has(id)) continue;
      if (group.spread(id) >= options.protectionWidth) continue;
      const upper = group.solve(id, 'maximize');
      if (upper - group.seenMin(id) >= options.protectionWidth) continue;
      const lower = group.solve(id, 'minimize');
      if (upper - lower < options.protectionWidth) out.add(id);
    }
  });
  return out;
}

/**
 * The exact feasible interval of every withheld cell (no early stop; `upper` is `Infinity` when the cell is not
 * bounded above by anything published). What an attacker with an integer programming solver learns (with
 * `integer: false`, what one with a linear programming solver learns, rounded inward).
 */
export async function feasibleIntervals(
  table: LinearTable,
  withheld: ReadonlySet<string>,
  options: { readonly integer?: boolean } = {},
): Promise<Map<string, FeasibleInterval>> {
  const out = new Map<string, FeasibleInterval>();
  const total = [...table.values.values()].reduce((a, b) => a + b, 0);
  await eachGroup(table, withheld, total + 1, options.integer ?? true, (group, cap) => {
    for (const id of group.cells) {
      const upper = group.solve(id, 'maximize');
      out.set(id, { lower: group.solve(id, 'minimize'), upper: upper >= cap ? Number.POSITIVE_INFINITY : upper });
    }
  });
  return out;
}

interface Group {
  readonly cells: readonly string[];
  /** The optimum of the cell in this sense (an integer). */
  solve(id: string, sense: 'minimize' | 'maximize'): number;
  seenMin(id: string): number;
  spread(id: string): number;
}

/**
 * Builds one integer program per connected group of withheld cells (equations restricted to withheld cells, the
 * published values moved to the right-hand side) and hands it to `use`, disposing it afterwards.
 */
async function eachGroup(
  table: LinearTable,
  withheld: ReadonlySet<string>,
  slack: number,
  integer: boolean,
  use: (group: Group, cap: number) => void,
): Promise<void> {
  if (withheld.size === 0) return;
  const highs = await highsSolver();
  const rows: { coefficients: Map<string, number>; rhs: number }[] = [];
  for (const eq of table.equations) {
    const coefficients = new Map<string, number>();
    let rhs = 0;
    const add = (id: string, c: number) => {
      if (withheld.has(id)) {
        const v = (coefficients.get(id) ?? 0) + c;
        if (v === 0) coefficients.delete(id);
        else coefficients.set(id, v);
      } else rhs -= c * table.values.get(id)!;
    };
    add(eq.total, 1);
    for (const p of eq.parts) add(p, -1);
    if (coefficients.size) rows.push({ coefficients, rhs });
  }
  const cap = [...table.values.values()].reduce((a, b) => a + b, 0) + slack;
  const grouped = groups([...withheld].sort(), rows);
  for (const { cells, rows: groupRows } of grouped) {
    if (groupRows.length === 0) {
      // In no equation: nothing published bounds it but the cap.
      use(
        {
          cells,
          solve: (_id, sense) => (sense === 'minimize' ? 1 : cap),
          seenMin: () => 1,
          spread: () => cap - 1,
        },
        cap,
      );
      continue;
    }
    const name = new Map(cells.map((id, i) => [id, `x${i}`]));
    const lp = [
      'Minimize',
      ` obj: ${name.get(cells[0]!)}`,
      'Subject To',
      ...groupRows.map(
        (row, i) =>
          ` e${i}: ${[...row.coefficients].map(([id, c]) => `${c >= 0 ? '+' : '-'} ${Math.abs(c)} ${name.get(id)}`).join(' ')} = ${row.rhs}`,
      ),
      'Bounds',
      ...cells.map((id) => ` 1 <= ${name.get(id)} <= ${cap}`),
      ...(integer ? ['Generals', ` ${cells.map((id) => name.get(id)).join(' ')}`] : []),
      'End',
    ].join('\n');
    const model = highs.createModel({ format: 'lp', data: lp });
    try {
      model.options.set({ output_flag: false });
      const column = new Map(cells.map((id) => [id, model.getColByName(name.get(id)!)]));
      const low = new Map<string, number>();
      const high = new Map<string, number>();
      let costed: number | undefined;
      const group: Group = {
        cells,
        solve(id, sense) {
          const col = column.get(id)!;
          if (costed !== undefined && costed !== col) model.changeColCost(costed, 0);
          model.changeColCost(col, 1);
          costed = col;
          model.changeObjectiveSense(highs.constants.objectiveSense[sense]);
          model.run();
          const status = model.getModelStatus();
          if (status !== highs.constants.modelStatus.optimal) {
            throw new Error(`The interval audit's integer program ended with HiGHS model status ${status}.`);
          }
          const values = model.getSolution().colValue;
          for (const [other, c] of column) {
            const v = values[c]!;
            low.set(other, Math.min(low.get(other) ?? v, v));
            high.set(other, Math.max(high.get(other) ?? v, v));
          }
          // Integer values an attacker can conclude: the relaxed optimum rounded inward.
          const optimum = model.getObjectiveValue();
          return sense === 'maximize' ? Math.floor(optimum + EPSILON) : Math.ceil(optimum - EPSILON);
        },
        seenMin: (id) => low.get(id) ?? Number.POSITIVE_INFINITY,
        spread: (id) => (high.get(id) ?? 0) - (low.get(id) ?? 0),
      };
      use(group, cap);
    } finally {
      model.dispose();
    }
  }
}

/** Withheld cells grouped by the equations that connect them; a cell in no equation is a group of its own. */
function groups(
  cells: readonly string[],
  rows: readonly { coefficients: Map<string, number>; rhs: number }[],
): { cells: string[]; rows: { coefficients: Map<string, number>; rhs: number }[] }[] {
  const parent = new Map(cells.map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const row of rows) {
    const [first, ...rest] = [...row.coefficients.keys()];
    for (const id of rest) parent.set(find(id), find(first!));
  }
  const byRoot = new Map<string, { cells: string[]; rows: { coefficients: Map<string, number>; rhs: number }[] }>();
  for (const id of cells) {
    const root = find(id);
    const g = byRoot.get(root) ?? { cells: [], rows: [] };
    g.cells.push(id);
    byRoot.set(root, g);
  }
  for (const row of rows) byRoot.get(find(row.coefficients.keys().next().value!))!.rows.push(row);
  return [...byRoot.values()];
}
