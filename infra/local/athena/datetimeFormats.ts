/**
 * Trino's date format patterns as DuckDB `strftime`/`strptime` patterns: MySQL specifiers (`date_format`,
 * `date_parse`) and Joda-Time patterns (`format_datetime`, `parse_datetime`).
 */

/** MySQL specifiers that differ from strftime's; the rest (`%Y`, `%m`, `%d`, `%H`, `%p`, `%j`, …) are shared. */
const MYSQL: Readonly<Record<string, string>> = {
  '%M': '%B',
  '%i': '%M',
  '%s': '%S',
  '%W': '%A',
  '%h': '%I',
  '%T': '%H:%M:%S',
  '%r': '%I:%M:%S %p',
  '%c': '%-m',
  '%e': '%-d',
  '%k': '%-H',
  '%l': '%-I',
  '%v': '%V',
  '%f': '%f',
  '%%': '%%',
};

export function mysqlToStrftime(pattern: string): string {
  return pattern.replace(/%./g, (spec) => MYSQL[spec] ?? spec);
}

/** Joda-Time letters runs and their strftime equivalents (longest run first). */
const JODA: readonly (readonly [RegExp, string])[] = [
  [/^yyyy+/, '%Y'],
  [/^yy/, '%y'],
  [/^y/, '%Y'],
  [/^MMMM+/, '%B'],
  [/^MMM/, '%b'],
  [/^MM/, '%m'],
  [/^M/, '%-m'],
  [/^dd/, '%d'],
  [/^d/, '%-d'],
  [/^HH/, '%H'],
  [/^H/, '%-H'],
  [/^hh/, '%I'],
  [/^h/, '%-I'],
  [/^mm/, '%M'],
  [/^m/, '%-M'],
  [/^ss/, '%S'],
  [/^s/, '%-S'],
  [/^SSS/, '%g'],
  [/^EEEE+/, '%A'],
  [/^E+/, '%a'],
  [/^a/, '%p'],
  [/^DDD/, '%j'],
  [/^Z+/, '%z'],
];

export function jodaToStrftime(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const rest = pattern.slice(i);
    if (rest.startsWith("''")) {
      out += "'";
      i += 2;
      continue;
    }
    if (rest[0] === "'") {
      const close = pattern.indexOf("'", i + 1);
      const end = close < 0 ? pattern.length : close;
      out += pattern.slice(i + 1, end).replaceAll('%', '%%');
      i = end + 1;
      continue;
    }
    const match = JODA.find(([re]) => re.test(rest));
    if (match) {
      const run = (match[0].exec(rest) as RegExpExecArray)[0];
      out += match[1];
      i += run.length;
      continue;
    }
    out += rest[0] === '%' ? '%%' : rest[0];
    i += 1;
  }
  return out;
}
