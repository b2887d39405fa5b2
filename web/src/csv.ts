import type { Row } from './api';

/** RFC 4180 CSV of rows, in the order of `columns`; empty for null. */
export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const cell = (value: Row[string] | undefined) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n';
}

/** A `data:` URL of the CSV, for a download link (no object URL to revoke). */
export function csvHref(columns: readonly string[], rows: readonly Row[]): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(columns, rows))}`;
}
