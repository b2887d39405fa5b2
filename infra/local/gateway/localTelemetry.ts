import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AuditLog } from '../../../api/audit/AuditLog';
import { type ApiTelemetry, createTelemetry } from '../../../api/telemetry';

/** EMF metrics written to a stream instead of stdout (Powertools always writes them to stdout). */
class StreamMetrics extends Metrics {
  constructor(private readonly write: (line: string) => void) {
    super({ namespace: 'examlake', serviceName: 'examlake-api' });
  }

  override publishStoredMetrics(): this {
    this.write(`${JSON.stringify(this.serializeMetrics())}\n`);
    this.clearMetrics();
    return this;
  }
}

/** Telemetry whose machine-readable lines (audit records, EMF metrics) go to a file, and how to close it. */
export interface FileTelemetry {
  readonly telemetry: ApiTelemetry;
  /** The JSON-lines file. */
  readonly file: string;
  close(): Promise<void>;
}

/**
 * `npm start`'s telemetry: the audit trail and the EMF metrics, one JSON line each, appended to
 * `<dataDir>/logs/api.jsonl` (the terminal gets {@link requestLine}s instead); warnings and errors of the
 * Powertools logger stay on the terminal. The tracer is built only if used, as in {@link createTelemetry}.
 */
export function fileTelemetry(dataDir: string, logLevel = 'INFO'): FileTelemetry {
  const file = path.join(dataDir, 'logs', 'api.jsonl');
  mkdirSync(path.dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'a' });
  const write = (line: string) => void stream.write(line);
  const base = createTelemetry(logLevel);
  return {
    file,
    telemetry: {
      logger: base.logger,
      metrics: new StreamMetrics(write),
      get tracer() {
        return base.tracer;
      },
      audit: new AuditLog({ write }),
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

/**
 * One human-readable line for a request, as `npm start` prints it:
 * `15:20:01 GET /v1/reports/school-summary?schoolId=SCH-0001 → 200 analyst, 12 rows, cache hit, 34 ms`.
 */
export function requestLine(event: APIGatewayProxyEvent, result: APIGatewayProxyResult, durationMs: number): string {
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const query = new URLSearchParams();
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    for (const value of values ?? []) query.append(name, value);
  }
  const target = `${event.path}${query.size > 0 ? `?${query}` : ''}`;
  const groups = event.requestContext?.authorizer?.['claims']?.['cognito:groups'] as string | undefined;
  const facts: string[] = [groups ? groups.replace(/^\[|\]$/g, '') : 'public'];
  if (headers['x-examlake-row-count'] !== undefined) facts.push(`${headers['x-examlake-row-count']} rows`);
  if (headers['x-examlake-cache'] !== undefined) facts.push(`cache ${headers['x-examlake-cache']}`);
  if (result.statusCode >= 400 && String(headers['content-type'] ?? '').includes('problem+json')) {
    try {
      const problem = JSON.parse(result.body) as { code?: string; detail?: string };
      facts.push(`${problem.code}: ${problem.detail}`);
    } catch {
      // Not a problem body after all: the status says enough.
    }
  }
  facts.push(`${Math.round(durationMs)} ms`);
  const time = new Date().toTimeString().slice(0, 8);
  return `${time} ${event.httpMethod} ${target} → ${result.statusCode} ${facts.join(', ')}`;
}
