import { constantValue, isStringConstant, type Node, stringConstant } from './parseTree';

/**
 * Trino's `timestamp with time zone` on DuckDB.
 *
 * Trino keeps two things in such a value: the instant and the zone it was given in (a packed long of UTC millis
 * and a zone key), and renders it in that zone (`2012-10-30 18:00:00.000 America/Los_Angeles`). DuckDB's
 * TIMESTAMPTZ is the instant only. Here the instant stays a DuckDB TIMESTAMPTZ (so comparisons, ordering,
 * `to_unixtime`, arithmetic and joins work unchanged) and the zone travels beside it in the translation: every
 * expression that makes a zoned value (a literal with a zone, `AT TIME ZONE`, `at_timezone`, `with_timezone`,
 * `from_iso8601_timestamp`, `from_unixtime(n, zone)`, and `date_trunc`/`date_add`/`+`/`-` of a zoned value) is
 * annotated with an expression giving its zone (a constant, or per row, e.g. the offset read from an ISO text).
 * Functions that read the local fields (`hour`, `extract`, `date_format`, casts to timestamp, date, time or
 * varchar, `to_iso8601`, `timezone_hour`, `timezone`) are given the local time in that zone; a zoned column of the
 * statement's result becomes a `STRUCT(trino_instant, trino_zone)` that the result formatter renders as Trino does
 * ({@link ZONED_STRUCT_TYPE}). A zoned value passing through a subquery's column keeps its instant and loses its
 * zone (rendered in UTC, the session zone), as docs/local-stack.md says.
 */

/** What the translation needs from its caller: templates instantiated with arguments (see `instantiate`). */
export type Instantiate = (template: string, args: readonly Node[], original: Node | undefined) => Promise<Node>;

/** DuckDB's type name of a zoned result column (the struct made by {@link zonedResultColumns}). */
export const ZONED_STRUCT_TYPE = 'STRUCT("trino_instant" TIMESTAMP WITH TIME ZONE, "trino_zone" VARCHAR)';

/** The zone expression of each translated node that gives a zoned timestamp. */
const zones = new WeakMap<Node, Node>();

/** Functions reading local date/time fields of their timestamp argument (Trino reads them in the value's zone). */
const LOCAL_FIELD_FUNCTIONS: ReadonlySet<string> = new Set([
  'year',
  'quarter',
  'month',
  'week',
  'week_of_year',
  'day',
  'day_of_month',
  'day_of_week',
  'dow',
  'day_of_year',
  'doy',
  'year_of_week',
  'yow',
  'hour',
  'minute',
  'second',
  'millisecond',
  'date_part',
  'date_format',
  'format_datetime',
  'last_day_of_month',
  'date',
]);

/** Zone ids Trino reads as UTC (its `TimeZoneKey` normalises them to `UTC`). */
const UTC_NAMES: ReadonlySet<string> = new Set(
  [
    'Z',
    'UTC',
    'UT',
    'UCT',
    'GMT',
    'GMT0',
    'Zulu',
    'Universal',
    'Greenwich',
    'Etc/UTC',
    'Etc/UT',
    'Etc/UCT',
    'Etc/GMT',
    'Etc/GMT0',
    'Etc/GMT+0',
    'Etc/GMT-0',
    'Etc/Zulu',
    'Etc/Universal',
    'Etc/Greenwich',
  ].map((n) => n.toUpperCase()),
);

