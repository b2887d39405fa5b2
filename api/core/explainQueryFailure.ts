/**
 * An engine's failure message (Athena's StateChangeReason; the local Athena words DuckDB's errors the same way)
 * as a problem detail that names the column or function and says what to do. Athena's error names and positions
 * (`COLUMN_NOT_FOUND: line 1:8: …`) and any engine prefix (`Binder Error: …`) are not passed on.
 */
export function explainQueryFailure(message: string): string {
  const firstLine = message.split('\n')[0]!.trim();
  const at = /(?:^|: )line (\d+):(\d+): /.exec(firstLine);
  const where = at ? ` (line ${at[1]}, column ${at[2]})` : '';
  const text = firstLine.replace(/^[A-Z_]+: /, '').replace(/^line \d+:\d+: /, '');
  for (const [pattern, explain] of EXPLANATIONS) {
    const m = pattern.exec(text);
    if (m) return `The query failed: ${explain(m, where)}`;
  }
  return `The query failed: ${text.replace(/^(?:Binder|Catalog|Parser|Conversion|Invalid Input|Out of Range|Not implemented) Error: /, '')}`;
}

const EXPLANATIONS: readonly (readonly [RegExp, (m: RegExpExecArray, where: string) => string])[] = [
  [
    /^Column '([^']+)' cannot be resolved/,
    (m, where) =>
      `column ${m[1]} does not exist in the tables the query reads${where}; check its name against the dataset's columns (GET /v1/datasets/{name}).`,
  ],
  [
    /^Column prefix '([^']+)' cannot be resolved/,
    (m, where) =>
      `${m[1]} is not a table or alias of the query${where}; qualify columns with an alias the FROM clause defines.`,
  ],
  [
    /^Function '([^']+)' not registered/,
    (m, where) =>
      `function ${m[1]} does not exist in Athena's SQL (Trino)${where}; check its name in the Trino function list.`,
  ],
  [
    /^Unexpected parameters \(([^)]*)\) for function (\w+)/,
    (m, where) =>
      `function ${m[2]} does not take arguments of types (${m[1]})${where}; CAST them to the types it takes.`,
  ],
  [
    /^'([^']+)' must be an aggregate expression or appear in GROUP BY clause/,
    (m, where) => `${m[1]} must be aggregated (count, sum, avg, …) or listed in GROUP BY${where}.`,
  ],
  [
    /^Column '([^']+)' is ambiguous/,
    (m, where) => `column ${m[1]} is in more than one table of the query${where}; qualify it with its table's alias.`,
  ],
  [
    /^Cannot apply (.+?) to the given argument types/,
    (m, where) => `${m[1]} cannot take these argument types${where}; add explicit CASTs.`,
  ],
  [
    /^Table '([^']+)' does not exist/,
    (m, where) => `table ${m[1]} does not exist${where}; load data first, or check the name.`,
  ],
  [
    /^Query cancelled! Query exceeded .*run-time limit/,
    () => 'it ran longer than the engine allows and was cancelled; narrow it (dates, schools, no cross joins).',
  ],
  [/^mismatched input (.*)/, (m, where) => `the SQL has a syntax error${where}: mismatched input ${m[1]}`],
];
