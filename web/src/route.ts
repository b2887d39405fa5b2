/** A place in the app: `#/<view>/<id>?<params>`, so the static files need no server-side routing. */
export interface Route {
  readonly view: string;
  readonly id?: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [view = '', id] = path.split('/').map((part) => decodeURIComponent(part));
  return { view, ...(id ? { id } : {}), params: Object.fromEntries(new URLSearchParams(query)) };
}

export function href(view: string, id?: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}${query.size ? `?${query}` : ''}`;
}

/** The school year (September to August) a date falls in, by the year it starts. */
export function schoolYearOf(year: number, month: number): number {
  return month >= 9 ? year : year - 1;
}

/** 2025 → "2025/26". */
export function schoolYearLabel(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The first and last day of a school year, as the reports' `from` and `to`. */
export function schoolYearRange(start: number): { from: string; to: string } {
  return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}