/** A zone id as Trino writes it: `UTC` for any UTC name or zero offset, offsets as `+01:00`, names as given. */
export function trinoZoneId(zone: string): string {
  const trimmed = zone.trim();
  if (UTC_NAMES.has(trimmed.toUpperCase())) return 'UTC';
  const offset = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(trimmed);
  if (!offset) return trimmed;
  const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
  if (minutes === 0) return 'UTC';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${offset[1]}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Marks a translated node as giving a zoned timestamp whose zone is `zone` (an expression). */
function zoned(node: Node, zone: Node): Node {
  zones.set(node, zone);
  return node;
}

/** The zone expression of a zone argument: a constant normalised here, any other expression at run time. */
async function zoneArgument(instantiate: Instantiate, arg: Node): Promise<Node> {
  return isStringConstant(arg)
    ? stringConstant(trinoZoneId(constantValue(arg)))
    : instantiate('trino_zone_id(__arg1)', [arg], undefined);
}

/** Marks a timestamp literal with a zone (`TIMESTAMP '2012-10-31 01:00 UTC'`), already cast to TIMESTAMPTZ. */
export function zonedLiteral(node: Node, zone: string): Node {
  return zoned(node, stringConstant(trinoZoneId(zone)));
}

/**
 * The Trino meaning of a node whose children are translated, where a time zone is involved: undefined when
 * nothing here applies.
 */
export async function timeZoneRewrite(instantiate: Instantiate, node: Node): Promise<Node | undefined> {
  if (node['class'] === 'CAST') return castRewrite(instantiate, node);
  if (node['class'] !== 'FUNCTION' || typeof node['function_name'] !== 'string') return undefined;
  const name = node['function_name'].toLowerCase();
  const args = (node['children'] as Node[] | undefined) ?? [];
  const zoneOf = (i: number) => (args[i] ? zones.get(args[i] as Node) : undefined);
  if (node['is_operator']) {
    // A zoned value plus or minus an interval keeps its zone.
    if ((name === '+' || name === '-') && args.length === 2) {
      const zone = zoneOf(0) ?? (name === '+' ? zoneOf(1) : undefined);
      if (zone) return zoned(node, zone);
    }
    return undefined;
  }
  // `x AT TIME ZONE z` is DuckDB's `main.timezone(z, x)`; Trino has no two-argument `timezone` of its own.
  const atTimeZone = name === 'timezone' && node['schema'] === 'main' && args.length === 2;
  if (atTimeZone || (name === 'at_timezone' && args.length === 2)) {
    const [value, zoneArg] = atTimeZone ? [args[1], args[0]] : [args[0], args[1]];
    const zone = await zoneArgument(instantiate, zoneArg as Node);
    // A timestamp without a zone is read in the session zone (UTC) first.
    const instant = zones.has(value as Node)
      ? (value as Node)
      : await instantiate('CAST(__arg1 AS TIMESTAMPTZ)', [value as Node], undefined);
    // The zone must be known in DuckDB too, so an unknown one fails as in Trino.
    return zoned(await instantiate('trino_checked_instant(__arg1, __arg2)', [instant, zone], node), zone);
  }
  if (name === 'with_timezone' && args.length === 2) {
    const zone = await zoneArgument(instantiate, args[1] as Node);
    return zoned(
      await instantiate('trino_instant_at(CAST(__arg1 AS TIMESTAMP), __arg2)', [args[0] as Node, zone], node),
      zone,
    );
  }
  if (name === 'from_iso8601_timestamp' && args.length === 1) {
    const arg = args[0] as Node;
    const zone = isStringConstant(arg)
      ? stringConstant(trinoZoneId(isoZone(constantValue(arg))))
      : await instantiate('trino_iso_zone(__arg1)', [arg], undefined);
    return zoned(await instantiate('CAST(__arg1 AS TIMESTAMPTZ)', [arg], node), zone);
  }
  if (name === 'from_unixtime' && args.length === 2) {
    const zone = await zoneArgument(instantiate, args[1] as Node);
    return zoned(
      await instantiate('trino_checked_instant(to_timestamp(__arg1), __arg2)', [args[0] as Node, zone], node),
      zone,
    );
  }
  if (name === 'date_trunc' && args.length === 2 && zoneOf(1)) {
    const zone = zoneOf(1) as Node;
    const truncated = await instantiate(
      'trino_instant_at(date_trunc(__arg1, trino_local(__arg2, __arg3)), __arg3)',
      [args[0] as Node, args[1] as Node, zone],
      node,
    );
    return zoned(truncated, zone);
  }
  if (name === 'date_add' && args.length === 3 && zoneOf(2)) return zoned(node, zoneOf(2) as Node);
  if (name === 'timezone' && args.length === 1) {
    // Trino's timezone(ts) is the zone's id (DuckDB's is the offset in seconds).
    return instantiate(zoneOf(0) ? '__arg1' : "'UTC'", [zoneOf(0) ?? (args[0] as Node)], node);
  }
  if ((name === 'timezone_hour' || name === 'timezone_minute') && args.length === 1 && zoneOf(0)) {
    const minutes = 'trino_offset_minutes_at(__arg1, __arg2)';
    const template =
      name === 'timezone_hour' ? `CAST(trunc(${minutes} / 60) AS BIGINT)` : `CAST(${minutes} % 60 AS BIGINT)`;
    return instantiate(template, [args[0] as Node, zoneOf(0) as Node], node);
  }
  if (name === 'to_iso8601' && args.length === 1 && zoneOf(0)) {
    return instantiate('trino_zoned_iso8601(__arg1, __arg2)', [args[0] as Node, zoneOf(0) as Node], node);
  }
  if (LOCAL_FIELD_FUNCTIONS.has(name) && args.some((a) => zones.has(a))) {
    const children: Node[] = [];
    for (const arg of args) {
      const zone = zones.get(arg);
      children.push(zone ? await instantiate('trino_local(__arg1, __arg2)', [arg, zone], arg) : arg);
    }
    // Changed in place: the call's own rewrite (format_datetime's pattern, …) still applies.
    node['children'] = children;
  }
  return undefined;
}

/** Casts of zoned values: to a local timestamp, date or time, to text as Trino writes it, or kept zoned. */
async function castRewrite(instantiate: Instantiate, node: Node): Promise<Node | undefined> {
  const child = node['child'] as Node;
  const zone = zones.get(child);
  if (!zone) return undefined;
  const target = String((node['cast_type'] as Node | undefined)?.['id'] ?? '');
  if (target === 'TIMESTAMP WITH TIME ZONE') return zoned(node, zone);
  if (target === 'VARCHAR') return instantiate('trino_zoned_text(__arg1, __arg2)', [child, zone], node);
  if (target === 'TIMESTAMP' || target === 'DATE' || target === 'TIME') {
    node['child'] = await instantiate('trino_local(__arg1, __arg2)', [child, zone], undefined);
    return node;
  }
  return undefined;
}

/** The zone written at the end of an ISO 8601 text (`Z`, `+01:00`, `-0530`), UTC when there is none. */
function isoZone(text: string): string {
  const m = /T.*?(Z|[+-]\d{2}(?::?\d{2})?)$/i.exec(text.trim());
  return m ? (m[1] as string).toUpperCase() : 'UTC';
}

/**
 * The statement's result columns made of zoned values, as structs of instant and zone for the result formatter
 * (only the outermost query's own select list: a set operation's branches are left as instants, so they still
 * unite with unzoned ones; in a grouped query, only values whose zone is a constant).
 */
export async function zonedResultColumns(instantiate: Instantiate, statements: unknown): Promise<void> {
  const root = (statements as { node?: Node }[] | undefined)?.[0]?.node;
  if (root?.['type'] !== 'SELECT_NODE') return;
  const list = root['select_list'] as Node[];
  const grouped = ((root['group_expressions'] as unknown[] | undefined) ?? []).length > 0;
  for (let i = 0; i < list.length; i += 1) {
    const item = list[i] as Node;
    const zone = zones.get(item);
    // Grouped by a zoned value whose zone varies by row (read from each row's text), the zone is not a grouped
    // expression: the value is written in UTC (Trino groups by the instant too, and writes one of the zones).
    if (zone && (!grouped || zone['class'] === 'CONSTANT')) {
      list[i] = await instantiate("{'trino_instant': __arg1, 'trino_zone': __arg2}", [item, zone], item);
    }
  }
}

/** The macros the rewrites above use (installed with the other Trino macros). */
export const TIME_ZONE_MACROS: readonly string[] = [
  // A zone id as Trino writes it (see trinoZoneId), for zones known only when the query runs.
  `CREATE MACRO trino_offset_minutes(z) AS (CASE WHEN z[1] = '-' THEN -1 ELSE 1 END) * (
     CAST(regexp_extract(z, '^[+-](\\d{1,2})', 1) AS INTEGER) * 60
     + coalesce(TRY_CAST(nullif(regexp_extract(z, '^[+-]\\d{1,2}:?(\\d{2})$', 1), '') AS INTEGER), 0))`,
  `CREATE MACRO trino_offset_text(m) AS
     printf('%s%02d:%02d', CASE WHEN m < 0 THEN '-' ELSE '+' END, abs(m) // 60, abs(m) % 60)`,
  `CREATE MACRO trino_zone_id(z) AS CASE
     WHEN z IS NULL THEN NULL
     WHEN upper(trim(z)) IN (${[...UTC_NAMES].map((n) => `'${n}'`).join(', ')}) THEN 'UTC'
     WHEN regexp_matches(trim(z), '^[+-]\\d{1,2}(:?\\d{2})?$') THEN
       CASE WHEN trino_offset_minutes(trim(z)) = 0 THEN 'UTC' ELSE trino_offset_text(trino_offset_minutes(trim(z))) END
     ELSE trim(z) END`,
  `CREATE MACRO trino_iso_zone(s) AS CASE
     WHEN s IS NULL THEN NULL
     WHEN regexp_matches(trim(s), 'T.*[zZ]$') THEN 'UTC'
     WHEN regexp_matches(trim(s), 'T.*[+-]\\d{2}(:?\\d{2})?$') THEN
       trino_zone_id(regexp_extract(trim(s), '([+-]\\d{2}(:?\\d{2})?)$', 1))
     ELSE 'UTC' END`,
  // The local time of an instant in a zone (a TIMESTAMP), and the instant of a local time in a zone.
  `CREATE MACRO trino_local(i, z) AS CASE
     WHEN z = 'UTC' THEN timezone('UTC', i)
     WHEN z[1] IN ('+', '-') THEN timezone('UTC', i) + to_minutes(trino_offset_minutes(z))
     ELSE timezone(z, i) END`,
  `CREATE MACRO trino_instant_at(t, z) AS CASE
     WHEN z = 'UTC' THEN timezone('UTC', t)
     WHEN z[1] IN ('+', '-') THEN timezone('UTC', t - to_minutes(trino_offset_minutes(z)))
     ELSE timezone(z, t) END`,
  // The instant, once the zone is known to exist (Trino fails an unknown zone: "Time zone not supported").
  `CREATE MACRO trino_checked_instant(i, z) AS CASE
     WHEN z = 'UTC' OR z[1] IN ('+', '-') OR timezone(z, TIMESTAMP '2000-01-01') IS NOT NULL THEN i END`,
  `CREATE MACRO trino_offset_minutes_at(i, z) AS
     CAST(round((epoch(trino_local(i, z)) - epoch(timezone('UTC', i))) / 60) AS BIGINT)`,
  `CREATE MACRO trino_zoned_text(i, z) AS strftime(trino_local(i, z), '%Y-%m-%d %H:%M:%S.%g') || ' ' || z`,
  `CREATE MACRO trino_zoned_iso8601(i, z) AS strftime(trino_local(i, z), '%Y-%m-%dT%H:%M:%S.%g')
     || CASE WHEN z = 'UTC' THEN 'Z' ELSE trino_offset_text(trino_offset_minutes_at(i, z)) END`,
];
