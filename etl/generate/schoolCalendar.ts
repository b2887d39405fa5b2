/**
 * The school year the generator simulates (September to June) and its local time: Central European time, UTC+1
 * in winter and UTC+2 from the last Sunday of March to the last Sunday of October, as exam platforms in that zone
 * export it. Dates are handled as UTC days (milliseconds at local midnight read as if UTC), so no time-zone
 * database is involved and the output is the same on every machine.
 */

const DAY_MS = 86_400_000;

/** An assessment window of the school year. */
export interface Sitting {
  /** Short code used in exam ids. */
  readonly code: 'BAS' | 'AUT' | 'WIN' | 'SPR';
  readonly label: string;
  /** First and last day of the window, as [month, day] of the school year (months 9–12 in the start year). */
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  /** Subjects assessed in this sitting; undefined means every subject. */
  readonly subjects?: readonly string[];
}

export const SITTINGS: readonly Sitting[] = [
  { code: 'BAS', label: 'baseline', from: [9, 8], to: [9, 30], subjects: ['mathematics', 'reading'] },
  { code: 'AUT', label: 'autumn', from: [11, 3], to: [12, 12] },
  { code: 'WIN', label: 'winter', from: [1, 12], to: [2, 27] },
  { code: 'SPR', label: 'spring', from: [4, 13], to: [5, 29] },
];

/** The last day attempts can happen (retakes included): 30 June. */
export const SCHOOL_YEAR_END: readonly [number, number] = [6, 30];

/** Local midnight of a day of the school year starting in `startYear` (months 9–12 fall in it, 1–8 in the next). */
export function schoolDay(startYear: number, month: number, day: number): number {
  return Date.UTC(month >= 9 ? startYear : startYear + 1, month - 1, day);
}

export function isWeekday(dayMs: number): boolean {
  const weekday = new Date(dayMs).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The day itself when it is a weekday, else the following Monday. */
export function nextWeekday(dayMs: number): number {
  let d = dayMs;
  while (!isWeekday(d)) d += DAY_MS;
  return d;
}

export function addDays(dayMs: number, days: number): number {
  return dayMs + days * DAY_MS;
}

/** UTC offset in minutes of Central European time on a local day (exam hours never straddle a change). */
export function offsetMinutes(dayMs: number): number {
  const year = new Date(dayMs).getUTCFullYear();
  return dayMs >= lastSunday(year, 3) && dayMs < lastSunday(year, 10) ? 120 : 60;
}

function lastSunday(year: number, month: number): number {
  const last = Date.UTC(year, month, 0);
  return last - new Date(last).getUTCDay() * DAY_MS;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * ISO 8601 text of a local wall-clock time (milliseconds, read as if UTC) with its offset:
 * `2025-10-14T09:05:00+02:00`.
 */
export function formatLocal(localMs: number, offset: number): string {
  const d = new Date(localMs);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}` +
    `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}

/** `YYYY-MM` of a local day: the month an export file covers. */
export function monthKey(dayMs: number): string {
  const d = new Date(dayMs);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}`;
}

export { DAY_MS };
