/**
 * Trino SQL that node-sql-parser's Trino grammar lacks, rewritten for the validator only (the SQL run is the
 * analyst's): `INTERSECT` and `EXCEPT` (with `ALL`/`DISTINCT`) read as `UNION ALL`, `EXISTS (subquery)` as
 * `1 IN (subquery)`, `variance(` as `var_samp(` (Trino's alias). Each keeps every table, function and subquery
 * in its place, so the checks see exactly what runs; and a set operation stays one (its LIMIT is then enforced by
 * wrapping). Keywords are replaced only outside string literals, quoted identifiers and comments.
 */
export function parseableSql(sql: string): string {
  const masked = maskLiterals(sql);
  const edits: { at: number; length: number; text: string }[] = [];
  for (const [pattern, text] of REWRITES) {
    for (const m of masked.matchAll(pattern)) edits.push({ at: m.index, length: m[0].length, text });
  }
  let out = sql;
  for (const edit of edits.sort((a, b) => b.at - a.at)) {
    out = out.slice(0, edit.at) + edit.text + out.slice(edit.at + edit.length);
  }
  return out;
}

const REWRITES: readonly (readonly [RegExp, string])[] = [
  [/\b(?:INTERSECT|EXCEPT)(?:\s+(?:ALL|DISTINCT))?\b/gi, 'UNION ALL'],
  [/\bEXISTS(?=\s*\()/gi, '1 IN'],
  [/\bvariance(?=\s*\()/gi, 'var_samp'],
];

/** The text with string literals, quoted identifiers and comments blanked out (same length, same offsets). */
function maskLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end = i + 1;
    if (c === "'" || c === '"') {
      end = i + 1;
      for (;;) {
        const close = sql.indexOf(c, end);
        if (close < 0) {
          end = sql.length;
          break;
        }
        if (sql[close + 1] === c) {
          end = close + 2;
          continue;
        }
        end = close + 1;
        break;
      }
    } else if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      end = newline < 0 ? sql.length : newline;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
    } else {
      out += c;
      i += 1;
      continue;
    }
    out += ' '.repeat(end - i);
    i = end;
  }
  return out;
}
