import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createProxyHandler, PendingMetrics } from '../../api/http/proxyHandler';
import type { Router } from '../../api/router';
import { createTelemetry } from '../../api/telemetry';

/** A router that answers every request 200 (the handler's logging is what is tested here). */
const okRouter = {
  route: async () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' }),
} as unknown as Router;

const event = {
  httpMethod: 'GET',
  path: '/v1/health',
  headers: {},
  multiValueHeaders: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  body: null,
  isBase64Encoded: false,
  requestContext: { requestId: 'req-1', path: '/v1/health' },
} as unknown as APIGatewayProxyEvent;

async function linesWritten(logLevel: 'INFO' | 'DEBUG'): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  }) as typeof process.stdout.write);
  try {
    const logger = new Logger({ serviceName: 'examlake-api', logLevel });
    const metrics = new Metrics({ namespace: 'examlake', serviceName: 'examlake-api' });
    const handler = createProxyHandler(okRouter, { logger, metrics, tracer: undefined as never }, new PendingMetrics());
    await handler(event);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('proxy handler logging', () => {
  it('writes no per-request line at INFO', async () => {
    expect((await linesWritten('INFO')).filter((l) => l['message'] === 'request')).toEqual([]);
  });

  it('writes one request line with request id, status and duration at DEBUG', async () => {
    const request = (await linesWritten('DEBUG')).filter((l) => l['message'] === 'request');
    expect(request).toEqual([
      expect.objectContaining({ requestId: 'req-1', path: '/v1/health', method: 'GET', status: 200 }),
    ]);
    expect(typeof request[0]!['durationMs']).toBe('number');
  });

  it('builds the tracer on first use only, then keeps it', () => {
    const telemetry = createTelemetry('INFO');
    const tracer = telemetry.tracer;
    expect(tracer.constructor.name).toBe('Tracer');
    expect(telemetry.tracer).toBe(tracer);
  });
});
