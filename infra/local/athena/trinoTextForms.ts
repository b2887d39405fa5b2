import { maskLiterals } from './duckdbOnlySql';

/**
 * Trino's `VALUES 1, 2` (rows of one column without parentheses) as DuckDB's parser needs it, `VALUES (1), (2)`:
 * each top-level item of a VALUES list whose first row has no parentheses is put in them. Found on the text with
 * its literals and comments masked (DuckDB's parser cannot read the form, so there is no tree to work on); a
 * query without that form is returned unchanged.
 */
export function parenthesizedValues(sql: string): string {
  const masked = maskLiterals(sql, '_');
  const keyword = /\bVALUES\b/gi;
  const inserts: { at: number; text: string }[] = [];
  for (let m = keyword.exec(masked); m; m = keyword.exec(masked)) {
    let i = m.index + m[0].length;
    while (i < masked.length && /\s/.test(masked[i] as string)) i += 1;
    if (i >= masked.length || masked[i] === '(') continue;
    let depth = 0;
    let itemStart = i;
    for (; i <= masked.length; i += 1) {
      const ch = masked[i];
      const atEnd =
        i === masked.length ||
        (depth === 0 &&
          (ch === ')' || ch === ';' || /^(ORDER|LIMIT|OFFSET|FETCH|UNION|EXCEPT|INTERSECT)\b/i.test(masked.slice(i))));
      if (atEnd || (depth === 0 && ch === ',')) {
        let end = i;
        while (end > itemStart && /\s/.test(masked[end - 1] as string)) end -= 1;
        inserts.push({ at: itemStart, text: '(' }, { at: end, text: ')' });
        if (atEnd) break;
        itemStart = i + 1;
        while (itemStart < masked.length && /\s/.test(masked[itemStart] as string)) itemStart += 1;
        continue;
      }
      if (ch === '(') depth += 1;
      if (ch === ')') depth -= 1;
    }
  }
  if (inserts.length === 0) return sql;
  let out = sql;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/**
 * Trino's `listagg(x, sep) WITHIN GROUP (ORDER BY y)` as DuckDB's parser reads it, `listagg(x, sep ORDER BY y)`
 * (DuckDB's parser refuses WITHIN GROUP on listagg). Found on the masked text like {@link parenthesizedValues}.
 */
export function listaggWithinGroup(sql: string): string {
  let out = sql;
  for (;;) {
    const masked = maskLiterals(out, '_');
    const call = /\blistagg\s*\(/gi;
    let rewritten = false;
    for (let m = call.exec(masked); m; m = call.exec(masked)) {
      const open = m.index + m[0].length - 1;
      const close = matchingParen(masked, open);
      if (close < 0) break;
      const within = /^\s*WITHIN\s+GROUP\s*\(\s*ORDER\s+BY\b/i.exec(masked.slice(close + 1));
      if (!within) continue;
      const groupOpen = masked.indexOf('(', close + 1);
      const groupClose = matchingParen(masked, groupOpen);
      if (groupClose < 0) break;
      const orderBy = out.slice(groupOpen + 1, groupClose).trim();
      out = `${out.slice(0, close)} ${orderBy})${out.slice(groupClose + 1)}`;
      rewritten = true;
      break;
    }
    if (!rewritten) return out;
  }
}

function matchingParen(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i += 1) {
    if (masked[i] === '(') depth += 1;
    if (masked[i] === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}
