import type { CorpusQuery } from '../trinoCorpus';

/**
 * Date and time functions (`functions/datetime.md`): the fields and specifiers it defines applied to fixed
 * dates (2001-08-22 is a Wednesday, day 234, ISO week 34; 2021-01-01 is in ISO week 53 of 2020).
 */
const DOC = 'functions/datetime.md';
const TYPES = 'language/types.md';
const TS = "TIMESTAMP '2001-08-22 03:04:05.321'";

export const DATETIME_FUNCTIONS: readonly CorpusQuery[] = [
  {
    sql: "SELECT extract(MONTH FROM DATE '2001-08-22'), extract(DAY FROM DATE '2001-08-22')",
    expected: ['8', '22'],
    source: DOC,
  },
  {
    sql: "SELECT extract(DOW FROM DATE '2001-08-22'), extract(DOY FROM DATE '2001-08-22')",
    expected: ['3', '234'],
    source: DOC,
  },
  {
    sql: "SELECT extract(QUARTER FROM DATE '2001-08-22'), extract(WEEK FROM DATE '2001-08-22')",
    expected: ['3', '34'],
    source: DOC,
  },
  {
    sql: `SELECT extract(HOUR FROM ${TS}), extract(MINUTE FROM ${TS}), extract(SECOND FROM ${TS})`,
    expected: ['3', '4', '5'],
    source: DOC,
  },
  { sql: "SELECT extract(YEAR_OF_WEEK FROM DATE '2021-01-01')", expected: ['2020'], source: DOC },
  { sql: "SELECT extract(DAY_OF_WEEK FROM DATE '2021-01-01')", expected: ['5'], source: DOC },
  {
    sql: "SELECT year(DATE '2001-08-22'), month(DATE '2001-08-22'), day(DATE '2001-08-22')",
    expected: ['2001', '8', '22'],
    source: DOC,
  },
  { sql: "SELECT day_of_week(DATE '2001-08-22'), day_of_year(DATE '2001-08-22')", expected: ['3', '234'], source: DOC },
  { sql: "SELECT dow(DATE '2020-02-10'), doy(DATE '2020-02-10')", expected: ['1', '41'], source: DOC },
  { sql: "SELECT day_of_month(DATE '2001-08-22'), quarter(DATE '2001-08-22')", expected: ['22', '3'], source: DOC },
  { sql: "SELECT week(DATE '2021-01-01'), year_of_week(DATE '2021-01-01')", expected: ['53', '2020'], source: DOC },
  { sql: "SELECT week_of_year(DATE '2019-12-30'), yow(DATE '2019-12-30')", expected: ['1', '2020'], source: DOC },
  {
    sql: `SELECT hour(${TS}), minute(${TS}), second(${TS}), millisecond(${TS})`,
    expected: ['3', '4', '5', '321'],
    source: DOC,
  },
  { sql: "SELECT last_day_of_month(DATE '2020-02-10')", expected: ['2020-02-29'], source: DOC },
  { sql: "SELECT last_day_of_month(TIMESTAMP '2021-02-10 10:00:00')", expected: ['2021-02-28'], source: DOC },
  { sql: "SELECT to_unixtime(TIMESTAMP '2001-08-22 03:04:05')", expected: ['9.98449445E8'], source: DOC },
  { sql: "SELECT to_unixtime(TIMESTAMP '1970-01-01 00:00:01')", expected: ['1.0'], source: DOC },
  { sql: 'SELECT from_unixtime(0)', expected: ['1970-01-01 00:00:00.000 UTC'], source: DOC },
  { sql: `SELECT date_format(${TS}, '%a %W %b %M')`, expected: ['Wed Wednesday Aug August'], source: DOC },
  { sql: `SELECT date_format(${TS}, '%c/%e %d %m')`, expected: ['8/22 22 08'], source: DOC },
  { sql: `SELECT date_format(${TS}, '%Y %y %j')`, expected: ['2001 01 234'], source: DOC },
  { sql: `SELECT date_format(${TS}, '%H %h %I %k %l %p')`, expected: ['03 03 03 3 3 AM'], source: DOC },
  { sql: `SELECT date_format(${TS}, '%i:%S:%s %f')`, expected: ['04:05:05 321000'], source: DOC },
  { sql: `SELECT date_format(${TS}, '%T|%r')`, expected: ['03:04:05|03:04:05 AM'], source: DOC },
  { sql: `SELECT date_format(${TS}, '100%%')`, expected: ['100%'], source: DOC },
  {
    sql: "SELECT date_parse('2001-08-22 03:04:05', '%Y-%m-%d %H:%i:%s')",
    expected: ['2001-08-22 03:04:05.000'],
    source: DOC,
  },
  { sql: "SELECT date_parse('22/08/2001', '%d/%m/%Y')", expected: ['2001-08-22 00:00:00.000'], source: DOC },
  {
    sql: "SELECT format_datetime(TIMESTAMP '2001-08-22 03:04:05', 'yyyy-MM-dd HH:mm')",
    expected: ['2001-08-22 03:04'],
    source: DOC,
  },
  { sql: `SELECT date_trunc('quarter', ${TS})`, expected: ['2001-07-01 00:00:00.000'], source: DOC },
  { sql: `SELECT date_trunc('week', ${TS})`, expected: ['2001-08-20 00:00:00.000'], source: DOC },
  { sql: `SELECT date_trunc('hour', ${TS})`, expected: ['2001-08-22 03:00:00.000'], source: DOC },
  { sql: `SELECT date_trunc('minute', ${TS})`, expected: ['2001-08-22 03:04:00.000'], source: DOC },
  { sql: `SELECT date_trunc('second', ${TS})`, expected: ['2001-08-22 03:04:05.000'], source: DOC },
  {
    sql: "SELECT date_diff('day', TIMESTAMP '2020-01-01 12:00:00', TIMESTAMP '2020-01-03 11:00:00')",
    expected: ['1'],
    source: DOC,
  },
  { sql: "SELECT date_diff('week', DATE '2020-01-01', DATE '2020-01-15')", expected: ['2'], source: DOC },
  { sql: "SELECT date_diff('quarter', DATE '2020-01-01', DATE '2020-12-31')", expected: ['3'], source: DOC },
  { sql: "SELECT date_diff('year', DATE '2019-06-01', DATE '2021-05-31')", expected: ['1'], source: DOC },
  {
    sql: "SELECT date_add('month', 1, TIMESTAMP '2020-01-31 00:00:00')",
    expected: ['2020-02-29 00:00:00.000'],
    source: DOC,
  },
  {
    sql: "SELECT date_add('minute', 90, TIMESTAMP '2020-01-01 23:00:00')",
    expected: ['2020-01-02 00:30:00.000'],
    source: DOC,
  },
  { sql: "SELECT INTERVAL '2' DAY", expected: ['2 00:00:00.000'], source: TYPES },
  { sql: "SELECT INTERVAL '90' MINUTE", expected: ['0 01:30:00.000'], source: TYPES },
  { sql: "SELECT INTERVAL '3' MONTH", expected: ['0-3'], source: TYPES },
  {
    sql: "SELECT INTERVAL '1-2' YEAR TO MONTH",
    expected: ['1-2'],
    source: TYPES,
    differs: 'YEAR TO MONTH interval literals do not parse',
  },
  { sql: "SELECT INTERVAL '1' DAY * 2", expected: ['2 00:00:00.000'], source: DOC },
  {
    sql: "SELECT TIMESTAMP '2020-01-01 00:00:00' - TIMESTAMP '2019-12-31 12:00:00'",
    expected: ['0 12:00:00.000'],
    source: DOC,
  },
  {
    sql: "SELECT TIMESTAMP '2020-01-01 00:00:00' + INTERVAL '1' YEAR",
    expected: ['2021-01-01 00:00:00.000'],
    source: DOC,
  },
  { sql: "SELECT CAST(TIMESTAMP '2020-01-01 10:00:00' AS date)", expected: ['2020-01-01'], source: DOC },
  { sql: "SELECT CAST(DATE '2020-01-01' AS timestamp)", expected: ['2020-01-01 00:00:00.000'], source: DOC },
  {
    sql: "SELECT CAST(TIMESTAMP '2020-01-01 10:00:00' AS varchar)",
    expected: ['2020-01-01 10:00:00.000'],
    source: 'issue 17',
  },
  { sql: "SELECT to_iso8601(DATE '2020-01-01')", expected: ['2020-01-01'], source: DOC },
  { sql: "SELECT to_iso8601(TIMESTAMP '2020-01-01 10:00:00')", expected: ['2020-01-01T10:00:00.000'], source: DOC },
  { sql: 'SELECT typeof(current_date)', expected: ['date'], source: DOC },
  { sql: 'SELECT typeof(localtimestamp)', expected: ['timestamp(3)'], source: DOC },
  { sql: 'SELECT typeof(now())', expected: ['timestamp(3) with time zone'], source: DOC },
  { sql: "SELECT DATE '2020-02-28' < DATE '2020-03-01'", expected: ['true'], source: DOC },
];
