import type { WebAppConfig } from './WebAppConfig';

/** A column of a report's answer. */
export interface Column {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
}

export type Row = Readonly<Record<string, string | number | boolean | null>>;

/** The disclosure object of a partner's or the public's answer: what was withheld and why. */
export interface Disclosure {
  readonly minimumCellSize: number;
  readonly withheldGroups: number;
  readonly reason: string;
}

/** One report answer, every page of it. */
export interface ReportAnswer {
  readonly reportId: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  readonly truncated: boolean;
  readonly disclosure?: Disclosure;
  /** `X-Examlake-Withheld-Groups`, when the answer carries it. */
  readonly withheldGroups?: number;
  /** The request, for the CSV download's name and the table's caption. */
  readonly url: string;
  /** How the API got the answer: cache state and bytes scanned. */
  readonly query?: QueryMeta;
}

/** The answer's `query` object: whether the cache answered, and what Athena scanned. */
export interface QueryMeta {
  readonly cache: string;
  readonly bytesScanned: number;
  readonly engineTimeMs: number;
}

/** The API answered with a problem body (RFC 9457): its title and detail are what the app shows. */
export class ApiProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly code: string | undefined,
  ) {
    super(`${title}: ${detail}`);
    this.name = 'ApiProblemError';
  }
}

/** The token was refused (401): the session is over and the user must sign in again. */
export class SessionExpiredError extends ApiProblemError {
  constructor(title: string, detail: string) {
    super(401, title, detail, 'UNAUTHORIZED');
    this.name = 'SessionExpiredError';
  }
}

/** Who the token says the caller is (`GET /v1/me`). */
export interface Me {
  readonly role: 'steward' | 'analyst' | 'school_admin' | 'partner';
  readonly schoolIds: readonly string[];
  readonly districtIds: readonly string[];
  readonly partnerId: string | null;
  readonly scope: {
    readonly rows: unknown;
    readonly datasets: 'all' | readonly string[];
    readonly columns: 'all' | readonly string[];
    readonly pseudonymised: boolean;
    readonly minimumCellSize: number;
  };
  readonly grant: null | {
    readonly partnerId: string;
    readonly datasets: readonly string[];
    readonly columns: readonly string[];
    readonly rowFilters: Readonly<Record<string, readonly string[]>>;
    readonly minimumCellSize: number;
    readonly version: number;
    readonly updatedAt: string;
  };
}

type Parameters = Readonly<Record<string, string | number | undefined>>;

/** Most pages one answer is read to; reports of one school or exam fit in one. */
const MAX_PAGES = 20;
/** Longest the app polls a query the API answered 202 for. */
const MAX_WAIT_MS = 5 * 60 * 1000;

/**
 * The REST API as the app uses it: reports, open reports and `/v1/me`, every page of an answer. A problem body
 * becomes an {@link ApiProblemError}; a 401 a {@link SessionExpiredError}.
 */
export class ApiClient {
  constructor(
    private readonly config: WebAppConfig,
    private readonly idToken: () => string | undefined,
  ) {}

  me(): Promise<Me> {
    return this.json<Me>('/v1/me');
  }

  report(reportId: string, parameters: Parameters): Promise<ReportAnswer> {
    return this.answer(`/v1/reports/${encodeURIComponent(reportId)}`, parameters);
  }

  openReport(reportId: string, parameters: Parameters): Promise<ReportAnswer> {
    return this.answer(`/v1/open/reports/${encodeURIComponent(reportId)}`, parameters);
  }

  /** Ad-hoc SQL (analysts): `POST /v1/queries`, waiting for a long query by polling its handle. */
  sql(sql: string): Promise<ReportAnswer> {
    return this.answer('/v1/queries', {}, { method: 'POST', body: JSON.stringify({ sql }) });
  }

  private async answer(path: string, parameters: Parameters, init?: RequestInit): Promise<ReportAnswer> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(parameters))
      if (value !== undefined && value !== '') query.set(name, String(value));
    const url = `${path}${query.size ? `?${query}` : ''}`;
    let next: string | null = url;
    const rows: Row[] = [];
    let first: (ReportBody & { withheldGroups?: number }) | undefined;
    for (let page = 0; next && page < MAX_PAGES; page += 1) {
      const { body, response }: { body: ReportBody; response: Response } = await this.fetchJson<ReportBody>(
        next,
        page === 0 ? init : undefined,
      );
      if (!first) {
        const header = response.headers.get('X-Examlake-Withheld-Groups');
        first = { ...body, ...(header !== null ? { withheldGroups: Number(header) } : {}) };
      }
      rows.push(...body.rows);
      // `next` is absolute-path (it carries the stage prefix on AWS): resolved against the API's origin.
      next = body.page?.next ? new URL(body.page.next, this.config.apiUrl).href : null;
    }
    if (!first) throw new Error('no answer');
    return {
      reportId: first.reportId,
      columns: first.columns,
      rows,
      truncated: first.truncated || next !== null,
      ...(first.disclosure ? { disclosure: first.disclosure } : {}),
      ...(first.withheldGroups !== undefined ? { withheldGroups: first.withheldGroups } : {}),
      ...(first.query ? { query: first.query } : {}),
      url,
    };
  }

  private async json<T>(path: string): Promise<T> {
    return (await this.fetchJson<T>(path)).body;
  }

  /**
   * One request; a 202 (the query runs longer than the API waits) is followed by polling the handle's results
   * (`Retry-After` apart) until they are ready.
   */
  private async fetchJson<T>(path: string, init?: RequestInit): Promise<{ body: T; response: Response }> {
    const started = Date.now();
    let answer = await this.fetchOnce<T | QueryStatus>(path, init);
    while (answer.response.status === 202) {
      const status = answer.body as QueryStatus;
      if (Date.now() - started > MAX_WAIT_MS) {
        throw new ApiProblemError(
          202,
          'Still running',
          'The query has run for five minutes: try again later.',
          undefined,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, status.retryAfterSeconds ?? 1) * 1000));
      answer = await this.fetchOnce<T | QueryStatus>(`/v1/queries/${encodeURIComponent(status.handle)}/results`);
    }
    return answer as { body: T; response: Response };
  }

  private async fetchOnce<T>(path: string, init?: RequestInit): Promise<{ body: T; response: Response }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init?.body) headers['Content-Type'] = 'application/json';
    const token = this.idToken();
    if (token) headers['Authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(/^https?:/.test(path) ? path : `${this.config.apiUrl}${path}`, { ...init, headers });
    } catch (err) {
      throw new ApiProblemError(0, 'The API cannot be reached', `${this.config.apiUrl}: ${String(err)}`, undefined);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const problem = (body ?? {}) as { title?: string; detail?: string; code?: string; message?: string };
      const title = problem.title ?? `HTTP ${response.status}`;
      const detail = problem.detail ?? problem.message ?? text.slice(0, 300);
      if (response.status === 401) throw new SessionExpiredError(title, detail);
      throw new ApiProblemError(response.status, title, detail, problem.code);
    }
    if (body === undefined) throw new ApiProblemError(response.status, 'Not JSON', text.slice(0, 300), undefined);
    return { body: body as T, response };
  }
}

interface QueryStatus {
  readonly handle: string;
  readonly state: string;
  readonly retryAfterSeconds?: number;
}

interface ReportBody {
  readonly reportId: string;
  readonly query?: QueryMeta;
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  readonly truncated: boolean;
  readonly disclosure?: Disclosure;
  readonly page?: { readonly next: string | null };
}
